/**
 * Screenshots of every role's pages at desktop (1440×900) and tablet (820×1180) size, for reviewers:
 * eval/reports/ui/roles-latest/<role>-<page>-<width>.png (palette PNGs). The committed set in eval/reports/ui/roles/ is
 * refreshed with CLINOTE_UPDATE_SCREENSHOTS=1, so an ordinary test run leaves the work tree clean. Each page state is
 * also held to axe 0 serious/critical and to no sideways scrolling.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { valPngs } from '../../src/imaging/test-support/shared-images.ts';
import type { Role } from '../../src/access/types.ts';
import { axeViolations, chromiumAvailable, launchBrowser, SCREENSHOT_DIR, signInAs, startUiServer, type UiBrowser, type UiServer } from './support.ts';

const ROLE_DIR = path.join(SCREENSHOT_DIR, process.env.CLINOTE_UPDATE_SCREENSHOTS === '1' ? 'roles' : 'roles-latest');
const SIZES = [
  { width: 1440, height: 900 },
  { width: 820, height: 1180 },
] as const;

const NOTE = [
  'Chief complaint: Shortness of breath and cough for 3 days.',
  'History of present illness: 67-year-old woman with type 2 diabetes mellitus and essential hypertension. She denies chest pain. History of appendicitis.',
  'Medications: metformin 500 mg PO BID; lisinopril 10 mg PO daily.',
  'Allergies: penicillin (hives).',
  'Vitals: BP 142/88, HR 96, Temp 37.8 C, SpO2 93% on room air.',
  'Labs: HbA1c 8.2%, creatinine 1.7 mg/dL.',
  'Assessment: Community acquired pneumonia. Type 2 diabetes mellitus, poorly controlled.',
  'Plan: Start doxycycline 100 mg PO BID for 7 days.',
].join('\n');
const EARLIER = 'Assessment: type 2 diabetes mellitus.\nVitals: BP 156/94, HR 88.\nLabs: HbA1c 9.1%, creatinine 1.6 mg/dL.';

let server: UiServer;
let browser: UiBrowser;
let patientId: string;
let noteId: string;

async function until(check: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 90_000;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A viewport screenshot at each size (from the top, or from `from`), after checking axe and sideways overflow. */
async function shoot(page: Page, role: Role | 'anyone', name: string, ready: () => Promise<unknown>, from?: string) {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await ready();
    await page.evaluate((selector) => (selector ? document.querySelector(selector)!.scrollIntoView({ block: 'start' }) : window.scrollTo(0, 0)), from ?? null);
    expect(await axeViolations(page), `${role} ${name} at ${size.width}`).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), `${name} scrolls sideways at ${size.width}`).toBeLessThanOrEqual(0);
    const png = await page.screenshot();
    writeFileSync(path.join(ROLE_DIR, `${role}-${name}-${size.width}.png`), await sharp(png).png({ palette: true, colours: 128, effort: 8 }).toBuffer());
  }
}

describe.skipIf(!chromiumAvailable)('screenshots of every role', () => {
  beforeAll(async () => {
    mkdirSync(ROLE_DIR, { recursive: true });
    [server, browser] = await Promise.all([startUiServer(), launchBrowser({ width: 1440, height: 900 })]);
    patientId = (await server.api<{ id: string }>('POST', '/v1/patients', 'doctor', { mrn: 'BV-2026-000123', name: 'Nguyễn Thị Đào', birthDate: '1958-04-12', sex: 'female' })).body.id;
    await server.api('POST', '/v1/patients', 'doctor', { mrn: 'BV-2026-000124', name: 'Chidi Okafor', birthDate: '1961-03-09', sex: 'male' });
    for (const [text, daysAgo] of [[EARLIER, 90], [NOTE, 0]] as const) {
      const accepted = await server.api<{ noteId: string }>('POST', `/v1/patients/${patientId}/notes`, 'doctor', { text, authoredAt: new Date(Date.now() - daysAgo * 86_400_000 - 60_000).toISOString() });
      noteId = accepted.body.noteId;
      await until(async () => (await server.api('GET', `/v1/notes/${noteId}`, 'doctor')).body.status === 'processed', 'note processed');
    }
    for (const [i, png] of [...valPngs('pneumonia', 1), ...valPngs('normal', 1)].entries()) {
      // The first study with its clinical indication (a multipart field), the second without one.
      const form = new FormData();
      form.set('file', new Blob([new Uint8Array(png.bytes)]), 'cxr.png');
      if (i === 0) form.set('indication', 'Fever and productive cough for 3 days, SpO2 93%: pneumonia?');
      const encoded = new Response(form);
      const body = new Uint8Array(await encoded.arrayBuffer());
      const r = await server.api<{ imageId: string }>('POST', `/v1/patients/${patientId}/images`, 'doctor', body, encoded.headers.get('content-type')!);
      await until(async () => (await server.api('GET', `/v1/images/${r.body.imageId}`, 'radiologist')).body.status === 'triaged', 'image triaged');
    }
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('sign-in', async () => {
    const { page } = browser;
    await page.goto(`${server.baseUrl}/app/signin`);
    await shoot(page, 'anyone', 'sign-in', () => page.getByLabel('API key').waitFor());
  });

  it('doctor: a processed note beside the chosen patient', async () => {
    const { page } = browser;
    await signInAs(page, server, 'doctor');
    await page.goto(`${server.baseUrl}/app/note?patient=${patientId}`);
    await expect.poll(() => page.locator('#note-for').textContent()).toMatch(/^For Nguyễn/);
    await page.getByRole('textbox', { name: 'Text', exact: true }).fill(NOTE.replace('Plan:', 'Plan: Chest X-ray today.'));
    await page.getByRole('button', { name: 'Submit note' }).click();
    await expect.poll(() => page.locator('#note-status').textContent(), { timeout: 60_000 }).toBe('Processed.');
    await shoot(page, 'doctor', 'note-form', async () => page.locator('#note-result').waitFor());
    await shoot(page, 'doctor', 'note-result', async () => page.locator('#note-result').waitFor(), '#note-result');
  });

  it('coder: worklist and review', async () => {
    const { page } = browser;
    await signInAs(page, server, 'coder');
    await page.goto(`${server.baseUrl}/app/coding`);
    await shoot(page, 'coder', 'worklist', () => page.locator('#worklist tbody tr').first().waitFor());
    await page.goto(`${server.baseUrl}/app/coding/${noteId}`);
    await shoot(page, 'coder', 'review', () => page.locator('li.suggestion').first().waitFor());
  });

  it('clinician: the chart', async () => {
    const { page } = browser;
    await signInAs(page, server, 'clinician');
    await page.goto(`${server.baseUrl}/app/chart/${patientId}`);
    await shoot(page, 'clinician', 'chart', () => expect.poll(() => page.locator('#summary li.lab').count()).toBeGreaterThan(0));
  });

  it('radiologist: a study open in the viewer with the heatmap', async () => {
    const { page } = browser;
    await signInAs(page, server, 'radiologist');
    await page.goto(`${server.baseUrl}/app/imaging`);
    await page.locator('#studies li').first().getByRole('button').click();
    await page.locator('canvas.viewer-canvas[data-ready]').waitFor();
    await page.getByLabel('Show heatmap overlay').check();
    await page.locator('canvas.viewer-canvas[data-heatmap]').waitFor();
    await shoot(page, 'radiologist', 'viewer', () => page.locator('canvas.viewer-canvas[data-ready]').waitFor());
  });

  it('admin: keys and the audit trail', async () => {
    const { page } = browser;
    await signInAs(page, server, 'admin');
    await page.waitForURL(/\/app\/admin$/);
    await shoot(page, 'admin', 'keys-audit', () => page.locator('#audit tbody tr').first().waitFor());
    expect(browser.errors).toEqual([]);
  });
});
