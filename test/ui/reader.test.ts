/**
 * The radiologist's viewer and reading flow (issue 15): patient name and clinical indication in the worklist; zoom,
 * pan, window/level and heatmap opacity change the rendered pixels; the next study opens after a read; reads of the session can be undone; axe on every state.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { valPngs } from '../../src/imaging/test-support/shared-images.ts';
import { axeViolations, chromiumAvailable, launchBrowser, signInAs, startUiServer, type UiBrowser, type UiServer } from './support.ts';

let server: UiServer;
let browser: UiBrowser;
const imageIds: string[] = [];
const INDICATION = 'Fever 39 °C and productive cough for 3 days, ?right lower lobe pneumonia';

/** A digest of the viewer canvas's pixels. */
const pixels = (page: Page) =>
  page.locator('canvas.viewer-canvas').evaluate((canvas) => {
    const c = canvas as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let hash = 0;
    for (let i = 0; i < data.length; i++) hash = (Math.imul(hash, 31) + data[i]!) | 0;
    return hash;
  });

describe.skipIf(!chromiumAvailable)('reader: viewer, next study, undo', () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startUiServer(), launchBrowser({ width: 1440, height: 900 })]);
    const patient = await server.api<{ id: string }>('POST', '/v1/patients', 'doctor', { mrn: 'RX-1', name: 'Amara Nwosu' });
    for (const [i, png] of [...valPngs('pneumonia', 2), ...valPngs('normal', 1)].entries()) {
      // The first study comes with its clinical indication (a multipart field); the others without one.
      const form = new FormData();
      form.set('file', new Blob([new Uint8Array(png.bytes)]), 'cxr.png');
      if (i === 0) form.set('indication', INDICATION);
      const encoded = new Response(form);
      const body = new Uint8Array(await encoded.arrayBuffer());
      const r = await server.api<{ imageId: string }>('POST', `/v1/patients/${patient.body.id}/images`, 'doctor', body, encoded.headers.get('content-type')!);
      expect(r.status).toBe(202);
      imageIds.push(r.body.imageId);
    }
    const deadline = Date.now() + 60_000;
    for (const id of imageIds) {
      while ((await server.api('GET', `/v1/images/${id}`, 'radiologist')).body.status !== 'triaged') {
        if (Date.now() > deadline) throw new Error(`image ${id} not triaged`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists studies with the patient name and clinical indication, and zoom, pan, window/level and heatmap opacity change the rendered pixels', async () => {
    const { page } = browser;
    await signInAs(page, server, 'radiologist');
    await page.waitForURL(/\/app\/imaging$/);
    const studies = page.locator('#studies li');
    await expect.poll(() => studies.count()).toBe(3);
    expect(await studies.first().textContent()).toContain('Amara Nwosu · MRN RX-1');
    // The clinical indication sits under the patient's name; a study ordered without one says so.
    const withIndication = page.locator('#studies li', { has: page.locator('.indication', { hasText: INDICATION }) });
    expect(await withIndication.count()).toBe(1);
    expect(await withIndication.locator('.study-text').textContent()).toMatch(new RegExp(`Amara Nwosu · MRN RX-1Indication: ${INDICATION.replace('?', '\\?')}`));
    expect(await page.locator('#studies li .indication.missing', { hasText: 'No indication given' }).count()).toBe(2);
    expect(await axeViolations(page)).toEqual([]);

    await withIndication.getByRole('button').click();
    await page.locator('canvas.viewer-canvas[data-ready]').waitFor();
    expect(await page.locator('#study-body .study-indication').textContent()).toBe(INDICATION);
    const seen = new Set<number>();
    const changed = async (what: string) => {
      const now = await pixels(page);
      expect(seen.has(now), `${what} changed nothing on the canvas`).toBe(false);
      seen.add(now);
      return now;
    };
    const plain = await changed('loading');
    await page.getByRole('slider', { name: 'Window width' }).fill('80');
    await changed('window width');
    await page.getByRole('slider', { name: 'Window level' }).fill('90');
    await changed('window level');
    await page.getByRole('slider', { name: 'Zoom' }).fill('2.5');
    expect(await page.locator('output[for$="-zoom"]').textContent()).toBe('250%');
    await changed('zoom');
    await page.locator('canvas.viewer-canvas').focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowUp');
    await changed('pan');
    await page.getByRole('button', { name: 'Reset view' }).click();
    expect(await pixels(page)).toBe(plain); // back to the full image at the full window

    expect(await page.getByRole('slider', { name: 'Heatmap opacity' }).isDisabled()).toBe(true);
    await page.getByLabel('Show heatmap overlay').check();
    await page.locator('canvas.viewer-canvas[data-heatmap]').waitFor();
    await changed('heatmap at 40%');
    await page.getByRole('slider', { name: 'Heatmap opacity' }).fill('80');
    await changed('heatmap at 80%');
    await page.getByRole('slider', { name: 'Heatmap opacity' }).fill('0');
    expect(await pixels(page)).toBe(plain); // fully transparent: the image alone, blended not replaced
    await page.getByRole('slider', { name: 'Heatmap opacity' }).fill('40');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('opens the next study after a read, lists the read and undoes it', async () => {
    const { page } = browser;
    const first = await page.locator('#studies li').first().getAttribute('data-image-id');
    await page.getByRole('radio', { name: 'Agree', exact: true }).check();
    await page.getByRole('button', { name: 'Mark read' }).click();
    const readItems = page.locator('#read-list li');
    await expect.poll(() => readItems.count()).toBe(1);
    expect(await readItems.first().textContent()).toMatch(/Amara Nwosu · MRN RX-1.*agreed with the triage/);
    // The next study is open, in the viewer, with the focus.
    await expect.poll(() => page.locator('#studies li.selected').getAttribute('data-image-id')).not.toBe(first);
    await page.locator('canvas.viewer-canvas[data-ready]').waitFor();
    expect(await page.locator('#studies li').count()).toBe(2);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('study');
    expect(await axeViolations(page)).toEqual([]);

    await readItems.first().getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => page.locator('#studies li').count()).toBe(3);
    expect(await readItems.count()).toBe(0);
    expect(await page.locator('#studies li.selected').getAttribute('data-image-id')).toBe(first);
    expect((await server.api('GET', `/v1/images/${first}`, 'radiologist')).body.reads).toEqual([]);
    expect(await axeViolations(page), 'the read undone').toEqual([]);
    expect(browser.errors).toEqual([]);
  });
});
