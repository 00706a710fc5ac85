/**
 * Violations of the dependency rule the tree still has, each with its reason. The architecture test fails on any
 * violation not listed here and on any entry here that no longer occurs, so this list can only shrink: delete an
 * entry when its cause is fixed.
 */
export const KNOWN_VIOLATIONS: ReadonlyArray<{ key: string; reason: string }> = [
  { key: 'domain-does-io: src/coding/icd10/ranker/model.ts -> node:fs', reason: 'ranker singleton reads ranker.json.gz itself' },
  { key: 'domain-does-io: src/coding/icd10/ranker/model.ts -> src/config/paths.ts', reason: 'reads its model location from the process-wide ModelLocations instead of receiving it' },
  { key: 'domain-does-io: src/coding/icd10/release.ts -> node:fs', reason: 'ICD-10-CM release loader reads the tabular files itself' },
  { key: 'domain-does-io: src/coding/icd10/training/codiesp.ts -> node:fs', reason: 'training reads the CodiEsp files; belongs with the CLI/eval side' },
  { key: 'domain-does-io: src/coding/icd10/versions.ts -> node:fs', reason: 'code-set versions singleton reads the release folders itself' },
  { key: 'domain-does-io: src/coding/icd10/versions.ts -> src/config/paths.ts', reason: 'reads its model location from the process-wide ModelLocations instead of receiving it' },
  { key: 'domain-does-io: src/imaging/registry.ts -> node:fs', reason: 'model registry scans the models folder itself' },
  { key: 'domain-does-io: src/imaging/registry.ts -> node:fs/promises', reason: 'model registry scans the models folder itself' },
  { key: 'domain-does-io: src/imaging/registry.ts -> src/config/paths.ts', reason: 'reads its model location from the process-wide ModelLocations instead of receiving it' },
  { key: 'domain-does-io: src/ml/embedder.ts -> node:fs/promises', reason: 'embedder singleton reads its model folder itself' },
  { key: 'domain-does-io: src/ml/embedder.ts -> src/config/paths.ts', reason: 'reads its model location from the process-wide ModelLocations instead of receiving it' },
  { key: 'domain-does-io: src/notes/structuring/lexicons.ts -> node:fs', reason: 'lexicon singletons read models/lexicons at first use' },
  { key: 'domain-does-io: src/notes/structuring/lexicons.ts -> src/config/paths.ts', reason: 'reads its model location from the process-wide ModelLocations instead of receiving it' },
  { key: 'domain-does-io: src/notes/structuring/llm.ts -> node:fs', reason: 'LLM structurer reads its prompt files itself' },
  { key: 'domain-does-io: src/notes/structuring/llm.ts -> src/config/paths.ts', reason: 'reads its model location from the process-wide ModelLocations instead of receiving it' },
  { key: 'domain-does-io: src/notes/structuring/ner/load.ts -> node:fs', reason: 'NER model loader reads models/ner itself' },
  { key: 'domain-does-io: src/notes/structuring/section-classifier.ts -> node:fs', reason: 'section classifier reads its model file at first use' },
];
