/**
 * The one install step for the on-device models: points every domain loader (lexicons, section classifier, LLM
 * prompts, ICD-10-CM code sets and ranker, embedding model) at the file adapters for one set of `ModelLocations`,
 * derived from the process's validated `Config`. Each composition root calls it once before anything loads a
 * model: the serve entry point, the CLI, every compute thread, the test setup and the model-building scripts.
 */
import path from 'node:path';
import { codeSetFiles } from './coding/icd10/code-set-files.ts';
import { useRanker } from './coding/icd10/ranker/model.ts';
import { readRankerModel } from './coding/icd10/ranker/ranker-files.ts';
import { useCodeSets } from './coding/icd10/versions.ts';
import { loadConfig } from './config/env.ts';
import { modelLocationsOf, projectRoot, useModelLocations, type ModelLocations } from './config/paths.ts';
import { readEmbeddingModelFiles, resolveEmbeddingModel } from './ml/embedder-files.ts';
import { useEmbeddingModel } from './ml/embedder.ts';
import { readLexiconTables, readSectionClassifier } from './notes/structuring/lexicon-files.ts';
import { useLexicons } from './notes/structuring/lexicons.ts';
import { useStructuringPrompts } from './notes/structuring/llm.ts';
import { readStructuringPrompts } from './notes/structuring/prompt-files.ts';
import { useSectionClassifier } from './notes/structuring/section-classifier.ts';

export function installModelFiles(locations: ModelLocations): void {
  useModelLocations(locations);
  useLexicons(() => readLexiconTables(locations.modelsDir));
  useSectionClassifier(() => readSectionClassifier(locations.modelsDir));
  useStructuringPrompts(() => readStructuringPrompts(path.join(projectRoot, 'prompts')));
  useCodeSets(codeSetFiles(locations, locations.icd10Version));
  useRanker(() => readRankerModel(locations.icd10Ranker));
  useEmbeddingModel(() => readEmbeddingModelFiles(resolveEmbeddingModel(locations.embeddingModel, locations.modelsDir).dir));
}

/** For a process holding no Config of its own (the CLI, build scripts, tests): installs its environment's. */
export function installModelFilesFromEnvironment(): void {
  installModelFiles(modelLocationsOf(loadConfig()));
}
