/**
 * Trains the content-based section classifier (src/clinical/section-classifier.ts) and writes its weights to
 * models/lexicons/section-classifier.json. Training data: MTS-Dialog TRAINING set section texts and the sections
 * of the ACI-BENCH TRAIN notes (split at their headers). Validation sets are never trained on.
 *
 *   npx tsx models/lexicons/train-section-classifier.ts [--cv] [--report]
 *
 * --cv prints 5-fold cross-validated accuracy on the MTS-Dialog training set for a few regularisation strengths;
 * --report prints MTS-Dialog validation accuracy for the same strengths (for the record, not for selection).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sharedDataDir } from '../../src/config/paths.ts';
import { lexiconDir } from '../../src/clinical/lexicons.ts';
import { aciExamples, crossValidate, mtsAccuracy, mtsExamples, train } from './build/section-training.ts';

const mtsDir = path.join(sharedDataDir(), 'eval', 'mts-dialog');
const mtsTrain = mtsExamples(path.join(mtsDir, 'MTS-Dialog-TrainingSet.csv'));
const aciTrain = aciExamples('train');
const examples = [...mtsTrain, ...aciTrain];
const l2 = 1e-3;
const epochs = 200;
const candidates = [3e-4, 1e-3, 3e-3];
if (process.argv.includes('--cv')) {
  for (const candidate of candidates) {
    process.stdout.write(`l2=${candidate} mts-train 5-fold accuracy=${crossValidate(mtsTrain, aciTrain, candidate, epochs).toFixed(4)}\n`);
  }
}
if (process.argv.includes('--report')) {
  const validation = path.join(mtsDir, 'MTS-Dialog-ValidationSet.csv');
  for (const candidate of candidates) {
    process.stdout.write(`l2=${candidate} mts-validation accuracy=${mtsAccuracy(train(examples, candidate, epochs), validation).toFixed(4)}\n`);
  }
}
const model = train(examples, l2, epochs);
writeFileSync(path.join(lexiconDir(), 'section-classifier.json'), JSON.stringify(model) + '\n');
process.stdout.write(`trained on ${examples.length} sections, ${Object.keys(model.weights).length} features, ${model.labels.length} labels\n`);
