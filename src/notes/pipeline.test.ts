import { describe, expect, it } from 'vitest';
import { JsonText, pipelineVersionOf, runNoteStages, stageResultsJson, type AnyNoteStage } from './pipeline.ts';
import type { Note } from './types.ts';

describe('stageResultsJson', () => {
  it('splices JSON text outputs in as they are and serialises the others, as JSON.stringify would the parsed whole', () => {
    const structure = { sections: [{ type: 'hpi', text: 'Pain "sharp" \\ since Monday\n' }], problems: [] };
    const results = { structure: new JsonText(JSON.stringify(structure)), codes: { suggestions: [{ code: 'I10' }] }, skipped: undefined, index: { passages: 2 } };
    const text = stageResultsJson(results);
    expect(JSON.parse(text)).toEqual({ structure, codes: { suggestions: [{ code: 'I10' }] }, index: { passages: 2 } });
    expect(text).toContain(JSON.stringify(structure));
    expect(stageResultsJson({})).toBe('{}');
  });
});

describe('runNoteStages', () => {
  it('runs the stages in order, each seeing the typed outputs of the ones before it', async () => {
    interface Results {
      words: string[];
      count: number;
    }
    const note = { id: 'n1', text: 'chest pain at rest' } as Note;
    const seen: Array<Partial<Results>> = [];
    const stages: Array<AnyNoteStage<Results>> = [
      { name: 'words', version: '1', run: async (n, earlier) => (seen.push({ ...earlier }), n.text.split(' ')) },
      { name: 'count', version: '2', run: async (_n, earlier) => (seen.push({ ...earlier }), earlier.words!.length) },
    ];
    expect(await runNoteStages(note, stages)).toEqual({ words: ['chest', 'pain', 'at', 'rest'], count: 4 });
    expect(seen).toEqual([{}, { words: ['chest', 'pain', 'at', 'rest'] }]);
    expect(pipelineVersionOf(stages)).toBe('words@1+count@2');
  });
});
