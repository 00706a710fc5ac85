import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelLocations } from '../../config/paths.ts';
import { codeSetFiles, importRelease, listCodeSetFiles } from './code-set-files.ts';
import { getCode, searchCodes } from './code-lookup.ts';
import { CodeSetError, parseTabular } from './release.ts';
import { loadCodeSet, useCodeSets } from './versions.ts';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'mini-release');
const dataDir = mkdtempSync(path.join(tmpdir(), 'clinote-icd10-'));
const dirs = { modelsDir: modelLocations().modelsDir, dataDir };
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
// This file's process serves the code sets of the bundled folder and of its own data directory.
beforeAll(() => useCodeSets(codeSetFiles(dirs, undefined)));

describe('importRelease', () => {
  it('imports a hand-made CMS release folder as a new version with hierarchy, notes, 7th characters and index terms', () => {
    const imported = importRelease(fixture, { ...dirs, version: 'TEST2099' });
    expect(imported).toMatchObject({ version: 'TEST2099', codes: 14, billable: 8, tabularVersion: '2099' });
    // The index names E17.9, which this release does not have: that term is skipped, the others attach.
    expect(imported.indexTerms).toBe(2);
    expect(listCodeSetFiles(dirs).map((v) => v.version)).toEqual(expect.arrayContaining(['FY2021', 'TEST2099']));

    const codeSet = loadCodeSet('TEST2099');
    const fracture = codeSet.describe('s72001d')!;
    expect(fracture).toMatchObject({
      code: 'S72.001D',
      billable: true,
      version: 'TEST2099',
      seventhCharacter: { character: 'D', meaning: 'subsequent encounter for closed fracture with routine healing' },
      chapter: { number: 19 },
      block: { id: 'S70-S79', title: 'Injuries to the hip and thigh' },
    });
    expect(fracture.parents.map((p) => p.code)).toEqual(['S72', 'S72.0', 'S72.00', 'S72.001']);
    // The order file's title is authoritative; the tabular's own (with an entity) is read correctly too.
    expect(codeSet.describe('S72.0')!.title).toBe('Fracture of head and neck of femur');
    const tabular = parseTabular(readFileSync(path.join(fixture, 'icd10cm_tabular_2099.xml'), 'utf8'));
    expect(tabular.codes.find((c) => c.code === 'S72.0')!.title).toBe('Fracture of head & neck of femur');

    const header = codeSet.describe('S72.002')!;
    expect(header.billable).toBe(false);
    expect(header.children.map((c) => c.code)).toEqual(['S72.002A', 'S72.002D', 'S72.002S']);
    expect(header.seventhCharacterOptions?.map((o) => o.character)).toEqual(['A', 'D', 'S']);

    const diabetes = codeSet.describe('E11.9')!;
    expect(diabetes.indexTerms).toEqual(['Diabetes, diabetic, type 2']);
    expect(diabetes.notes).toEqual(
      expect.arrayContaining([
        { kind: 'excludes1', text: 'type 1 diabetes mellitus (E10.-)', from: 'E11' },
        { kind: 'useAdditionalCode', text: 'code to identify control using insulin (Z79.4)', from: 'E11' },
      ]),
    );
    // Inclusion terms describe their own code and are not inherited.
    expect(diabetes.notes.some((n) => n.kind === 'inclusionTerms')).toBe(false);
    expect(codeSet.describe('I10')!.indexTerms).toEqual(['Hypertension, hypertensive']);
  });

  it('serves the imported version through getCode and searchCodes when selected', () => {
    expect(getCode('I10', 'TEST2099')?.notes).toEqual([{ kind: 'inclusionTerms', text: 'high blood pressure', from: 'I10' }]);
    expect(searchCodes('high blood', { version: 'TEST2099' }).map((h) => h.code)).toEqual(['I10']);
    expect(getCode('I10')?.version).toBe('FY2021');
  });

  it('rejects a release whose order file lists a code the tabular cannot explain', () => {
    const broken = mkdtempSync(path.join(tmpdir(), 'clinote-icd10-broken-'));
    try {
      cpSync(fixture, broken, { recursive: true });
      const orderFile = path.join(broken, 'icd10cm-order-2099.txt');
      writeFileSync(orderFile, `${readFileSync(orderFile, 'utf8')}00099 S72001X 1 Bogus${' '.repeat(55)} Bogus\r\n`);
      expect(() => importRelease(broken, { ...dirs, version: 'BROKEN' })).toThrow(/S72.001X is neither in the Tabular List/);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  it('refuses to overwrite the bundled version and invalid names', () => {
    expect(() => importRelease(fixture, { ...dirs, version: 'FY2021' })).toThrow(/bundled/);
    expect(() => importRelease(fixture, { ...dirs, version: '../evil' })).toThrow(/invalid/);
  });

  it('loads only a version name, with a clear error for an unknown one', () => {
    expect(() => loadCodeSet('x/../../../../tmp/evil')).toThrow(CodeSetError);
    expect(() => loadCodeSet('x/../../../../tmp/evil')).toThrow(/invalid code-set version name/);
    expect(() => loadCodeSet('FY1999')).toThrow(/"FY1999" is not installed \(known: .*FY2021/);
  });
});
