import path from 'node:path';
import { env, pipeline } from '@xenova/transformers';
import { describe, expect, it } from 'vitest';
import { modelLocations } from '../config/paths.ts';
import { getEmbedder, loadEmbedder } from './embedder.ts';
import { readEmbeddingModelFiles, resolveEmbeddingModel } from './embedder-files.ts';

const configured = () => resolveEmbeddingModel(modelLocations().embeddingModel, modelLocations().modelsDir);

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, v, i) => sum + v * b[i]!, 0);

describe('clinote-embed through the service loader (committed model, offline)', () => {
  it('places myocardial infarction nearer to heart attack than to femur fracture', async () => {
    const embedder = await getEmbedder();
    const [mi, heartAttack, femurFracture] = await embedder.embed([
      'myocardial infarction',
      'heart attack',
      'femur fracture',
    ]);
    expect(dot(mi!, heartAttack!)).toBeGreaterThan(dot(mi!, femurFracture!));
  });

  it('returns unit vectors of the advertised dimension and a content-derived model id', async () => {
    const embedder = await getEmbedder();
    expect(embedder.modelId).toMatch(/^clinote-embed@[0-9a-f]{12}$/);
    const [vector] = await embedder.embed(['Patient denies chest pain.']);
    expect(vector).toHaveLength(embedder.dimension);
    expect(dot(vector!, vector!)).toBeCloseTo(1, 4);
  });

  it('gives the same vectors for a batch, single calls and concurrent callers', async () => {
    const embedder = await getEmbedder();
    const texts = [
      'Type 2 diabetes mellitus without complications',
      'HTN',
      'Fracture of the neck of the right femur after a fall at home, treated with hemiarthroplasty.',
      'cough',
      '',
    ];
    const batch = await embedder.embed(texts);
    const single = await Promise.all(texts.map(async (t) => (await embedder.embed([t]))[0]!));
    texts.forEach((_, i) => {
      for (let k = 0; k < embedder.dimension; k++) expect(batch[i]![k]).toBeCloseTo(single[i]![k]!, 5);
    });
    expect(batch[4]!.every((v) => v === 0)).toBe(true);
  });

  it('matches the ordinary transformers.js pipeline with mean pooling and normalisation', async () => {
    const embedder = await getEmbedder();
    const texts = ['acute kidney injury', 'Patient was started on metformin 500 mg twice daily.'];
    const ours = await embedder.embed(texts);
    env.allowRemoteModels = false;
    env.localModelPath = path.dirname(configured().dir);
    const extractor = await pipeline('feature-extraction', 'clinote-embed', { quantized: true, local_files_only: true });
    const theirs = await extractor(texts, { pooling: 'mean', normalize: true });
    expect(theirs.dims).toEqual([2, embedder.dimension]);
    ours.forEach((vector, row) => {
      for (let k = 0; k < embedder.dimension; k++) {
        expect(vector[k]).toBeCloseTo(theirs.data[row * embedder.dimension + k] as number, 5);
      }
    });
  });

  it('loads the model once per process', async () => {
    expect(await getEmbedder()).toBe(await getEmbedder());
    const fresh = await loadEmbedder(await readEmbeddingModelFiles(configured().dir));
    expect(fresh).not.toBe(await getEmbedder());
    expect(fresh.modelId).toBe((await getEmbedder()).modelId);
  });
});
