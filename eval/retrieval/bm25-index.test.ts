import { describe, expect, it } from 'vitest';
import { bm25Terms, buildBm25Index } from './bm25-index.ts';

describe('bm25Terms', () => {
  it('lower-cases, drops stop words and folds plural endings only', () => {
    expect(bm25Terms('The fractures of the Ribs and diabetes, with pains')).toEqual(['fracture', 'rib', 'diabete', 'pain']);
    expect(bm25Terms('Biopsies of the lymph nodes')).toEqual(['biopsy', 'lymph', 'node']);
    expect(bm25Terms('Crohn’s disease: café-au-lait')).toEqual(['crohn', 's', 'disease', 'cafe', 'au', 'lait']);
  });
});

describe('buildBm25Index', () => {
  const index = buildBm25Index([
    { id: 'a', text: 'Chest pain radiating to the left arm; troponin elevated.' },
    { id: 'b', text: 'Knee pain after a fall. Knee swelling and knee effusion.' },
    { id: 'c', text: 'Fever and productive cough for three days.' },
  ]);

  it('ranks documents sharing rarer query terms first and leaves out documents sharing none', () => {
    expect(index.search('knee pain', 10).map((r) => r.id)).toEqual(['b', 'a']);
    expect(index.search('cough', 10).map((r) => r.id)).toEqual(['c']);
    expect(index.search('hypertension', 10)).toEqual([]);
  });

  it('honours the limit, best first', () => {
    expect(index.search('pain chest knee fever', 2).map((r) => r.id)).toEqual(['b', 'a']); // knee three times outweighs chest once
  });

  it('keeps insertion order between documents of equal score', () => {
    const twins = buildBm25Index([
      { id: 'z', text: 'cough' },
      { id: 'y', text: 'cough' },
      { id: 'x', text: 'fever' },
    ]);
    expect(twins.search('cough', 10).map((r) => r.id)).toEqual(['z', 'y']);
  });
});
