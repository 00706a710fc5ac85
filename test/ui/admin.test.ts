/**
 * The admin's screens (issue 15): keys are created (the token shown once), labelled and revoked; the audit trail
 * is filtered by actor, action, patient and time and exported as CSV; a favicon; axe on every state.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, chromiumAvailable, launchBrowser, signInAs, startUiServer, type UiBrowser, type UiServer } from './support.ts';

let server: UiServer;
let browser: UiBrowser;

describe.skipIf(!chromiumAvailable)('admin: keys and audit trail', () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startUiServer(), launchBrowser({ width: 1440, height: 900 })]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const me = (token: string) => fetch(`${server.baseUrl}/v1/me`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);

  it('serves a favicon and lands the admin on the keys and audit page', async () => {
    const icon = await fetch(`${server.baseUrl}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    const { page } = browser;
    await signInAs(page, server, 'admin');
    await page.waitForURL(/\/app\/admin$/);
    expect(await page.locator('nav li:not([hidden]) a').allTextContents()).toEqual(['Keys and audit']);
    expect(await page.locator('link[rel=icon]').getAttribute('href')).toBe('/app/assets/favicon.svg');
    await expect.poll(() => page.locator('#keys tbody tr').count()).toBeGreaterThanOrEqual(5);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('creates a labelled key whose token is shown once and works, then revokes it', async () => {
    const { page } = browser;
    await page.getByLabel('Label (who holds it)').fill('Dr Kofi Mensah');
    await page.getByLabel('Role').selectOption('clinician');
    await page.getByRole('button', { name: 'Create key' }).click();
    const token = (await page.locator('#new-token').textContent())!;
    expect(token.length).toBeGreaterThan(20);
    expect(await page.locator('#key-created').textContent()).toMatch(/shown only once/);
    expect(await axeViolations(page)).toEqual([]);
    expect(await me(token)).toBe(200);
    const row = page.locator('#keys tbody tr', { hasText: 'Dr Kofi Mensah' });
    expect(await row.locator('td').nth(1).textContent()).toBe('clinician');
    expect(await row.textContent()).toContain('active');
    expect(await row.textContent()).not.toContain(token); // only the prefix is listed
    await page.getByRole('button', { name: 'Done: hide the token' }).click();
    expect(await page.locator('#new-token').count()).toBe(0);

    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Revoke Dr Kofi Mensah (clinician)' }).click();
    await expect.poll(() => row.textContent()).toMatch(/revoked/);
    expect(await row.getByRole('button').count()).toBe(0);
    expect(await me(token)).toBe(401);
    expect(await axeViolations(page), 'the key revoked').toEqual([]);
    // The admin cannot revoke the key they are signed in with.
    expect(await page.locator('#keys tbody tr', { hasText: 'you' }).getByRole('button', { name: /^Revoke/ }).isDisabled()).toBe(true);
  });

  it('filters the audit trail by patient, action, actor and time, and exports what the filters match as CSV', async () => {
    const a = await server.api<{ id: string }>('POST', '/v1/patients', 'doctor', { mrn: 'AU-1', name: 'Patient A' });
    const b = await server.api<{ id: string }>('POST', '/v1/patients', 'doctor', { mrn: 'AU-2', name: 'Patient B' });
    await server.api('GET', `/v1/patients/${a.body.id}`, 'clinician');
    await server.api('GET', `/v1/patients/${a.body.id}`, 'doctor');
    await server.api('GET', `/v1/patients/${b.body.id}`, 'clinician');
    const { page } = browser;
    await page.reload();
    const rows = page.locator('#audit tbody tr');
    const column = (i: number) => rows.locator(`td:nth-child(${i})`).allTextContents();
    const show = async () => {
      await page.getByRole('button', { name: 'Show events' }).click();
      await expect.poll(() => page.locator('#audit-status').textContent()).toMatch(/event|No events/);
    };

    await page.getByLabel('Patient id').fill(a.body.id);
    await show();
    expect(await rows.count()).toBe(3); // created, read by the clinician, read by the doctor
    expect(new Set(await column(5))).toEqual(new Set([a.body.id.slice(0, 8)]));

    await page.getByLabel('Action').fill('patient.read');
    await show();
    expect(await column(4)).toEqual(['patient.read', 'patient.read']);
    expect(await column(3)).toEqual(['doctor', 'clinician']); // newest first

    const clinician = (await server.api<{ keyId: string }>('GET', '/v1/me', 'clinician')).body.keyId;
    await page.getByLabel('Actor').selectOption(clinician);
    await show();
    expect(await column(3)).toEqual(['clinician']);
    expect(await axeViolations(page)).toEqual([]);

    // Everything on the patient by anyone, exported.
    await page.getByLabel('Actor').selectOption('');
    await page.getByLabel('Action').fill('');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const csv = readFileSync((await (await download).path())!, 'utf8').trim().split('\r\n');
    expect(csv[0]).toBe('at,actorLabel,actorRole,actorKeyId,action,patientId,resourceType,resourceId,requestId,detail');
    expect(csv).toHaveLength(4);
    expect(csv.slice(1).every((line) => line.includes(`"${a.body.id}"`))).toBe(true);

    // A time window before any of it: nothing.
    await page.getByLabel('Until').fill('2020-01-01T00:00');
    await show();
    expect(await page.locator('#audit-status').textContent()).toBe('No events match.');
    expect(await axeViolations(page), 'an audit filter matching nothing').toEqual([]);
    expect(browser.errors).toEqual([]);
  });
});
