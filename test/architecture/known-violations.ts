/**
 * Violations of the dependency rule that the tree had when the rule was written down, each to be removed by the
 * feature-folder redesign (issue 17). The architecture test fails on any violation not listed here and on any
 * entry here that no longer occurs, so this list can only shrink: delete an entry when its cause is fixed.
 */
export const KNOWN_VIOLATIONS: ReadonlyArray<{ key: string; reason: string }> = [
  // Domain modules that read files or the environment themselves instead of receiving data through Config.
  { key: 'domain-does-io: src/clinical/lexicons.ts -> node:fs', reason: 'lexicon singletons read models/lexicons at first use' },
  { key: 'domain-does-io: src/clinical/llm.ts -> node:fs', reason: 'LLM structurer reads its prompt files itself' },
  { key: 'domain-does-io: src/clinical/ner/load.ts -> node:fs', reason: 'NER model loader reads models/ner itself' },
  { key: 'domain-does-io: src/clinical/section-classifier.ts -> node:fs', reason: 'section classifier reads its model file at first use' },
  { key: 'domain-does-io: src/history/fhir-import.ts -> node:fs', reason: 'FHIR import (a service, not domain) still lives in src/history and reads bundle files' },
  { key: 'domain-does-io: src/icd10/ranker/model.ts -> node:fs', reason: 'ranker singleton reads ranker.json.gz itself' },
  { key: 'domain-does-io: src/icd10/release.ts -> node:fs', reason: 'ICD-10-CM release loader reads the tabular files itself' },
  { key: 'domain-does-io: src/icd10/training/codiesp.ts -> node:fs', reason: 'training reads the CodiEsp files; belongs with the CLI/eval side' },
  { key: 'domain-does-io: src/icd10/versions.ts -> node:fs', reason: 'code-set versions singleton reads the release folders itself' },
  { key: 'domain-does-io: src/imaging/registry.ts -> node:fs', reason: 'model registry scans the models folder itself' },
  { key: 'domain-does-io: src/imaging/registry.ts -> node:fs/promises', reason: 'model registry reads manifests and ONNX files itself' },
  { key: 'domain-does-io: src/ml/embedder.ts -> node:fs/promises', reason: 'embedder singleton reads its model folder itself' },
  // Composition roots in cli/: they start the workers or build the HTTP app in-process.
  { key: 'door-imports-door: src/cli/note-processing.ts -> workers/index.ts', reason: 'CLI starts the workers in-process' },
  { key: 'door-imports-door: src/cli/serve.ts -> src/api/app.ts', reason: '`clinote serve` builds the HTTP app: a composition root, to move out of cli/' },
  { key: 'door-imports-door: src/cli/serve.ts -> src/api/client-errors.ts', reason: '`clinote serve` wires the client-error log: composition root' },
  { key: 'door-imports-door: src/cli/serve.ts -> workers/index.ts', reason: '`clinote serve` starts the workers: composition root' },
  // Repositories typed by domain modules: types belong with the feature's repository or a shared types module.
  { key: 'repository-imports-domain: src/repositories/coding.ts -> src/coding/export.ts', reason: 'coding repository returns export types' },
  { key: 'repository-imports-domain: src/repositories/coding.ts -> src/coding/review.ts', reason: 'coding repository returns review types' },
  { key: 'repository-imports-domain: src/repositories/coding.ts -> src/icd10/training/decisions.ts', reason: 'coding repository returns training decision types' },
  { key: 'repository-imports-domain: src/repositories/encounters.ts -> src/encounters/encounter.ts', reason: 'encounter repository returns domain encounter types' },
  { key: 'repository-imports-domain: src/repositories/history-facts.ts -> src/history/facts.ts', reason: 'facts repository returns domain fact types' },
  { key: 'repository-imports-domain: src/repositories/history-passages.ts -> src/history/concepts.ts', reason: 'passages repository stores concept mention types' },
  { key: 'repository-imports-domain: src/repositories/history-passages.ts -> src/history/ranking.ts', reason: 'passages repository returns PassageScores for ranking' },
];
