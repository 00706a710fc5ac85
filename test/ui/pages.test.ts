/**
 * The web UI end to end in headless Chromium against the real app (PGlite, in-process workers): each page's
 * main flow, with screenshots under eval/reports/ui/ for reviewers. The tests run in order and build on each
 * other (the doctor's note is the one the coder reviews and the clinician searches).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { valPngs } from '../../src/imaging/test-support/shared-images.ts';
import { axeViolations, chromiumAvailable, focusRingContrast, hasFocus, launchBrowser, screenshot, signInAs, startUiServer, tabTo, type UiBrowser, type UiServer } from './support.ts';

const NOTE = [
  'Chief complaint: Shortness of breath and cough for 3 days.',
  'History of present illness: 67-year-old woman with type 2 diabetes mellitus and essential hypertension. She denies chest pain. History of appendicitis. Mother had breast cancer.',
  'Medications: metformin 500 mg PO BID; lisinopril 10 mg PO daily.',
  'Allergies: penicillin (rash).',
  'Vitals: BP 142/88, HR 96, Temp 37.8 C, SpO2 93% on room air.',
  // With the shortness of breath above: an Excludes1 pair for the coder (R06.82 tachypnea, R06.02).
  'Exam: tachypnea with crackles at the right lung base.',
  'Labs: HbA1c 8.2%, creatinine 1.1 mg/dL.',
  'Assessment: Community acquired pneumonia. Possible COPD exacerbation. Pressure ulcer of sacral region.',
  'Plan: Start doxycycline 100 mg PO BID for 7 days.',
].join('\n');

const EARLIER_NOTE = 'Assessment: type 2 diabetes mellitus, poorly controlled.\nVitals: BP 156/94, HR 88.\nLabs: HbA1c 9.1%, creatinine 1.0 mg/dL.\nPlan: metformin 500 mg PO BID.';

const DICTATION = 'assessment colon type 2 diabetes mellitus period she denies chest pain period new paragraph medications colon metformin 500 mg by mouth twice daily period';

/** Markup in patient data must show as text, never become elements. */
const PATIENT_NAME = 'Ada <b>Lovelace</b>';

let server: UiServer;
let browser: UiBrowser;
let noteId: string;
let patientId: string;

async function waitFor<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(!chromiumAvailable)('web UI', () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startUiServer(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in with an API key, refuses a bad one and keeps the key in session storage only', async () => {
    const { page } = browser;
    await page.goto(`${server.baseUrl}/`);
    await page.waitForURL(/\/app\/signin\?next=/);
    await page.getByLabel('API key').fill('cln_not_a_real_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#signin-error').textContent()).toMatch(/not valid/);
    await screenshot(page, '01-sign-in');

    await page.getByLabel('API key').fill(server.tokens.doctor);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/app\/note$/);
    const storage = await page.evaluate(() => ({ session: sessionStorage.getItem('clinote.apiKey'), local: Object.keys(localStorage) }));
    expect(storage).toEqual({ session: server.tokens.doctor, local: [] });
    // Only the doctor's pages are in the navigation.
    expect(await page.locator('nav li:not([hidden]) a').allTextContents()).toEqual(['New note', 'Patient chart']);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await axeViolations(page), 'the doctor landing on the note page').toEqual([]);
  });

  it('doctor: registers a patient, writes a note and sees it structured beside its text', async () => {
    const { page } = browser;
    await page.getByText('New patient').click();
    await page.getByLabel('MRN (required)').fill('UI-0001');
    await page.getByLabel('Name', { exact: true }).fill(PATIENT_NAME);
    await page.getByLabel('Birth date').fill('1958-04-12');
    await page.getByLabel('Sex').selectOption('female');
    await page.getByRole('button', { name: 'Register patient' }).click();
    const selected = page.locator('#patient-selected');
    await expect.poll(() => selected.textContent()).toContain(PATIENT_NAME);
    expect(await selected.locator('b').count()).toBe(0);
    patientId = new URL(page.url()).searchParams.get('patient')!;
    expect(patientId).toMatch(/^[0-9a-f-]{36}$/);

    await page.getByRole('textbox', { name: 'Text', exact: true }).fill(NOTE);
    await page.getByRole('button', { name: 'Submit note' }).click();
    const status = page.locator('#note-status');
    await expect.poll(() => status.textContent(), { timeout: 45_000 }).toMatch(/^(Processed|Processing failed)/);
    expect(await status.textContent()).toBe('Processed.');

    // The structure: highlighted spans, and negated / historical / family mentions marked as such.
    const problems = page.locator('.group-problem .item');
    await expect.poll(() => problems.count()).toBeGreaterThan(3);
    const item = (text: string) => page.locator('.item', { hasText: text }).first();
    expect(await item('chest pain').getAttribute('class')).toContain('ctx-negated');
    expect(await item('chest pain').textContent()).toContain('negated');
    expect(await item('appendicitis').getAttribute('class')).toContain('ctx-historical');
    expect(await item('breast cancer').getAttribute('class')).toContain('ctx-family');
    expect(await page.locator('mark.hl-problem.ctx-negated').first().textContent()).toBe('chest pain');
    const metformin = await item('metformin').textContent();
    expect(metformin).toMatch(/500 mg/);
    expect(metformin).toMatch(/BID/);
    expect(await page.locator('mark.hl-med-attr', { hasText: 'BID' }).count()).toBeGreaterThan(0);
    expect(await page.locator('.group-allergy .item').first().textContent()).toMatch(/penicillin/i);
    expect(await page.locator('.group-vital .item').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/Blood pressure.*142\/88/)]));
    expect(await page.locator('.group-lab .item', { hasText: 'HbA1c' }).textContent()).toMatch(/8\.2 %/);

    // Selecting an item highlights its span in the text.
    await item('metformin').click();
    expect(await page.locator('mark.active').first().textContent()).toContain('metformin');
    expect(await page.locator('.code-summary').textContent()).toContain("Suggestions need a coder's review");

    await screenshot(page, '02-doctor-note');
    const notes = await server.api<{ items: Array<{ id: string }> }>('GET', `/v1/patients/${patientId}/notes`, 'doctor');
    noteId = notes.body.items[0]!.id;

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /FHIR bundle/ }).click();
    const bundle = JSON.parse(readFileSync((await (await download).path())!, 'utf8'));
    expect(bundle.resourceType).toBe('Bundle');
  });

  it('doctor: finds a patient by name and structures a dictation transcript, showing it with spoken punctuation applied', async () => {
    const other = await server.api<{ id: string }>('POST', '/v1/patients', 'doctor', { mrn: 'UI-0002', name: 'Grace Hopper' });
    expect(other.status).toBe(201);
    const { page } = browser;
    await page.getByRole('button', { name: 'Change patient' }).click();
    await page.getByLabel('Name or MRN').fill('grace');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: 'Write for Grace Hopper' }).click();
    expect(new URL(page.url()).searchParams.get('patient')).toBe(other.body.id);
    expect(await page.locator('#note-result').isHidden()).toBe(true);

    await page.getByLabel('Dictation transcript').check();
    await page.getByRole('textbox', { name: 'Text', exact: true }).fill(DICTATION);
    await page.getByRole('button', { name: 'Submit note' }).click();
    const status = page.locator('#note-status');
    await expect.poll(() => status.textContent(), { timeout: 45_000 }).toMatch(/^(Processed|Processing failed)/);
    expect(await status.textContent()).toBe('Processed.');
    // The text with spoken punctuation applied is shown, highlighted; the raw transcript is one click away.
    expect(await page.locator('#note-output .text-pane > .note-text').textContent()).toContain('She denies chest pain.');
    expect(await page.locator('#note-output .text-pane > .note-text mark.hl-problem.ctx-negated').first().textContent()).toBe('chest pain');
    expect(await page.locator('.group-medication .item').first().textContent()).toMatch(/metformin.*500 mg.*by mouth.*twice daily/);
    await page.getByText('Raw transcript as dictated').click();
    expect(await page.locator('#note-output details .note-text').textContent()).toBe(DICTATION);
    expect(await page.locator('#note-output details .note-text mark.hl-problem.ctx-negated').first().textContent()).toBe('chest pain');
    await screenshot(page, '02b-doctor-dictation');
    const notes = await server.api<{ items: Array<{ source: string }> }>('GET', `/v1/patients/${other.body.id}/notes`, 'doctor');
    expect(notes.body.items.map((n) => n.source)).toEqual(['dictation']);
  });

  it('coder: reviews the note with nothing pre-filled, sees flags and evidence in context, replaces, rejects and accepts codes, overrides a warning and exports the final set', async () => {
    const { page } = browser;
    await signInAs(page, server, 'coder');
    await page.waitForURL(/\/app\/coding$/);
    const row = page.locator('#worklist tbody tr', { hasText: 'UI-0001' });
    await expect.poll(() => page.locator('#worklist tbody tr').count()).toBe(2);
    await row.waitFor();
    await screenshot(page, '03-coder-worklist');
    await row.getByRole('link', { name: /Review/ }).click();
    await page.waitForURL(new RegExp(`/app/coding/${noteId}$`));
    await page.locator('li.suggestion').first().waitFor();
    expect(await page.locator('.notice').first().textContent()).toContain("Suggestions need a coder's review");

    // Nothing is pre-filled, and saving before deciding is refused.
    expect(await page.locator('#suggestions input[type=radio]:checked').count()).toBe(0);
    await page.getByRole('button', { name: 'Save final code set' }).click();
    await expect.poll(() => page.locator('#review-error').textContent()).toMatch(/Decide on every proposed code first/);

    // Use-additional-code reminders fold away; an "if applicable" code-first note whose condition (influenza) the note
    // does not document is not shown at all.
    expect(await page.locator('li.suggestion[data-code="J18.9"] .flag-warn', { hasText: 'Code first' }).count()).toBe(0);
    const diabetesNotes = page.locator('li.suggestion[data-code="E11.9"] details.flag-notes');
    const useAdditional = diabetesNotes.locator('.flag', { hasText: 'Use additional code' });
    expect(await useAdditional.isVisible()).toBe(false);
    await diabetesNotes.locator('summary').click();
    expect(await useAdditional.textContent()).toMatch(/insulin \(Z79\.4\)/);

    // Clicking a code highlights its evidence; the card shows the evidence in its sentence, and the family history as such.
    await page.locator('li.suggestion[data-code="I10"] .code-button').click();
    expect((await page.locator('mark.hl-evidence.active').allTextContents()).join(' ')).toMatch(/hypertension/);
    expect(await page.locator('li.suggestion[data-code="I10"] .evidence-list').textContent()).toMatch(/67-year-old woman with type 2 diabetes mellitus and essential hypertension\./);
    expect(await page.locator('li.suggestion[data-code="Z80.3"] .badge.role').textContent()).toBe('family history');
    // A proposed code shows the guidelines' confidence level with its basis, not the ranker's CodiEsp score.
    const hypertensionConfidence = page.locator('li.suggestion[data-code="I10"] .badge.confidence');
    expect(await hypertensionConfidence.textContent()).toMatch(/^(high|medium) confidence/);
    expect(await hypertensionConfidence.getAttribute('title')).toMatch(/\w/);
    expect(await page.locator('li.suggestion[data-code="I10"] meter').count()).toBe(0);

    // Replace E11.9 with a more specific code, keyboard only in the combobox.
    const diabetes = page.locator('li.suggestion[data-code="E11.9"]');
    await diabetes.getByRole('radio', { name: 'Replace', exact: true }).check();
    const combo = diabetes.getByRole('combobox');
    await combo.fill('E11.65');
    await diabetes.getByRole('option', { name: /E11\.65/ }).waitFor();
    await combo.press('ArrowDown');
    await combo.press('Enter');
    expect(await diabetes.locator('.replacement').textContent()).toContain('E11.65');

    // Reject the unspecified-stage pressure ulcer (a reason is required); accept the rest explicitly.
    const proposed = await page.locator('#suggestions li.suggestion').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.code!));
    const rejected = proposed.find((c) => c.startsWith('L89')) ?? proposed.find((c) => !['I10', 'E11.9', 'J18.9'].includes(c))!;
    const rejectItem = page.locator(`li.suggestion[data-code="${rejected}"]`);
    await rejectItem.getByRole('radio', { name: 'Reject', exact: true }).check();
    await page.getByRole('button', { name: 'Accept all proposed' }).click();
    expect(await page.locator('#suggestions li.suggestion.undecided').count()).toBe(0);
    expect(await rejectItem.getByRole('radio', { name: 'Reject', exact: true }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Save final code set' }).click();
    await expect.poll(() => page.locator('#review-error').textContent()).toContain(`reason for rejecting ${rejected}`);
    await rejectItem.getByLabel(`Reason for rejecting ${rejected}`).fill('Not supported by the documentation');

    // A candidate starts undecided; accepting the shortness of breath beside the pneumonia raises a warning to override.
    const breath = page.locator('li.suggestion[data-code="R06.02"]');
    if (!(await breath.isVisible())) await page.locator('#below-threshold > summary').click();
    expect(await breath.locator('input[type=radio]:checked').count()).toBe(0);
    await breath.getByRole('radio', { name: 'Accept', exact: true }).check();
    const symptomWarning = page.locator('#claim-edits-list li.flag-warn', { hasText: 'R06.02' });
    await symptomWarning.waitFor();
    await screenshot(page, '04-coder-review');
    await page.getByRole('button', { name: 'Save final code set' }).click();
    await expect.poll(() => page.locator('#review-error').textContent()).toMatch(/warning/);
    for (const input of await page.locator('#claim-edits-list input.override-reason').all()) await input.fill('Shortness of breath out of proportion to the pneumonia');
    await page.getByRole('button', { name: 'Save final code set' }).click();

    const final = page.locator('#final-codes');
    await final.waitFor();
    const finalText = await final.textContent();
    expect(finalText).toContain('E11.65');
    expect(finalText).toContain('replaces E11.9');
    expect(finalText).toContain('I10');
    expect(finalText).toContain('R06.02');
    expect(finalText).not.toContain(rejected);
    expect(await final.locator('tr').nth(1).locator('td').nth(1).textContent()).toBe('J18.9');
    expect(await page.locator('#final-body').textContent()).toMatch(/Override of symptomWithDiagnosis:.*Shortness of breath out of proportion/);
    await screenshot(page, '05-coder-final');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const csv = readFileSync((await (await download).path())!, 'utf8');
    expect(csv.split('\n')[0]).toMatch(/^encounter_id,note_id,encounter_type/);
    expect(csv).toMatch(new RegExp(`^,${noteId},outpatient,.*,1,first-listed,J18\\.9,`, 'm'));
    expect(csv).toMatch(new RegExp(`${noteId},.*,E11\\.65,`));
  });

  it('clinician: sees the summary with vital and lab trends, searches the history and opens a passage in its note', async () => {
    // An older note, so that vitals and labs have a trend and the search finds passages of two dates.
    const authoredAt = new Date(Date.now() - 90 * 86_400_000).toISOString();
    const older = await server.api<{ noteId: string }>('POST', `/v1/patients/${patientId}/notes`, 'doctor', { text: EARLIER_NOTE, authoredAt });
    await waitFor(async () => ((await server.api('GET', `/v1/notes/${older.body.noteId}`, 'doctor')).body.status === 'processed' ? true : undefined), 'older note processed');

    const { page } = browser;
    await signInAs(page, server, 'clinician');
    await page.waitForURL(/\/app\/chart$/);
    await page.getByLabel('Name or MRN').fill('UI-0001');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: `Open chart ${PATIENT_NAME}` }).click();
    await page.waitForURL(new RegExp(`/app/chart/${patientId}$`));
    await page.locator('#timeline li').first().waitFor();

    expect(await page.locator('#timeline li').count()).toBe(2);
    await expect.poll(() => page.locator('#summary li').count()).toBeGreaterThan(0);
    expect(await page.locator('#summary').textContent()).toMatch(/metformin/i);
    // "History of appendicitis" is past history, not an active problem; the diabetes is active.
    const section = (id: string) => page.locator(`#summary section[aria-labelledby="${id}"]`);
    expect(await section('sum-past').textContent()).toMatch(/appendicitis/i);
    expect(await section('sum-problems').textContent()).not.toMatch(/appendicitis/i);
    expect(await section('sum-problems').textContent()).toMatch(/type 2 diabetes/i);
    // HbA1c 9.1 then 8.2: a two-point trend line.
    const hba1c = page.locator('#summary li.lab', { hasText: /A1c/ });
    expect(await hba1c.locator('svg.trend polyline').count()).toBe(1);
    expect(await hba1c.locator('svg.trend').getAttribute('aria-label')).toMatch(/9\.1 %.*8\.2 %/);
    // Blood pressure 156/94 then 142/88: a line each for systolic and diastolic; the latest reading beside it.
    const pressure = page.locator('#summary li.vital', { hasText: 'Blood pressure' });
    expect(await pressure.locator('svg.trend polyline').count()).toBe(2);
    expect(await pressure.locator('svg.trend circle').count()).toBe(4);
    expect(await pressure.locator('svg.trend').getAttribute('aria-label')).toMatch(/^Blood pressure: 156\/94 mmHg on .*, 142\/88 mmHg on /);
    expect(await pressure.locator('.series-value').textContent()).toMatch(/^142\/88 mmHg/);
    expect(await page.locator('#summary li.vital', { hasText: 'Heart rate' }).locator('svg.trend').getAttribute('aria-label')).toMatch(/88 \/min.*96 \/min/);
    // Measured once: a single dot, no line.
    const temperature = page.locator('#summary li.vital', { hasText: 'Temperature' });
    expect(await temperature.locator('svg.trend polyline').count()).toBe(0);
    expect(await temperature.locator('svg.trend circle').count()).toBe(1);
    expect(await axeViolations(page), 'the chart with its trends').toEqual([]);

    await page.getByLabel('Search', { exact: true }).fill('HbA1c');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const hits = page.locator('.search-hit', { has: page.locator('mark.hl-match') });
    await expect.poll(() => hits.count()).toBe(2);
    const dates = await hits.locator('time').allTextContents();
    expect(new Set(dates).size).toBe(2);
    expect(await hits.first().locator('.badge').first().textContent()).toBe('Results');
    expect(await axeViolations(page), 'history search results').toEqual([]);
    const hit = page.locator('.search-hit', { hasText: '8.2%' });
    await hit.getByRole('button', { name: 'Open in note' }).click();

    // The passage is marked in the full note, with the searched words inside it.
    const passage = page.locator('#passage-text mark[data-keys~="passage"]');
    await passage.first().waitFor();
    expect((await passage.allTextContents()).join('')).toContain('HbA1c');
    expect(await page.locator('#passage-text mark.hl-match').first().textContent()).toBe('HbA1c');
    expect(await page.locator('#passage-text').textContent()).toBe(NOTE);
    await screenshot(page, '06-clinician-chart');
  });

  it('radiologist: sees unread studies urgent first with their scores, toggles the heatmap and marks both read, agreeing and (by keyboard alone) disagreeing', async () => {
    const [normal] = valPngs('normal', 1);
    const [pneumonia] = valPngs('pneumonia', 1);
    const ids: string[] = [];
    for (const png of [normal!, pneumonia!]) {
      const r = await server.api<{ imageId: string }>('POST', `/v1/patients/${patientId}/images`, 'doctor', png.bytes, 'image/png');
      expect(r.status).toBe(202);
      ids.push(r.body.imageId);
    }
    const scores: number[] = [];
    for (const id of ids) {
      const image = await waitFor(async () => {
        const r = await server.api('GET', `/v1/images/${id}`, 'clinician');
        return r.body.status === 'triaged' ? r.body : undefined;
      }, `image ${id} triaged`);
      scores.push(image.triage.score);
    }

    const { page } = browser;
    await signInAs(page, server, 'radiologist');
    await page.waitForURL(/\/app\/imaging$/);
    const studies = page.locator('#studies li');
    await expect.poll(() => studies.count()).toBe(2);
    expect(await studies.first().getAttribute('data-image-id')).toBe(ids[1]);
    expect(await studies.first().textContent()).toContain('Urgent');
    // Each study shows its triage score.
    for (const [i, id] of ids.entries()) {
      expect(await page.locator(`#studies li[data-image-id="${id}"] .meta`, { hasText: 'Score' }).textContent()).toMatch(new RegExp(`^Score ${Math.round(scores[i]! * 100)}%`));
    }
    expect(await page.locator('.notice').first().textContent()).toContain('Triage aid, not a diagnosis');
    await expect.poll(() => studies.first().locator('img.thumb').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);

    await studies.first().getByRole('button').click();
    const heatmapToggle = page.getByLabel('Show heatmap overlay');
    await heatmapToggle.waitFor();
    await page.locator('canvas.viewer-canvas[data-ready]').waitFor();
    await heatmapToggle.check();
    await page.locator('canvas.viewer-canvas[data-heatmap]').waitFor();
    await screenshot(page, '07-reader-worklist');

    await page.getByRole('radio', { name: 'Agree', exact: true }).check();
    await page.getByLabel('Comment (optional)').fill('Right lower lobe consolidation.');
    await page.getByRole('button', { name: 'Mark read' }).click();
    await expect.poll(() => studies.count()).toBe(1);
    const image = await server.api('GET', `/v1/images/${ids[1]}`, 'radiologist');
    expect(image.body.reads[0]).toMatchObject({ agreement: 'agree', comment: 'Right lower lobe consolidation.' });

    // The other study by keyboard alone: marking read opened it and moved the focus to it.
    await expect.poll(() => hasFocus(page.locator('#study'))).toBe(true);
    expect(await page.locator('#read-list li').count()).toBe(1);
    expect(await axeViolations(page), 'the next study open, one read listed').toEqual([]);
    await tabTo(page, page.getByLabel('Show heatmap overlay'));
    await page.keyboard.press('Space');
    await page.locator('canvas.viewer-canvas[data-heatmap]').waitFor();
    // A radio group is one Tab stop, on its checked radio; the arrow keys move the choice.
    await tabTo(page, page.getByRole('radio', { name: 'No opinion', exact: true }));
    await page.keyboard.press('ArrowLeft');
    expect(await page.getByRole('radio', { name: 'Disagree', exact: true }).isChecked()).toBe(true);
    await tabTo(page, page.getByLabel('Comment (optional)'));
    await page.keyboard.type('Left basal opacity; I would read it as urgent.');
    await tabTo(page, page.getByRole('button', { name: 'Mark read' }));
    const ring = await focusRingContrast(page);
    expect(ring.ratio, `focus ring ${ring.ring} on ${ring.behind}`).toBeGreaterThanOrEqual(3);
    await page.keyboard.press('Enter');
    await expect.poll(() => studies.count()).toBe(0);
    const disagreed = await server.api('GET', `/v1/images/${ids[0]}`, 'radiologist');
    expect(disagreed.body.reads[0]).toMatchObject({ agreement: 'disagree', comment: 'Left basal opacity; I would read it as urgent.' });
    expect(await page.locator('#study-body').textContent()).toContain('No unread studies are left.');
    expect(await axeViolations(page), 'the worklist read to the end').toEqual([]);
  });

  it('shows admins no patient pages and explains a page that is not for the role', async () => {
    const { page } = browser;
    await signInAs(page, server, 'admin');
    await page.waitForURL(/\/app\/admin$/);
    // Keys and the audit trail only: no patient pages.
    expect(await page.locator('nav li:not([hidden]) a').allTextContents()).toEqual(['Keys and audit']);
    await page.goto(`${server.baseUrl}/app/imaging`);
    await expect.poll(() => page.locator('main .error').textContent()).toMatch(/for radiologist keys; you are signed in as admin/);
    expect(await axeViolations(page), 'a page not for the role').toEqual([]);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/app\/signin$/);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it('works at tablet width, shows focus rings in enough contrast and raised no script or CSP errors', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 820, height: 1180 });
    await signInAs(page, server, 'coder');
    await page.goto(`${server.baseUrl}/app/coding/${noteId}`);
    await page.locator('li.suggestion').first().waitFor();
    // One column: the suggestions sit below the text, and nothing overflows sideways.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, '08-coder-review-tablet');

    // Focus rings stand out (≥ 3:1) from what they are drawn on: the dark top bar, a white card, an amber flag.
    for (const target of [page.locator('.skip-link'), page.getByRole('button', { name: 'Sign out' }), page.locator('.code-button').first(), page.locator('#claim-edits-list .flag-warn input').first()]) {
      await tabTo(page, target);
      const ring = await focusRingContrast(page);
      expect(ring.ratio, `focus ring ${ring.ring} on ${ring.behind}`).toBeGreaterThanOrEqual(3);
    }
    expect(browser.errors).toEqual([]);
  });
});
