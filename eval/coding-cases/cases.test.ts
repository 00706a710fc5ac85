/**
 * Validity of the gold coding cases: the file parses in the documented format, and every code it names exists in
 * the bundled FY2021 code set (gold codes billable, must_not codes at least valid), so a scoring run can never
 * reward or punish a code that a claim could not carry.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codeReferences, inRange } from '../../src/coding/icd10/code-ranges.ts';
import { bundledVersion, loadCodeSet } from '../../src/coding/icd10/versions.ts';

interface CodingCase {
  id: string;
  setting: 'outpatient' | 'ED' | 'inpatient';
  text: string;
  gold: string[];
  must_not: string[];
}

const casesFile = fileURLToPath(new URL('./cases.jsonl', import.meta.url));
const lines = readFileSync(casesFile, 'utf8').split('\n');
const settings = new Set(['outpatient', 'ED', 'inpatient']);
const dottedCode = /^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/;

function parseCases(): CodingCase[] {
  expect(lines.at(-1), 'file ends with one newline').toBe('');
  return lines.slice(0, -1).map((line, index) => {
    const value = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(value), `line ${index + 1}: exact fields in order`).toEqual(['id', 'setting', 'text', 'gold', 'must_not']);
    return value as unknown as CodingCase;
  });
}

describe('eval/coding-cases/cases.jsonl', () => {
  const cases = parseCases();
  const codeSet = loadCodeSet(bundledVersion);

  it('holds at least 90 cases with unique sequential ids', () => {
    expect(cases.length).toBeGreaterThanOrEqual(90);
    expect(cases.map((c) => c.id)).toEqual(cases.map((_, i) => `c${String(i + 1).padStart(3, '0')}`));
  });

  it('gives every case a known setting, a 40-250 word note and string code lists', () => {
    for (const c of cases) {
      expect(settings.has(c.setting), c.id).toBe(true);
      const words = c.text.trim().split(/\s+/).length;
      expect(words, `${c.id} word count`).toBeGreaterThanOrEqual(40);
      expect(words, `${c.id} word count`).toBeLessThanOrEqual(250);
      expect(c.gold.length, `${c.id} has gold codes`).toBeGreaterThan(0);
      for (const code of [...c.gold, ...c.must_not]) expect(code, c.id).toMatch(dottedCode);
    }
  });

  it('names every gold code as a billable FY2021 code, once, and never also in must_not', () => {
    for (const c of cases) {
      expect(new Set(c.gold).size, `${c.id} duplicate gold`).toBe(c.gold.length);
      for (const code of c.gold) {
        expect(codeSet.record(code)?.code, `${c.id}: gold ${code} exists (dotted as in the code set)`).toBe(code);
        expect(codeSet.record(code)?.billable, `${c.id}: gold ${code} billable`).toBe(true);
        expect(c.must_not, `${c.id}: ${code} both gold and must_not`).not.toContain(code);
      }
    }
  });

  it('names every must_not code as a valid FY2021 code (headers allowed: they are the missing-character trap)', () => {
    for (const c of cases) {
      expect(new Set(c.must_not).size, `${c.id} duplicate must_not`).toBe(c.must_not.length);
      for (const code of c.must_not) expect(codeSet.record(code)?.code, `${c.id}: must_not ${code} exists`).toBe(code);
    }
  });

  /** Gold codes named by one of `code`'s notes of the given kind (inherited notes included). */
  const namedBy = (code: string, kind: 'excludes1' | 'codeFirst', gold: string[]) =>
    gold.filter((other) => other !== code && codeSet.notes(code, [kind]).some((n) => codeReferences(n.text).some((r) => inRange(other, r))));

  // Covers FY2021's Excludes1 between insulin (Z79.4) and oral hypoglycemics (Z79.84), among others.
  it('never pairs two gold codes that a Tabular Excludes1 note keeps apart', () => {
    for (const c of cases) for (const code of c.gold) expect(namedBy(code, 'excludes1', c.gold), `${c.id} ${code}`).toEqual([]);
  });

  it('sequences a gold code after the gold code its "code first" note names', () => {
    for (const c of cases) {
      for (const [index, code] of c.gold.entries()) {
        const later = namedBy(code, 'codeFirst', c.gold).filter((first) => c.gold.indexOf(first) > index);
        expect(later, `${c.id}: ${code} must come after ${later.join(', ')}`).toEqual([]);
      }
    }
  });
});
