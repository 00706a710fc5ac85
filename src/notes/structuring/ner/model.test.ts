import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelLocations } from '../../../config/paths.ts';
import { findMentions, type NerModel } from './model.ts';
import { loadNerModel } from './ner-files.ts';

let model: NerModel;
beforeAll(async () => {
  model = await loadNerModel(path.join(modelLocations().modelsDir, 'ner'));
  await findMentions(model, 'Warm-up: the lexicons load on first use.');
}, 120_000);

const found = async (text: string, head: 'cdr' | 'ncbi' = 'cdr') =>
  (await findMentions(model, text, { head })).map((m) => `${text.slice(m.start, m.end)}/${m.type}`);

describe('findMentions with the committed model', () => {
  it('finds chemicals and diseases in an abstract sentence', async () => {
    const text = 'Naloxone reverses the antihypertensive effect of clonidine. Cisplatin nephrotoxicity was seen in two patients.';
    const mentions = await found(text);
    expect(mentions).toContain('Naloxone/chemical');
    expect(mentions).toContain('clonidine/chemical');
    expect(mentions).toContain('Cisplatin/chemical');
    expect(mentions).toContain('nephrotoxicity/disease');
  });

  it('gives spans inside the text, in order, with probabilities', async () => {
    const text = 'Patients with Duchenne muscular dystrophy (DMD) and breast cancer were given tamoxifen.';
    const mentions = await findMentions(model, text);
    expect(mentions.length).toBeGreaterThan(0);
    for (const m of mentions) {
      expect(m.start).toBeGreaterThanOrEqual(0);
      expect(m.end).toBeLessThanOrEqual(text.length);
      expect(m.score).toBeGreaterThan(0);
      expect(m.score).toBeLessThanOrEqual(1);
    }
    expect(mentions.map((m) => m.start)).toEqual([...mentions.map((m) => m.start)].sort((a, b) => a - b));
    expect(await found(text, 'ncbi')).toContain('Duchenne muscular dystrophy/disease');
  });

  it('finds nothing in text without a name and handles empty text', async () => {
    expect(await findMentions(model, '')).toEqual([]);
    expect(await findMentions(model, 'The results were reviewed on Monday.')).toEqual([]);
  });
});
