import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import type { Role } from '../../src/access/types.ts';
import { startWorkers, type WorkerHandle } from '../../workers/index.ts';
import { createPgliteTestDatabase, type TestDatabase } from '../support/backends.ts';
import { testRuntime, tokensByRole } from '../support/runtime.ts';

/** Debian's Chromium (installed by scripts/install-chromium.sh). Without it the UI tests skip, except under CI=true. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);
if (!chromiumAvailable && (process.env.CI === 'true' || process.env.CLINOTE_REQUIRE_SERVICES === '1')) {
  throw new Error(`Chromium is required under CI=true but missing at ${CHROMIUM} (run scripts/install-chromium.sh)`);
}

/** Where the tests leave screenshots for reviewers (git-ignored). */
export const SCREENSHOT_DIR = path.resolve('eval/reports/ui');

export interface UiServer {
  baseUrl: string;
  tokens: Record<Role, string>;
  /** Calls the API directly, for setting up data the page under test only reads. */
  api<T = any>(method: string, route: string, role: Role, body?: unknown, contentType?: string): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/** The real app with in-process workers over a fresh PGlite database, listening on a free local port. */
export async function startUiServer(): Promise<UiServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'clinote-ui-'));
  let t: TestDatabase | undefined;
  let workers: WorkerHandle | undefined;
  let server: ServerType | undefined;
  try {
    t = await createPgliteTestDatabase();
    const runtime = await testRuntime(t.db, { CLINOTE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    const tokens = await tokensByRole(t.db);
    workers = await startWorkers(runtime);
    const app = createApp(runtime);
    const listening = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    server = listening;
    const baseUrl = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
    const db = t;
    const stopWorkers = workers;
    return {
      baseUrl,
      tokens,
      async api(method, route, role, body, contentType = 'application/json') {
        const res = await fetch(baseUrl + route, {
          method,
          headers: { authorization: `Bearer ${tokens[role]}`, ...(body !== undefined ? { 'content-type': contentType } : {}) },
          body: body === undefined ? undefined : contentType === 'application/json' ? JSON.stringify(body) : (body as BodyInit),
        });
        const text = await res.text();
        return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
      },
      async close() {
        await new Promise<void>((resolve) => listening.close(() => resolve()));
        await stopWorkers.stop();
        await runtime.close();
        await db.drop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    server?.close();
    await workers?.stop();
    await t?.drop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

export interface UiBrowser {
  context: BrowserContext;
  page: Page;
  /** Console errors and failed page scripts (a CSP violation shows up here). */
  errors: string[];
  close(): Promise<void>;
}

/** Debian's headless Chromium with a throw-away profile. */
export async function launchBrowser(viewport = { width: 1366, height: 900 }): Promise<UiBrowser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'clinote-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    viewport,
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of (401|404|409|422)/.test(m.text())) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A full-page screenshot for reviewers. A state worth showing is a state a user meets, so it is first held to axe:
 * 0 serious or critical findings.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  expect(await axeViolations(page), `axe on ${name}`).toEqual([]);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // From the top, so sticky panes sit where a user first sees them.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Signs in through the sign-in page (signing out first when a session is open). */
export async function signInAs(page: Page, server: UiServer, role: Role): Promise<void> {
  const signOut = page.locator('#sign-out');
  if (await signOut.isVisible().catch(() => false)) await signOut.click();
  await page.goto(`${server.baseUrl}/app/signin`);
  await page.getByLabel('API key').fill(server.tokens[role]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/app/signin'));
}

export const hasFocus = (target: Locator): Promise<boolean> => target.evaluate((el) => el === document.activeElement);

/** Presses Tab (keyboard only, as a user would) until `target` has the focus; fails after `maxPresses`. */
export async function tabTo(page: Page, target: Locator, maxPresses = 100): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press('Tab');
    if (await hasFocus(target)) return;
  }
  throw new Error(`${maxPresses} presses of Tab did not reach ${target}`);
}

/** WCAG relative luminance of a computed CSS colour (`rgb(…)` / `rgba(…)`). */
function luminance(color: string): number {
  const [r, g, b] = color.match(/[\d.]+/g)!.slice(0, 3).map((c) => {
    const v = Number(c) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** WCAG contrast ratio of two computed CSS colours. */
function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

/**
 * The contrast of the focused element's focus ring against what is painted behind the ring: the first opaque
 * background under the middle of the ring's bottom edge (the ring sits outside the element). Fails when the
 * focused element shows no ring.
 */
export async function focusRingContrast(page: Page): Promise<{ ring: string; behind: string; ratio: number }> {
  const { ring, behind } = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const style = getComputedStyle(el);
    if (!el.matches(':focus-visible') || style.outlineStyle === 'none' || parseFloat(style.outlineWidth) === 0) throw new Error(`no focus ring on ${el.outerHTML.slice(0, 120)}`);
    const box = el.getBoundingClientRect();
    const y = box.bottom + parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth) / 2;
    const opaque = (c: string) => c !== 'transparent' && !/^rgba\(.*,\s*0\)$/.test(c);
    const backgrounds = document.elementsFromPoint(box.left + box.width / 2, y).map((e) => getComputedStyle(e).backgroundColor);
    return { ring: style.outlineColor, behind: backgrounds.find(opaque) ?? getComputedStyle(document.documentElement).backgroundColor };
  });
  return { ring, behind, ratio: contrastRatio(ring, behind) };
}


const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's serious and critical findings on the page as it is now (WCAG 2.1 A/AA and best practice), one line
 * each: `rule-id: target (help)`. axe is evaluated through the DevTools protocol, which the pages' CSP allows.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').flatMap((v) => v.targets.map((t) => `${v.id}: ${t} (${v.help})`));
}
