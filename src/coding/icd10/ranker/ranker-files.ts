/** Reads and writes ranker artifacts (gzip JSON, `models/icd10cm/ranker.json.gz` or a file from `clinote icd10 learn`). */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { RankerModelData } from './model.ts';

/** The ranker shipped in the models folder (`clinote icd10 train` rewrites it). */
export function bundledRankerFile(modelsDir: string): string {
  return path.join(modelsDir, 'icd10cm', 'ranker.json.gz');
}

export function readRankerModel(file: string): RankerModelData {
  if (!existsSync(file)) throw new Error(`ICD-10 ranker not found at ${file}; train it with \`clinote icd10 train\``);
  return JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as RankerModelData;
}

export function writeRankerModel(file: string, data: RankerModelData): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, gzipSync(JSON.stringify(data), { level: 9 }));
  renameSync(temporary, file);
}
