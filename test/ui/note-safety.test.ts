/**
 * The doctor's note screen cannot file a note under the wrong patient (issue 13 item 3) and never loses what was
 * typed (issue 15): headless Chromium against the real app, axe on every state visited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, chromiumAvailable, launchBrowser, signInAs, startUiServer, type UiBrowser, type UiServer } from './support.ts';

let server: UiServer;
let browser: UiBrowser;
const patients: Record<string, { id: string; name: string; mrn: string }> = {};

const OKAFOR_NOTE = 'Assessment: essential hypertension, well controlled.\nPlan: continue lisinopril 10 mg daily.';
const NGUYEN_NOTE = 'Assessment: type 2 diabetes mellitus.\nPlan: metformin 500 mg twice daily.';

describe.skipIf(!chromiumAvailable)('note screen: right patient, no lost work', () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startUiServer(), launchBrowser({ width: 1440, height: 900 })]);
    for (const p of [
      { mrn: 'NS-1001', name: 'Chidi Okafor', birthDate: '1961-03-09' },
      { mrn: 'NS-1002', name: 'Nguyễn Thị Đào', birthDate: '1975-11-30' },
    ]) {
      const res = await server.api<{ id: string }>('POST', '/v1/patients', 'doctor', p);
      expect(res.status).toBe(201);
      patients[p.mrn] = { id: res.body.id, name: p.name, mrn: p.mrn };
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** The texts of a patient's notes, newest first. */
  const notesOf = async (mrn: string) => {
    const list = await server.api<{ items: Array<{ id: string }> }>('GET', `/v1/patients/${patients[mrn]!.id}/notes`, 'doctor');
    return Promise.all(list.body.items.map(async (n) => (await server.api<{ text: string }>('GET', `/v1/notes/${n.id}`, 'doctor')).body.text));
  };

  /** Searches the picker and chooses the patient whose button matches. */
  async function choose(query: string, name: string) {
    const { page } = browser;
    await page.getByLabel('Name or MRN').fill(query);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('button', { name: `Write for ${name}` }).click();
  }

  it('finds patients by surname and without accents; "Change patient" clears the text and disables Submit; the note goes to the patient shown', async () => {
    const { page } = browser;
    await signInAs(page, server, 'doctor');
    await page.waitForURL(/\/app\/note$/);
    const submit = page.getByRole('button', { name: 'Submit note' });
    const noteFor = page.locator('#note-for');
    const text = page.getByRole('textbox', { name: 'Text', exact: true });
    expect(await submit.isDisabled()).toBe(true);
    expect(await noteFor.textContent()).toMatch(/No patient chosen/);

    await choose('okafor', 'Chidi Okafor'); // the surname, in lower case
    expect(await noteFor.textContent()).toBe(`For Chidi Okafor · MRN NS-1001 · born ${await page.evaluate(() => new Date('1961-03-09').toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' }))}`);
    expect(await submit.isEnabled()).toBe(true);
    await text.fill(OKAFOR_NOTE);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Change patient' }).click();
    expect(await text.inputValue()).toBe('');
    expect(await submit.isDisabled()).toBe(true);
    expect(await noteFor.textContent()).toMatch(/No patient chosen/);
    expect(new URL(page.url()).searchParams.get('patient')).toBeNull();
    expect(await axeViolations(page)).toEqual([]);

    await choose('nguyen', 'Nguyễn Thị Đào'); // no accents typed
    expect(await text.inputValue()).toBe(''); // Okafor's text did not follow
    expect(await noteFor.textContent()).toMatch(/^For Nguyễn Thị Đào · MRN NS-1002/);
    await text.fill(NGUYEN_NOTE);
    const posted = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/notes'));
    await submit.click();
    const request = await posted;
    expect(request.url()).toContain(`/v1/patients/${patients['NS-1002']!.id}/notes`);
    expect(request.postDataJSON()).toMatchObject({ patientId: patients['NS-1002']!.id, text: NGUYEN_NOTE });
    expect(request.headers()['idempotency-key']).toMatch(/^[0-9a-f]{32}$/);

    // Accepted: the form is emptied (no second submission) and the processing state is shown.
    await expect.poll(() => page.locator('#note-status').textContent()).toMatch(/^Note for Nguyễn Thị Đào accepted and saved|^Processed/);
    expect(await text.inputValue()).toBe('');
    await expect.poll(() => page.locator('#note-status').textContent(), { timeout: 45_000 }).toBe('Processed.');
    expect(await axeViolations(page)).toEqual([]);
    expect(await notesOf('NS-1002')).toEqual([NGUYEN_NOTE]);
    expect(await notesOf('NS-1001')).toEqual([]);

    // Back to Okafor: the text written for him was kept as his draft.
    await page.getByRole('button', { name: 'Change patient' }).click();
    await choose('NS-1001', 'Chidi Okafor'); // an MRN
    expect(await text.inputValue()).toBe(OKAFOR_NOTE);
    expect(await page.locator('#draft-status').textContent()).toMatch(/^Restored your unsubmitted draft/);
  });

  it('the server refuses a note whose displayed patient differs from the one in the path, and the text is kept', async () => {
    const { page } = browser;
    const okafor = patients['NS-1001']!.id;
    const nguyen = patients['NS-1002']!.id;
    // Simulate a client bug that sends Okafor's note to Nguyễn's path.
    await page.route(`**/v1/patients/${okafor}/notes`, (route) => route.continue({ url: route.request().url().replace(okafor, nguyen) }));
    await page.getByRole('button', { name: 'Submit note' }).click();
    await expect.poll(() => page.locator('#note-error').textContent()).toMatch(/^Could not submit: The note was written for a different patient/);
    await page.unroute(`**/v1/patients/${okafor}/notes`);
    expect(await page.getByRole('textbox', { name: 'Text', exact: true }).inputValue()).toBe(OKAFOR_NOTE);
    expect((await notesOf('NS-1002')).length).toBe(1);
    expect(await notesOf('NS-1001')).toEqual([]);
  });

  it('a draft survives a revoked key and a fresh sign-in with a new key; the page says "Your session ended" instead of leaving', async () => {
    const { page } = browser;
    const created = await server.api<{ id: string; token: string }>('POST', '/v1/keys', 'admin', { role: 'doctor', label: 'Dr Adaeze Eze' });
    expect(created.status).toBe(201);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/app\/signin$/);
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('clinote.draft.')))).toEqual([]); // sign-out forgets drafts
    await page.getByLabel('API key').fill(created.body.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/app\/note$/);
    await choose('Okafor', 'Chidi Okafor');
    const text = page.getByRole('textbox', { name: 'Text', exact: true });
    const draft = 'Subjective: dizzy on standing since the dose increase.\nAssessment: orthostatic hypotension.';
    await text.fill(draft);

    expect((await server.api('DELETE', `/v1/keys/${created.body.id}`, 'admin')).status).toBe(200);
    await page.getByRole('button', { name: 'Submit note' }).click();
    const ended = page.getByRole('alertdialog', { name: 'Your session ended' });
    await ended.waitFor();
    expect(page.url()).toMatch(/\/app\/note\?patient=/); // no redirect
    expect(await text.inputValue()).toBe(draft);
    expect(await axeViolations(page)).toEqual([]);
    // Still inside the banner: a wrong key is refused there.
    await ended.getByLabel('API key').fill('cln_not_a_key');
    await ended.getByRole('button', { name: 'Sign in again' }).click();
    await expect.poll(() => page.locator('#reauth-error').textContent()).toMatch(/not valid/);
    expect(await axeViolations(page), 'the session-ended banner refusing a key').toEqual([]);

    // A fresh sign-in with the replacement key (same person), on the sign-in page after the tab reloads.
    const replacement = await server.api<{ token: string }>('POST', '/v1/keys', 'admin', { role: 'doctor', label: 'Dr Adaeze Eze' });
    await page.reload();
    await page.waitForURL(/\/app\/signin\?next=/);
    await page.getByLabel('API key').fill(replacement.body.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/app\/note\?patient=/);
    await expect.poll(() => text.inputValue()).toBe(draft);
    expect(await page.locator('#note-for').textContent()).toMatch(/^For Chidi Okafor/);
    expect(await axeViolations(page), 'the draft restored after a fresh sign-in').toEqual([]);
    await page.getByRole('button', { name: 'Submit note' }).click();
    await expect.poll(() => page.locator('#note-status').textContent(), { timeout: 45_000 }).toBe('Processed.');
    expect(await notesOf('NS-1001')).toEqual([draft]);
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('clinote.draft.')))).toEqual([]);
    expect(browser.errors.filter((e) => !/status of 40[19]/.test(e))).toEqual([]);
  });

  it('coder: leaving the review with unsaved decisions asks first, in the page and on sign-out', async () => {
    const { page } = browser;
    const [note] = (await server.api<{ items: Array<{ id: string }> }>('GET', `/v1/patients/${patients['NS-1002']!.id}/notes`, 'coder')).body.items;
    await signInAs(page, server, 'coder');
    await page.goto(`${server.baseUrl}/app/coding/${note!.id}`);
    const first = page.locator('li.suggestion').first();
    await first.waitFor();
    const dialogs: string[] = [];
    const onDialog = (accept: boolean) => (dialog: import('playwright-core').Dialog) => {
      dialogs.push(dialog.message());
      void (accept ? dialog.accept() : dialog.dismiss());
    };
    // Nothing decided yet: leaving does not ask.
    const stay = onDialog(false);
    page.on('dialog', stay);
    await first.getByRole('radio', { name: 'Reject', exact: true }).check();
    expect(await axeViolations(page), 'the review with an unsaved decision').toEqual([]);
    await page.getByRole('link', { name: 'Coding worklist' }).first().click();
    await expect.poll(() => dialogs.length).toBe(1);
    expect(dialogs[0]).toBe('Your coding decisions are not saved. Leave this page anyway?');
    expect(page.url()).toMatch(/\/app\/coding\/[0-9a-f-]{36}$/);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => dialogs.length).toBe(2);
    expect(page.url()).toMatch(/\/app\/coding\/[0-9a-f-]{36}$/);
    expect(await page.evaluate(() => sessionStorage.getItem('clinote.apiKey'))).not.toBeNull();
    page.off('dialog', stay);
    const leave = onDialog(true);
    page.on('dialog', leave);
    await page.getByRole('link', { name: 'Coding worklist' }).first().click();
    await page.waitForURL(/\/app\/coding$/);
    page.off('dialog', leave);
    expect(dialogs).toHaveLength(3);
    expect(await axeViolations(page), 'the worklist after leaving').toEqual([]);
  });
});
