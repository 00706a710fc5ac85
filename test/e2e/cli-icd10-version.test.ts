import { describe, expect, it } from 'vitest';
import { runClinote } from '../support/cli-process.ts';

describe('clinote icd10 --version <code set>', () => {
  it("is the command's code-set version, not the program's version flag", async () => {
    const unknown = await runClinote(['icd10', 'code', 'I10', '--version', 'FY1999'], process.env);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/ICD-10-CM version "FY1999" is not installed \(known: .*FY2021.*\)/);
    const path = await runClinote(['icd10', 'search', 'fever', '--version', '../../etc/x'], process.env);
    expect(path.code).toBe(1);
    expect(path.stderr).toMatch(/invalid code-set version name/);
    const known = await runClinote(['icd10', 'code', 'I10', '--version', 'FY2021'], process.env);
    expect(known.code).toBe(0);
    expect(JSON.parse(known.stdout)).toMatchObject({ code: 'I10' });
    expect((await runClinote(['-V'], process.env)).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  }, 120_000);
});
