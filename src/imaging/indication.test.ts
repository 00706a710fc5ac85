import { describe, expect, it } from 'vitest';
import { INDICATION_MAX_LENGTH, indicationProblem, normaliseIndication } from './indication.ts';

describe('clinical indication', () => {
  it('refuses control characters and over-long text given at upload, and accepts any one line of words', () => {
    expect(indicationProblem('Cough, fever 38.9 °C — ?pneumonia (Nguyễn’s GP)')).toBeNull();
    expect(indicationProblem('Fall.\nRib pain')).toMatch(/one line/);
    expect(indicationProblem('Fall\u0000')).toMatch(/control/);
    expect(indicationProblem('\u009bRib pain')).toMatch(/control/); // a C1 control (CSI)
    expect(indicationProblem(`  ${'x'.repeat(INDICATION_MAX_LENGTH)}  `)).toBeNull(); // measured after trimming
    expect(indicationProblem('x'.repeat(INDICATION_MAX_LENGTH + 1))).toMatch(/at most 500/);
  });

  it('stores it trimmed with white space collapsed, null when empty, and cleans text from files to the cap', () => {
    expect(normaliseIndication('  Shortness of   breath ')).toBe('Shortness of breath');
    expect(normaliseIndication('   ')).toBeNull();
    expect(normaliseIndication(null)).toBeNull();
    expect(normaliseIndication('Chest\u0007pain\r\n')).toBe('Chest pain');
    expect(normaliseIndication('y'.repeat(600))).toHaveLength(INDICATION_MAX_LENGTH);
  });
});
