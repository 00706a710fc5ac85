/**
 * Loads the mention finder's artifacts from a folder: ner.json (vocabulary, CRF transitions) and ner.onnx (the
 * emission network), run with onnxruntime-node on one CPU thread.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';
import type { CrfHead } from './decode.ts';
import type { NameMemory } from './memory.ts';
import type { NerHead, NerInput, NerModel } from './model.ts';
import { FEATURE_COUNT, MAX_WORD_CHARS } from './tokens.ts';

interface NerArtifact {
  format: number;
  vocabulary: string[];
  heads: Record<NerHead, CrfHead>;
  gazetteer: boolean;
}

export class NerModelError extends Error {
  override readonly name = 'NerModelError';
}

interface MemoryArtifact {
  format: number;
  heads: Record<NerHead, { keep: Array<[string, string]>; drop: string[]; diseaseNouns: string[]; modifiers: string[]; leftOut: string[]; takenIn: string[]; leftOutAfter: string[] }>;
}

function readMemory(file: string): Record<NerHead, NameMemory> | undefined {
  if (!existsSync(file)) return undefined;
  const artifact = JSON.parse(readFileSync(file, 'utf8')) as MemoryArtifact;
  if (artifact.format !== 2) throw new NerModelError(`${file}: format ${artifact.format}, expected 2`);
  const memory = (head: NerHead): NameMemory => {
    const { keep, drop, diseaseNouns, modifiers, leftOut, takenIn, leftOutAfter } = artifact.heads[head];
    return {
      keep: new Map(keep),
      drop: new Set(drop),
      longest: Math.max(0, ...keep.map(([k]) => k.split(' ').length)),
      diseaseNouns: new Set(diseaseNouns),
      modifiers: new Set(modifiers),
      edges: { leftOut: new Set(leftOut), takenIn: new Set(takenIn), leftOutAfter: new Set(leftOutAfter) },
    };
  };
  return { cdr: memory('cdr'), ncbi: memory('ncbi') };
}

export async function loadNerModel(dir: string): Promise<NerModel> {
  const jsonPath = path.join(dir, 'ner.json');
  const artifact = JSON.parse(readFileSync(jsonPath, 'utf8')) as NerArtifact;
  if (artifact.format !== 1) throw new NerModelError(`${jsonPath}: format ${artifact.format}, expected 1`);
  for (const head of ['cdr', 'ncbi'] as const) {
    const h = artifact.heads[head];
    if (!h || h.transitions.length !== h.labels.length) throw new NerModelError(`${jsonPath}: head ${head} is missing or malformed`);
  }
  const session = await ort.InferenceSession.create(path.join(dir, 'ner.onnx'), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const vocabulary = new Map(artifact.vocabulary.map((w, i) => [w, i]));
  return {
    vocabulary,
    heads: artifact.heads,
    gazetteer: artifact.gazetteer,
    memory: readMemory(path.join(dir, 'memory.json')),
    async emissions(input: NerInput) {
      const n = input.tokens;
      const out = await session.run({
        words: new ort.Tensor('int64', input.words, [1, n]),
        chars: new ort.Tensor('int64', input.chars, [1, input.distinct, MAX_WORD_CHARS]),
        char_index: new ort.Tensor('int64', input.charIndex, [1, n]),
        features: new ort.Tensor('float32', input.features, [1, n, FEATURE_COUNT]),
      });
      return { ncbi: out.ncbi!.data as Float32Array, cdr: out.cdr!.data as Float32Array };
    },
  };
}
