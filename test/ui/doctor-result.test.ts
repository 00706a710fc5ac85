/**
 * The doctor's structured result (issue 15): codes first, findings grouped by type with one line per distinct
 * finding, the text pane sticky, a dictation shown with its punctuation applied; axe on each state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, chromiumAvailable, launchBrowser, signInAs, startUiServer, type UiBrowser, type UiServer } from './support.ts';

let server: UiServer;
let browser: UiBrowser;
let patientId: string;

const NOTE = [
  'Assessment: Hypertension. Type 2 diabetes mellitus.',
  'Hypertension is poorly controlled; hypertension was also noted at the last visit.',
  'Medications: lisinopril 10 mg PO daily. Continue lisinopril 10 mg PO daily.',
  'Vitals: BP 162/98, HR 84.',
].join('\n');

describe.skipIf(!chromiumAvailable)("doctor's result", () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startUiServer(), launchBrowser({ width: 1440, height: 900 })]);
    patientId = (await server.api<{ id: string }>('POST', '/v1/patients', 'doctor', { mrn: 'DR-1', name: 'Kwame Asante' })).body.id;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the suggested codes first and one line per distinct finding, with the mention count, beside a sticky text pane', async () => {
    const { page } = browser;
    await signInAs(page, server, 'doctor');
    await page.goto(`${server.baseUrl}/app/note?patient=${patientId}`);
    await expect.poll(() => page.locator('#note-for').textContent()).toMatch(/^For Kwame Asante/);
    await page.getByRole('textbox', { name: 'Text', exact: true }).fill(NOTE);
    await page.getByRole('button', { name: 'Submit note' }).click();
    await expect.poll(() => page.locator('#note-status').textContent(), { timeout: 45_000 }).toBe('Processed.');

    // Codes before the findings.
    const order = await page.evaluate(() => {
      const codes = document.querySelector('#note-output .code-summary')!;
      const findings = document.querySelector('#note-output .structure')!;
      return codes.compareDocumentPosition(findings) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
    expect(order).toBeTruthy();
    expect(await page.locator('.code-summary code').allTextContents()).toContain('I10');

    // Hypertension is mentioned three times: one line, ×3, and selecting it marks all three mentions.
    const hypertension = page.locator('.group-problem .item', { hasText: /^Hypertension/i });
    expect(await hypertension.count()).toBe(1);
    expect(await hypertension.locator('.mentions').textContent()).toBe('×3');
    await hypertension.click();
    expect((await page.locator('mark.active').allTextContents()).map((t) => t.toLowerCase())).toEqual(['hypertension', 'hypertension', 'hypertension']);
    const lisinopril = page.locator('.group-medication .item', { hasText: 'lisinopril' });
    expect(await lisinopril.count()).toBeLessThanOrEqual(2); // "lisinopril … daily" and "Continue lisinopril …" may differ in status only
    expect(await page.locator('.structure-pane .item').count()).toBe(await page.evaluate(() => new Set(Array.from(document.querySelectorAll(".structure-pane .item"), (b) => b.textContent)).size));

    // The text stays in view while the findings scroll.
    expect(await page.locator('#note-output .text-pane').evaluate((el) => getComputedStyle(el).position)).toBe('sticky');
    expect(await axeViolations(page)).toEqual([]);
    expect(browser.errors).toEqual([]);
  });
});
