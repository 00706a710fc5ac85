/**
 * The coder's workflow in headless Chromium (issue 14): a three-note inpatient encounter completed by keyboard
 * alone — nothing pre-filled, Save refused while a proposed code is undecided, principal and sequence, POA, a
 * blocking edit that offers no override, one warning overridden with a reason, Save then Save & next — with
 * focus kept where the coder works (arrows stay in the radio group; after Save focus is on the saved set, not
 * <body>) and axe 0 serious/critical on the worklist and the review.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, chromiumAvailable, hasFocus, launchBrowser, screenshot, signInAs, startUiServer, tabTo, type UiBrowser, type UiServer } from './support.ts';

const ADMISSION =
  'Admission note. Chief complaint: fever and productive cough. Assessment: Community acquired pneumonia, present on admission. Type 2 diabetes mellitus on metformin. Plan: IV ceftriaxone.';
const PROGRESS = 'Progress note, hospital day 3. Patient developed a urinary tract infection on hospital day 3. Pneumonia improving on antibiotics.';
const DISCHARGE = 'Discharge summary. Principal diagnosis: community acquired pneumonia. Secondary: urinary tract infection acquired during the hospital stay. Type 2 diabetes mellitus.';

let server: UiServer;
let browser: UiBrowser;
let encounterId: string;
let nextEncounterId: string;

async function processed(noteId: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  // A poll may meet a kept-alive socket the server just closed (ECONNRESET): that poll counts as "not yet".
  const status = () => server.api('GET', `/v1/notes/${noteId}`, 'coder').then((r) => r.body.status as string, () => 'unknown');
  while ((await status()) !== 'processed') {
    if (Date.now() > deadline) throw new Error(`note ${noteId} not processed`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const card = (page: Page, code: string) => page.locator(`li.suggestion[data-code="${code}"]`);
const focusedCode = (page: Page) => page.evaluate(() => (document.activeElement?.closest('li.suggestion') as HTMLElement | null)?.dataset.code ?? null);

/** Chooses a code in a combobox by keyboard: type, arrow to the option, Enter. */
async function chooseCode(page: Page, label: string, code: string): Promise<void> {
  const combo = page.getByRole('combobox', { name: label });
  await tabTo(page, combo, 400);
  await page.keyboard.type(code);
  await page.getByRole('option', { name: new RegExp(`^${code.replace('.', '\\.')}\\b`) }).first().waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
}

describe.skipIf(!chromiumAvailable)('coder workflow', () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startUiServer(), launchBrowser({ width: 1440, height: 1000 })]);
    const patient = (await server.api('POST', '/v1/patients', 'doctor', { mrn: 'CW-0001', name: 'Lan Tran', sex: 'female', birthDate: '1958-07-14' })).body.id;
    encounterId = (await server.api('POST', `/v1/patients/${patient}/encounters`, 'doctor', { type: 'inpatient', start: '2026-03-01T20:00:00Z', end: '2026-03-05T11:00:00Z', externalId: 'ADM-77' })).body.id;
    const notes: string[] = [];
    for (const [text, kind, authoredAt] of [
      [ADMISSION, 'admission', '2026-03-01T21:00:00Z'],
      [PROGRESS, 'progress', '2026-03-04T09:00:00Z'],
      [DISCHARGE, 'discharge', '2026-03-05T10:00:00Z'],
    ] as const) {
      notes.push((await server.api('POST', `/v1/patients/${patient}/notes`, 'doctor', { text, kind, authoredAt, encounterId })).body.noteId);
    }
    for (const id of notes) await processed(id);
    // A second encounter waits behind it, for Save & next.
    const other = (await server.api('POST', '/v1/patients', 'doctor', { mrn: 'CW-0002', name: 'Minh Pham', sex: 'male' })).body.id;
    nextEncounterId = (await server.api('POST', `/v1/patients/${other}/encounters`, 'doctor', { type: 'ED', start: '2026-03-06T01:00:00Z' })).body.id;
    await processed((await server.api('POST', `/v1/patients/${other}/notes`, 'doctor', { text: 'ED note. Assessment: essential hypertension.', kind: 'ED', encounterId: nextEncounterId })).body.noteId);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists encounters oldest first with name, MRN, type, dates, waiting days and proposed codes; opens one by keyboard', async () => {
    const { page } = browser;
    await signInAs(page, server, 'coder');
    await page.waitForURL(/\/app\/coding$/);
    const row = page.locator('#worklist tbody tr', { hasText: 'CW-0001' });
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(cells.slice(0, 3)).toEqual(['Lan Tran', 'CW-0001', 'inpatient']);
    expect(cells[5]).toBe('3');
    expect(Number(cells[6])).toBeGreaterThanOrEqual(3);
    expect(await page.locator('#worklist tbody tr').first().textContent()).toContain('CW-0001');
    // The type filter narrows the list.
    await page.locator('#wl-type').selectOption('ED');
    await expect.poll(() => page.locator('#worklist tbody tr').allTextContents()).toEqual([expect.stringContaining('CW-0002')]);
    await page.locator('#wl-type').selectOption('');
    await row.waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, '20-coder-encounter-worklist');

    await tabTo(page, row.getByRole('link', { name: /Review the inpatient encounter of Lan Tran/ }));
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/app/coding/encounters/${encounterId}$`));
  });

  it('completes the encounter by keyboard: no pre-filled decision, principal and sequence, POA, a blocking edit without override, one warning overridden, Save & next', async () => {
    const { page } = browser;
    await card(page, 'J18.9').waitFor();
    expect(await page.locator('#review-heading').textContent()).toMatch(/Lan Tran · MRN CW-0001 · inpatient encounter/);
    // Three notes, each with its evidence; the principal comes first with its role, rule and evidence in context.
    expect(await page.locator('#review-notes article').count()).toBe(3);
    const principal = page.locator('#suggestions li.suggestion').first();
    expect(await principal.getAttribute('data-code')).toBe('J18.9');
    expect(await principal.locator('.badge.role').textContent()).toBe('principal');
    expect(await principal.locator('.rule').textContent()).toMatch(/^Rule: .*pneumonia/i);
    expect(await principal.locator('.evidence-list li').count()).toBeGreaterThanOrEqual(3);
    expect(await principal.locator('.evidence-list li').first().textContent()).toMatch(/admission, .*“Assessment: Community acquired pneumonia, present on admission\.”/);
    // Nothing is pre-filled.
    expect(await page.locator('#suggestions input[type=radio]:checked').count()).toBe(0);
    expect(await page.locator('#suggestions li.suggestion.undecided').count()).toBeGreaterThanOrEqual(3);
    expect(await axeViolations(page)).toEqual([]);

    // Save is refused while proposed codes are undecided; focus goes to the first undecided decision.
    await page.locator('.code-button').first().focus();
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.locator('#review-error').textContent()).toMatch(/Decide on every proposed code first: J18\.9/);
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('decision-J18.9');

    // Arrows stay in the radio group: Accept → Reject selects Reject without jumping into the reason field.
    await page.keyboard.press('Space');
    expect(await card(page, 'J18.9').getByRole('radio', { name: 'Accept', exact: true }).isChecked()).toBe(true);
    await page.keyboard.press('ArrowRight');
    expect(await card(page, 'J18.9').getByRole('radio', { name: 'Reject', exact: true }).isChecked()).toBe(true);
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).type)).toBe('radio');
    await page.keyboard.press('ArrowLeft');
    expect(await card(page, 'J18.9').getByRole('radio', { name: 'Accept', exact: true }).isChecked()).toBe(true);

    // Shortcuts: a accepts, l leaves out, j moves to the next code; the help panel opens with ?.
    await page.keyboard.press('?');
    expect(await page.locator('#shortcut-help').isVisible()).toBe(true);
    expect(await page.locator('#shortcut-help').textContent()).toMatch(/Accept the current code.*Reject.*Leave the current code out.*Next code.*Previous code.*Save/s);
    await page.keyboard.press('Escape');
    expect(await page.locator('#shortcut-help').isVisible()).toBe(false);
    const keep = new Set(['J18.9', 'N39.0', 'E11.9', 'Z79.84']);
    const proposed = await page.locator('#suggestions li.suggestion').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.code!));
    expect(proposed).toEqual(expect.arrayContaining([...keep]));
    await page.keyboard.press('j');
    for (let i = 1; i < proposed.length; i++) {
      const code = (await focusedCode(page))!;
      expect(code).toBe(proposed[i]);
      await page.keyboard.press(keep.has(code) ? 'a' : 'l');
      await page.keyboard.press('j');
    }
    await page.keyboard.press('k');
    expect(await focusedCode(page)).toBe(proposed[proposed.length - 2] ?? proposed[0]);

    // Sequence: E11.9 moves above N39.0 with Alt+↑; J18.9 stays principal.
    await card(page, 'E11.9').locator('.code-button').focus();
    const coded = async () => (await page.locator('#suggestions li.suggestion').evaluateAll((els) => els.filter((el) => el.querySelector('.sequence')!.textContent).map((el) => `${el.querySelector('.sequence')!.textContent} ${(el as HTMLElement).dataset.code}`)));
    const index = async (code: string) => (await coded()).findIndex((c) => c.endsWith(` ${code}`));
    expect((await coded())[0]).toBe('1 · principal J18.9');
    // E11.9 goes below N39.0 first if it is above, so that the move up is observable.
    while ((await index('E11.9')) < (await index('N39.0'))) await page.keyboard.press('Alt+ArrowDown');
    while ((await index('E11.9')) > (await index('N39.0'))) await page.keyboard.press('Alt+ArrowUp');
    const after = await coded();
    expect(after.findIndex((c) => c.endsWith('E11.9'))).toBeLessThan(after.findIndex((c) => c.endsWith('N39.0')));
    expect(after[0]).toBe('1 · principal J18.9');
    expect(await hasFocus(card(page, 'E11.9').locator('.code-button'))).toBe(true);

    // POA: proposed from the text (pneumonia present on admission: Y; the UTI developed on hospital day 3: N), exempt for Z79.84.
    expect(await card(page, 'J18.9').locator('select.poa-select').inputValue()).toBe('Y');
    expect(await card(page, 'N39.0').locator('select.poa-select').inputValue()).toBe('N');
    expect(await card(page, 'N39.0').locator('.poa .hint').textContent()).toMatch(/proposed N from "(on )?hospital day 3"|proposed N from/);
    expect(await card(page, 'Z79.84').locator('.poa').textContent()).toMatch(/exempt/);
    // E11.9 has no POA in the text: the coder chooses, by keyboard.
    const diabetesPoa = card(page, 'E11.9').locator('select.poa-select');
    expect(await diabetesPoa.inputValue()).toBe('');
    await tabTo(page, diabetesPoa);
    await page.keyboard.press('y');
    await expect.poll(() => diabetesPoa.inputValue()).toBe('Y');

    // The UTI's organism (its use-additional-code instruction) and the fever, added by keyboard.
    await chooseCode(page, 'Code to add', 'B96.20');
    await card(page, 'B96.20').waitFor();
    await chooseCode(page, 'Code to add', 'R50.9');
    await card(page, 'R50.9').waitFor();
    for (const code of ['B96.20', 'R50.9']) {
      const select = card(page, code).locator('select.poa-select');
      await tabTo(page, select);
      await page.keyboard.press('y');
      await expect.poll(() => select.inputValue()).toBe('Y');
    }

    // A blocking edit offers no override: I21.4 with I21.9.
    await chooseCode(page, 'Code to add', 'I21.4');
    await chooseCode(page, 'Code to add', 'I21.9');
    const blocking = page.locator('#claim-edits-list li.flag-block', { hasText: 'I21.4 and I21.9 overlap' });
    await blocking.waitFor();
    expect(await blocking.locator('input').count()).toBe(0);
    for (const code of ['I21.4', 'I21.9']) {
      const select = card(page, code).locator('select.poa-select');
      await tabTo(page, select);
      await page.keyboard.press('y');
    }
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.locator('#review-error').textContent()).toMatch(/blocking edit/);
    await screenshot(page, '21-coder-blocking-edit');
    for (const code of ['I21.9', 'I21.4']) {
      await tabTo(page, page.getByRole('button', { name: `Remove ${code}` }), 400);
      await page.keyboard.press('Enter');
      await expect.poll(() => card(page, code).count()).toBe(0);
    }
    await expect.poll(() => page.locator('#claim-edits-list li.flag-block').count()).toBe(0);

    // One warning left: the fever beside the pneumonia and UTI that explain it. Saving asks for the override.
    const warnings = page.locator('#claim-edits-list li.flag-warn');
    await expect.poll(() => warnings.allTextContents()).toEqual([expect.stringMatching(/R50\.9 Fever, unspecified may be integral to J18\.9/)]);
    await page.keyboard.press('Control+Enter');
    const override = warnings.locator('input.override-reason');
    await expect.poll(() => hasFocus(override)).toBe(true);
    await page.keyboard.type('Fever persisted after the pneumonia and UTI were treated');
    await screenshot(page, '22-coder-encounter-review');

    // Save: focus lands on the saved code set, not <body>.
    await page.keyboard.press('Control+Enter');
    await page.locator('#final-codes').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('final-heading');
    const finalRows = await page.locator('#final-codes tbody tr').evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('td')).slice(0, 4).map((td) => td.textContent)));
    expect(finalRows[0]).toEqual(['1', 'J18.9', 'Pneumonia, unspecified organism', 'Y']);
    const position = (code: string) => finalRows.findIndex((r) => r[1] === code);
    expect(position('E11.9')).toBeLessThan(position('N39.0'));
    expect(finalRows[position('N39.0')]![3]).toBe('N');
    expect(finalRows[position('Z79.84')]![3]).toBe('exempt');
    expect(await page.locator('#final-body').textContent()).toMatch(/Override of symptomWithDiagnosis:.*Fever persisted/);
    expect(await axeViolations(page)).toEqual([]);

    // Save & next: the saved set again, then the next encounter waiting opens.
    await page.keyboard.press('Control+Shift+Enter');
    await page.waitForURL(new RegExp(`/app/coding/encounters/${nextEncounterId}$`));
    await page.locator('li.suggestion').first().waitFor();
    expect(await page.locator('#review-heading').textContent()).toMatch(/Minh Pham · MRN CW-0002 · ED encounter/);
    expect(await axeViolations(page), 'the next encounter opened by Save & next').toEqual([]);

    const saved = (await server.api('GET', `/v1/encounters/${encounterId}/codes`, 'coder')).body.reviews as Array<{ version: number; finalCodes: Array<{ code: string; poa: string }>; overrides: Array<{ editId: string }> }>;
    expect(saved.map((r) => r.version)).toEqual([2, 1]);
    expect(saved[0]!.finalCodes[0]).toEqual(expect.objectContaining({ code: 'J18.9', poa: 'Y' }));
    expect(saved[0]!.overrides.map((o) => o.editId)).toEqual([expect.stringMatching(/^symptomWithDiagnosis:/)]);
    const audit = (await server.api('GET', `/v1/audit?action=encounter.codes.review`, 'admin')).body.items as Array<{ actorRole: string; detail: { overrides: unknown[] } }>;
    expect(audit).toHaveLength(2);
    expect(audit.every((e) => e.actorRole === 'coder' && e.detail.overrides.length === 1)).toBe(true);
    expect(browser.errors).toEqual([]);
  }, 180_000);
});
