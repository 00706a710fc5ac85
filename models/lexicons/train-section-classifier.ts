/**
 * Trains the content-based section classifier (src/notes/structuring/section-classifier.ts) and writes its weights to
 * models/lexicons/section-classifier.json. Training data: MTS-Dialog TRAINING set section texts and the sections
 * of the ACI-BENCH TRAIN notes (split at their headers). Validation sets are never trained on.
 *
 *   npx tsx models/lexicons/train-section-classifier.ts [--cv] [--report] [--ceiling]
 *
 * --cv prints 5-fold cross-validated accuracy on the MTS-Dialog training set (ACI-BENCH train always in the
 * training folds) for the chosen settings and a few alternatives; the settings in `defaultTrainOptions` were
 * picked by these numbers alone. --report prints MTS-Dialog validation accuracy of the final model, for the
 * record only (not for selection). --ceiling counts the texts that occur under more than one label (a limit for any
 * classifier that reads only the text).
 *
 * Cross-validated accuracy when the model was last chosen (2 shuffles each where noted):
 *   v1 features, full-batch AdaGrad, unscaled (previous model)            0.760
 *   + word-class count cues (negation, body systems, doses, surgery, …)   0.761–0.764
 *   + features scaled by 1/sqrt(count), online AdaGrad, 20 epochs         0.782
 *   + weights averaged over 5 shuffles (chosen)                           0.784
 *   character 3–5-grams of words (scaled or not, any grouping)            0.71–0.77 (worse)
 *   word trigrams 0.777; class weighting 0.773–0.778; ACI weight 0/0.25/1 0.779–0.783 (no gain)
 * Other model families, same folds (experiment scripts not kept):
 *   fastText supervised (word bigrams, or character 3–5-grams, or 100-d unigrams)  0.709–0.723
 *   k nearest training texts by clinote-embed vectors (k 15, softmax of cosine / 0.1) 0.702
 *   chosen model mixed with that kNN (weight 0.1 / 0.2 / 0.3 / 0.5)                 0.786 / 0.781 / 0.782 / 0.770
 *   trusting a "names a section" cue when exactly one is found: the cue is right on 105 of those 277 rows,
 *   the model on 227
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { modelLocations, sharedDataDir } from '../../src/config/paths.ts';
import { installModelFilesFromEnvironment } from '../../src/model-files.ts';
import { sectionClassifierFile } from '../../src/notes/structuring/lexicon-files.ts';
import { readMtsDialog } from '../../eval/sections-data.ts';
import { aciExamples, crossValidate, defaultTrainOptions, labelCeiling, mtsAccuracy, mtsExamples, train, type TrainOptions } from './build/section-training.ts';

installModelFilesFromEnvironment();
const mtsDir = path.join(sharedDataDir(), 'eval', 'mts-dialog');
const mtsTrain = mtsExamples(path.join(mtsDir, 'MTS-Dialog-TrainingSet.csv'));
const aciTrain = aciExamples('train');
const examples = [...mtsTrain, ...aciTrain];
if (process.argv.includes('--cv')) {
  const candidates: Array<[string, TrainOptions]> = [
    ['chosen', defaultTrainOptions],
    ['unscaled features', { ...defaultTrainOptions, featureScaleExponent: 0, l2: 3e-5, learningRate: 0.2, epochs: 10 }],
    ['single shuffle', { ...defaultTrainOptions, seeds: 1 }],
    ['l2=1e-4', { ...defaultTrainOptions, l2: 1e-4 }],
    ['40 epochs, step 0.3', { ...defaultTrainOptions, epochs: 40, learningRate: 0.3 }],
  ];
  for (const [name, options] of candidates) {
    process.stdout.write(`${name} ${JSON.stringify(options)} mts-train 5-fold accuracy=${crossValidate(mtsTrain, aciTrain, options).toFixed(4)}\n`);
  }
}
const model = train(examples);
writeFileSync(sectionClassifierFile(modelLocations().modelsDir), JSON.stringify(model) + '\n');
process.stdout.write(`trained on ${examples.length} sections, ${Object.keys(model.weights).length} features, ${model.labels.length} labels\n`);
if (process.argv.includes('--report')) {
  const validation = path.join(mtsDir, 'MTS-Dialog-ValidationSet.csv');
  process.stdout.write(`mts-validation accuracy=${mtsAccuracy(model, validation).toFixed(4)} (for the record, not for selection)\n`);
}
if (process.argv.includes('--ceiling')) {
  const ceiling = labelCeiling(readMtsDialog(path.join(mtsDir, 'MTS-Dialog-TrainingSet.csv')), readMtsDialog(path.join(mtsDir, 'MTS-Dialog-ValidationSet.csv')));
  process.stdout.write(
    `mts-train rows whose text occurs under another label too: ${ceiling.ambiguousRows} (${ceiling.forcedErrors} errors for any text-only classifier); ` +
      `mts-validation texts found verbatim in training: ${ceiling.otherSeen}, ${ceiling.otherAgainstMajority} of them labelled against the training majority\n`,
  );
}
