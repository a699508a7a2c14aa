// Ship anywhere: any sub-path, inside another origin's iframe, offline, from one file, and
// nothing requested from anywhere but the app's own files.
import { readdirSync, statSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { open, openSample, importSample, exportResults, read, fixture, matrixCounts } from './helpers.mjs';
import { sizes } from '../scripts/size.mjs';

const port = Number(process.env.E2E_PORT || 8471);
const SUB = `http://127.0.0.1:${port + 1}/wiki/tools/cartera/`;

test('works served from a deep sub-path', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const failed = [];
  page.on('response', (r) => { if (r.status() >= 400) failed.push(r.url()); });
  await page.goto(SUB);
  await expect(page.getByTestId('client-count')).toHaveText('78');
  await importSample(page);
  expect(await exportResults(page)).toBe(read('sample-expected.csv'));
  expect(failed).toEqual([]);
  expect(errors).toEqual([]);
});

test('works embedded in a wiki page of another origin, with its own storage keys', async ({ page }) => {
  await page.setViewportSize({ width: 900, height: 800 });
  await page.goto(`http://127.0.0.1:${port + 2}/`);
  const frame = page.frameLocator('#cartera');
  await expect(frame.getByTestId('client-count')).toHaveText('78');
  await frame.getByTestId('new-portfolio').click();
  await frame.getByTestId('import-file').setInputFiles(fixture('sample-records.csv'));
  await frame.getByTestId('import-apply').click();
  await expect(frame.getByTestId('client-count')).toHaveText('78');
  // The app's keys carry its prefix; the wiki's key is untouched.
  const appFrame = page.frames().find((f) => f.url().startsWith(SUB));
  const keys = await appFrame.evaluate(() => Object.keys(localStorage));
  expect(keys.length).toBeGreaterThan(0);
  expect(keys.every((k) => k.startsWith('cartera.'))).toBe(true);
  expect(await page.evaluate(() => localStorage.getItem('index'))).toBe('the wiki keeps its own keys');
  // The layout adapts to the frame: no horizontal scrolling of the page.
  const overflow = await appFrame.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('nothing is requested from anywhere but the app during a full session', async ({ page }) => {
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const origin = `http://127.0.0.1:${port}/`;
  await openSample(page);
  for (const p of ['decisions', 'matrix', 'health', 'whatif', 'plans', 'sixr', 'prospects', 'settings', 'import', 'portfolio']) {
    await page.locator(`[data-page=${p}]`).click();
  }
  await exportResults(page);
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: test.info().outputPath('session.pdf') });
  const foreign = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'));
  expect(foreign).toEqual([]);
  expect(requests.length).toBeGreaterThan(3);
});

test('after a first visit it loads and works offline', async ({ page, context }) => {
  await open(page);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('client-count')).toHaveText('78');
  await importSample(page);
  expect(await matrixCounts(page)).toMatchObject({ AX: 12, CX: 23 });
  expect(await exportResults(page)).toBe(read('sample-expected.csv'));
  // The background worker starts from the cache too.
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  await page.locator('[data-page=decisions]').click();
  await expect(page.locator('[data-testid=robustness][data-ready=true]')).toBeVisible();
  expect(page.workers().map((w) => w.url()).some((u) => u.endsWith('/worker.js'))).toBe(true);
  expect(warnings.filter((w) => w.includes('no background worker'))).toEqual([]);
  await context.setOffline(false);
});

test('the offline cache is named for this release, so a new one replaces it', async ({ page }) => {
  await open(page);
  const caches = await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    return (await window.caches.keys()).filter((k) => k.startsWith('cartera-'));
  });
  expect(caches).toHaveLength(1);
  const sw = await (await page.request.get('sw.js')).text();
  expect(sw).toContain(`const CACHE = '${caches[0]}'`);
});

test('the single-file build works opened from file://', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`file://${new URL('../dist/cartera.html', import.meta.url).pathname}`);
  await expect(page.getByTestId('client-count')).toHaveText('78');
  await importSample(page);
  expect(await exportResults(page)).toBe(read('sample-expected.csv'));
  expect(errors).toEqual([]);
});

test('the single file holds its wasm compressed: smaller on disk than the wasm alone', () => {
  const dist = new URL('../dist/', import.meta.url).pathname;
  const wasm = readdirSync(dist).find((f) => f.endsWith('.wasm'));
  const single = statSync(`${dist}cartera.html`).size;
  // Inlined as plain base64 it would be a third larger than the wasm, before the JS and CSS.
  expect(single).toBeLessThan(statSync(`${dist}${wasm}`).size);
});

// The first visit's ceiling, gzip -9, in bytes. The aim is 250 KB with a bar at 300 KB; the
// build is at about 602.3 KB (`node scripts/size.mjs`), so this holds what has been reached
// and is lowered as cuts land: a build that grows past it fails here. It was raised once, from
// 610,000, for the sweep that finds every client's classes along a side at once (about
// 2.7 KB), which makes every range of a large portfolio three times as fast; it came back to
// 610,000 when the upsell bands and the maps of who moved by id went, and to 607,000 with the
// demo's records held a column a line (7 KB less) and the styles in one file (1.7 KB less),
// which also paid for the analysis handed back by the background worker (about 5 KB) and for
// saves that leave unchanged records where they are stored (0.8 KB); to 604,000 with four
// sorts fewer (7.5 KB less), which paid for imports and edits made again by the background
// worker (about 4 KB); to 603,500 with the short lists of numbers sorted by insertion and the
// fragile verdicts counted without a sort (2.8 KB less), which paid for saves encoded by the
// background worker and portfolios opened with their stored text kept (2.6 KB); to 602,800
// with the nearest values ordered by the ABC ranking's sort (1.5 KB less), which paid for who
// moved listed in a task of its own at real size (0.8 KB).
const FIRST_VISIT_CEILING = 602_800;

test('a first visit downloads no more than its ceiling, gzip -9', () => {
  const { files, firstVisit } = sizes(new URL('../dist/', import.meta.url).pathname, { brotli: false });
  // Everything a visit fetches is counted, as the service worker lists it: the page, its wasm,
  // JS, CSS, both workers and the manifest.
  for (const ending of ['.wasm', '.js', '.css', 'index.html', 'sw.js', 'worker.js', 'manifest.webmanifest']) {
    expect(files.some((f) => f.name.endsWith(ending)), ending).toBe(true);
  }
  expect(firstVisit.gzip).toBe(files.reduce((sum, f) => sum + f.gzip, 0));
  expect(firstVisit.gzip).toBeLessThanOrEqual(FIRST_VISIT_CEILING);
});

test('the language follows the browser on a first visit, can be switched, and is remembered', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'es-ES' });
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  await expect(page.locator('[data-page=decisions]')).toHaveText('Decisiones');
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  // Spanish money: 3.034.618,45 €.
  await expect(page.locator('.card').nth(1)).toContainText('3.034.618,45\u00a0€');
  await page.getByTestId('lang-select').selectOption('ru');
  await expect(page.locator('[data-page=decisions]')).toHaveText('Решения');
  await page.reload();
  await expect(page.locator('[data-page=decisions]')).toHaveText('Решения');
  // Roubles as Russians write them.
  await page.locator('[data-page=settings]').click();
  await page.locator('[data-setting=currency]').fill('RUB');
  await page.locator('[data-setting=currency]').press('Tab');
  await page.locator('[data-page=portfolio]').click();
  await expect(page.locator('.card').nth(1)).toContainText('3\u00a0034\u00a0618,45\u00a0₽');
  await page.getByTestId('lang-select').selectOption('en');
  await expect(page.locator('.card').nth(1)).toContainText('₽3,034,618.45');
  await context.close();
});

test('the app is installable: its manifest, with relative start and scope, and its icons', async ({ page }) => {
  await open(page);
  const href = await page.locator('link[rel=manifest]').getAttribute('href');
  expect(href).toBe('manifest.webmanifest');
  const res = await page.request.get(href);
  expect(res.headers()['content-type']).toContain('application/manifest+json');
  const manifest = await res.json();
  expect(manifest).toMatchObject({ short_name: 'Cartera', start_url: './', scope: './', display: 'standalone', theme_color: '#1f5fbf' });
  expect(manifest.icons.map((i) => i.type)).toEqual(['image/svg+xml', 'image/png', 'image/png']);
  for (const icon of manifest.icons.filter((i) => i.sizes !== 'any')) {
    const width = await page.evaluate(async (src) => { const img = new Image(); img.src = src; await img.decode(); return img.naturalWidth; }, icon.src);
    expect(`${width}x${width}`).toBe(icon.sizes);
  }
  // Chromium fetched and parsed it, without a complaint.
  const cdp = await page.context().newCDPSession(page);
  const { errors, data } = await cdp.send('Page.getAppManifest');
  expect(errors).toEqual([]);
  expect(JSON.parse(data).name).toContain('Cartera');
});

test('when a new release is deployed, the open app says so and reloads into it on request', async ({ page }) => {
  await open(page);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
  await page.request.get('__release');
  try {
    await page.evaluate(async () => { await (await navigator.serviceWorker.getRegistration()).update(); });
    const notice = page.getByTestId('notice-info');
    await expect(notice).toContainText('new version');
    await expect(page.getByTestId('client-count')).toHaveText('78');
    await Promise.all([page.waitForEvent('load'), page.getByTestId('reload-update').click()]);
    await expect(page.getByTestId('client-count')).toHaveText('78');
    await expect(page.getByTestId('notice-info')).toHaveCount(0);
    const waiting = await page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration()).waiting));
    expect(waiting).toBe(false);
  } finally {
    await page.request.get('__release?reset');
  }
});
