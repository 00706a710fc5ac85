import { describe, expect, it } from 'vitest';
import { JsonText, stageResultsJson } from './pipeline.ts';

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
