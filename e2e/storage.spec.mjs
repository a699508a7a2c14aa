// Nothing lost: two tabs of one browser, damaged storage, the first storage format, big
// portfolios, reloads in the middle of work, and a full quota.
import { test, expect } from '@playwright/test';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { fixture, open, exportResults, read } from './helpers.mjs';

/** A second tab of the same browser; `deaf`: it never hears the other tabs' news (as where
 *  BroadcastChannel is missing), so only the revision check protects its writes. */
async function tab(context, { deaf = false } = {}) {
  const page = await context.newPage();
  if (deaf) await page.addInitScript(() => { delete window.BroadcastChannel; });
  await open(page);
  return page;
}

/** A records file adding `n` new clients with one period each. */
function newClients(n, prefix = 'N') {
  let text = 'client,period,revenue,direct_cost,service_hours\n';
  for (let i = 1; i <= n; i++) text += `${prefix}${i},2025-12,${1000 + i},100,2\n`;
  return { name: `${prefix}-clients.csv`, mimeType: 'text/csv', buffer: Buffer.from(text) };
}

async function importBuffer(page, file) {
  await page.getByTestId('import-file').setInputFiles(file);
  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('notice-ok')).toContainText(file.name);
}

async function setServiceRate(page, value) {
  await page.click('[data-page=settings]');
  const input = page.locator('[data-setting=service_rate]');
  await input.fill(value);
  await input.dispatchEvent('change');
  await page.click('[data-page=portfolio]');
}

async function renameClient(page, id, name) {
  await page.click('[data-page=portfolio]');
  await page.click(`tr[data-client="${id}"] button.link`);
  await page.getByTestId('client-editor').locator('summary').click();
  await page.locator('[data-field=name]').fill(name);
  await page.getByTestId('save-client').click();
  await expect(page.locator('h1')).toContainText(name);
}

/** The names of the portfolios stored (what a reload finds). */
function storedNames(page) {
  return withDb(page, `(db) => new Promise((ok) => { const r = db.transaction('meta').objectStore('meta').getAll(); r.onsuccess = () => ok(r.result.map((m) => JSON.parse(m).name)); })`);
}

/** Waits until a portfolio whose name contains `part` is stored. */
async function storedName(page, part) {
  await expect.poll(async () => (await storedNames(page)).some((n) => n.includes(part)), { timeout: 10_000 }).toBe(true);
}

/** What a fresh tab of the browser finds stored. */
async function stored(context) {
  const page = await tab(context);
  const count = await page.getByTestId('client-count').innerText();
  await page.click('[data-page=settings]');
  const rate = await page.locator('[data-setting=service_rate]').inputValue();
  return { page, count: Number(count), rate };
}

test('a tab that missed the news still keeps both changes: an import here, a setting there', async ({ context }) => {
  const b = await tab(context, { deaf: true });
  const a = await tab(context);
  await importBuffer(a, newClients(5));
  await expect(a.getByTestId('client-count')).toHaveText('83');
  // B, opened before the import and deaf to it, changes a setting: its write meets A's
  // revision, and the two are merged.
  await setServiceRate(b, '52');
  await expect(b.getByTestId('client-count')).toHaveText('83');
  const s = await stored(context);
  expect(s).toMatchObject({ count: 83, rate: '52' });
});

test('a tab hears another tab\'s change at once', async ({ context }) => {
  const b = await tab(context);
  const a = await tab(context);
  await importBuffer(a, newClients(3));
  await expect(b.getByTestId('client-count')).toHaveText('81');
  await expect(b.getByTestId('notice-info')).toBeVisible();
});

test('edits of different clients in two tabs are both kept; of the same client, the conflict is shown', async ({ context }) => {
  const b = await tab(context, { deaf: true });
  const a = await tab(context);
  await renameClient(a, 'C137', 'Renamed in A');
  await renameClient(b, 'C124', 'Renamed in B');
  // Both writes landed (B's after meeting A's revision, merged) before a fresh tab reads: B
  // hears nothing and tells nothing, so a tab that read before its write would not learn of it.
  for (const t of [a, b]) await expect(t.locator('main')).toHaveAttribute('data-saved', 'true', { timeout: 10_000 });
  let s = await stored(context);
  await s.page.click('[data-page=portfolio]');
  await expect(s.page.locator('tr[data-client="C137"]')).toContainText('Renamed in A');
  await expect(s.page.locator('tr[data-client="C124"]')).toContainText('Renamed in B');

  // Both rename C187: the later write meets the other's revision and the same client.
  await renameClient(a, 'C187', 'A says');
  await b.click('[data-page=portfolio]');
  await b.click('tr[data-client="C187"] button.link');
  await b.getByTestId('client-editor').locator('summary').click();
  await b.locator('[data-field=name]').fill('B says');
  await b.getByTestId('save-client').click();
  const conflict = b.getByTestId('conflict');
  await expect(conflict).toBeVisible();
  await expect(conflict).toContainText('B says');
  // Nothing was written over: A's name is stored, and B keeps its own as a copy.
  s = await stored(context);
  await s.page.click('[data-page=portfolio]');
  await expect(s.page.locator('tr[data-client="C187"]')).toContainText('A says');
  await b.getByTestId('keep-mine').click();
  await expect(b.getByTestId('conflict')).toHaveCount(0);
  await expect(b.locator('h1')).toContainText('(copy)');
  await storedName(b, '(copy)');
  await b.reload();
  await expect(b.getByTestId('portfolio-select').locator('option')).toHaveCount(2);
  await expect(b.locator('tr[data-client="C187"]')).toContainText('B says');
});

test('a portfolio deleted in one tab is reported in the other, which can keep it', async ({ context }) => {
  const a = await tab(context);
  const b = await tab(context);
  a.once('dialog', (d) => d.accept());
  await a.getByTestId('delete-portfolio').click();
  await expect(b.getByTestId('gone')).toBeVisible();
  await b.getByTestId('keep-copy').click();
  await expect(b.getByTestId('gone')).toHaveCount(0);
  await expect(b.getByTestId('client-count')).toHaveText('78');
  await storedName(b, '(copy)');
  await b.reload();
  await expect(b.locator('h1')).toContainText('(copy)');
});

test('two tabs creating a portfolio at once get two portfolios with two ids', async ({ context }) => {
  const a = await tab(context);
  const b = await tab(context);
  await Promise.all([a.getByTestId('new-portfolio').click(), b.getByTestId('new-portfolio').click()]);
  const c = await tab(context);
  const options = c.getByTestId('portfolio-select').locator('option');
  await expect(options).toHaveCount(3);
  const ids = await options.evaluateAll((os) => os.map((o) => o.value));
  expect(new Set(ids).size).toBe(3);
});

/** Runs the function text `body` as `(db, arg) => …` on the app's IndexedDB database in the
 *  page (a devtools evaluation, as a user could type in the console). */
function withDb(page, body, arg) {
  return page.evaluate(`(async (arg) => {
    const db = await new Promise((ok, err) => { const r = indexedDB.open('cartera'); r.onsuccess = () => ok(r.result); r.onerror = err; });
    try { return await (${body})(db, arg); } finally { db.close(); }
  })(${JSON.stringify(arg)})`);
}

test('damaged records: every portfolio stays listed, a damaged one is kept byte for byte and downloadable', async ({ page }) => {
  await open(page);
  await page.getByTestId('new-portfolio').click();
  await importBuffer(page, newClients(2, 'Z'));
  const ids = await page.getByTestId('portfolio-select').locator('option').evaluateAll((os) => os.map((o) => o.value));
  expect(ids.length).toBe(2);
  // The index record of the first portfolio is damaged, the data of the second.
  await withDb(page, `async (db, [a, b]) => {
    for (const [store, key, value] of [['meta', a, '{"name": "bro'], ['snap', b, 'garbage {']]) {
      await new Promise((ok, err) => { const tx = db.transaction(store, 'readwrite'); tx.objectStore(store).put(value, key); tx.oncomplete = ok; tx.onerror = err; });
    }
  }`, ids);
  await page.reload();
  await expect(page.getByTestId('new-portfolio')).toBeVisible();
  const options = page.getByTestId('portfolio-select').locator('option');
  await expect(options).toHaveCount(2);
  // The demo is open (its index rebuilt from its data, and said so); the damaged one is reported.
  await expect(page.getByTestId('client-count')).toHaveText('78');
  await expect(page.getByTestId('notice-info')).toContainText('rebuilt');
  const damaged = page.locator('.notice', { has: page.getByTestId('download-damaged') });
  await expect(damaged).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-damaged').click()]);
  expect(readFileSync(await download.path(), 'utf8')).toBe('garbage {');
  // A new portfolio overwrites nothing.
  await page.getByTestId('new-portfolio').click();
  await expect(options).toHaveCount(3);
  const raw = await withDb(page, `(db, id) => new Promise((ok) => { const r = db.transaction('snap').objectStore('snap').get(id); r.onsuccess = () => ok(r.result); })`, ids[1]);
  expect(raw).toBe('garbage {');
});

test('the first storage format moves over by itself, even when a reload interrupts it', async ({ context }) => {
  const keys = JSON.parse(read('v1-storage.json'));
  const page = await context.newPage();
  await page.addInitScript((keys) => {
    if (!sessionStorage.getItem('seeded')) {
      for (const [k, v] of Object.entries(keys)) localStorage.setItem(k, v);
      sessionStorage.setItem('seeded', '1');
    }
  }, keys);
  await page.goto('./');
  await page.reload();
  await expect(page.getByTestId('new-portfolio')).toBeVisible();
  // The language and the open portfolio came along.
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await expect(page.locator('h1')).toHaveText('Segunda v1');
  const options = page.getByTestId('portfolio-select').locator('option');
  await expect(options).toHaveCount(2);
  await page.getByTestId('portfolio-select').selectOption({ label: 'Desde v1' });
  await expect(page.getByTestId('client-count')).toHaveText('78');
  const csv = await exportResults(page);
  expect(csv).toBe(read('sample-expected.csv'));
  const left = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('cartera.v1.')));
  expect(left).toEqual([]);
});

test('a reload during an import leaves the portfolio as it was; during a save, old or new, whole', async ({ page }) => {
  await open(page);
  const before = await exportResults(page);
  await page.getByTestId('import-file').setInputFiles(newClients(20_000, 'R'));
  await expect(page.getByTestId('import-apply')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('client-count')).toHaveText('78');
  expect(await exportResults(page)).toBe(before);
  // Apply, and reload right away: the stored portfolio is the old one or the new one.
  await page.getByTestId('import-file').setInputFiles(newClients(20_000, 'R'));
  await page.getByTestId('import-apply').click();
  const after = await exportResults(page);
  await page.reload();
  await expect(page.getByTestId('new-portfolio')).toBeVisible();
  const count = await page.getByTestId('client-count').innerText();
  expect(['78', '20,078']).toContain(count);
  expect(await exportResults(page)).toBe(count === '78' ? before : after);
});

/** Imports a large file into a new portfolio and waits for its 100,000 clients. */
async function importLarge(page, path) {
  await open(page);
  await page.getByTestId('new-portfolio').click();
  await page.getByTestId('import-file').setInputFiles(path);
  await page.getByTestId('import-apply').click({ timeout: 120_000 });
  await expect(page.getByTestId('client-count')).toHaveText('100,000', { timeout: 60_000 });
}

/**
 * What the stored snapshots hold: each one's records length, whether its records hold the
 * line starting `last`, and its service rate. Read with evaluate, which waits for the
 * promise (waitForFunction would take the promise itself as a true answer).
 */
function storedSnapshots(page, last) {
  return page.evaluate(async (last) => {
    const db = await new Promise((ok) => { const r = indexedDB.open('cartera'); r.onsuccess = () => ok(r.result); });
    // A snapshot is stored whole under its id, or as a record of its pieces with the pieces
    // under [id, 0], [id, 1], … (joined, they are the snapshot's text).
    const store = db.transaction('snap').objectStore('snap');
    const get = (key) => new Promise((ok) => { const r = store.get(key); r.onsuccess = () => ok(r.result); });
    const ids = await new Promise((ok) => { const r = store.getAllKeys(); r.onsuccess = () => ok(r.result.filter((k) => typeof k === 'string')); });
    const snaps = [];
    for (const id of ids) {
      const stored = await get(id);
      if (typeof stored === 'string') { snaps.push(stored); continue; }
      const pieces = [];
      for (let k = 0; k < stored.pieces; k++) pieces.push(await get([id, k]));
      snaps.push(pieces.join(''));
    }
    db.close();
    return snaps.map((s) => JSON.parse(s)).map((s) => ({ length: s.records.length, last: s.records.includes(`\n${last}`), rate: String(s.settings.service_rate) }));
  }, last);
}

test('a portfolio of 100,000 clients is stored and reloads with the same results', async ({ page }) => {
  test.setTimeout(180_000);
  mkdirSync('test-results', { recursive: true });
  let text = 'client,period,revenue,direct_cost,service_hours\n';
  for (let i = 1; i <= 100_000; i++) {
    for (let m = 1; m <= 6; m++) text += `K${i},2025-${String(m).padStart(2, '0')},${(i * 37 + m * 11) % 5000 + 100},${(i * 13) % 300},${(i + m) % 9}\n`;
  }
  const path = 'test-results/hundred-thousand.csv';
  writeFileSync(path, text);
  await importLarge(page, path);
  const before = await exportResults(page);
  // Stored before the reload: the write is under way until the stored snapshot holds the last
  // client and the service rate the page shows (a revision number alone does not say which
  // version it holds: an unchanged portfolio may be written twice).
  const stored = (rate) => expect.poll(async () => (await storedSnapshots(page, 'K100000,2025-06')).some((s) => s.last && s.rate === rate), { timeout: 60_000 }).toBe(true);
  await stored('0');
  await page.reload();
  await expect(page.getByTestId('client-count')).toHaveText('100,000', { timeout: 60_000 });
  expect(await exportResults(page)).toBe(before);

  // Two settings changes, each stored: the second save reuses the records the first encoded.
  // What a reload finds is the last one, with every record.
  await page.click('[data-page=settings]');
  const rate = page.locator('[data-setting=service_rate]');
  await rate.fill('30');
  await rate.dispatchEvent('change');
  await stored('30');
  // A large portfolio is analysed in the background, with its progress; cancelling takes
  // the change back, and the analysis before it is shown again at once.
  await rate.fill('60');
  await rate.dispatchEvent('change');
  await expect(page.getByTestId('analysis-progress')).toBeVisible();
  await expect(page.getByTestId('export-results')).toBeDisabled();
  await page.getByTestId('analysis-cancel').click();
  await expect(page.getByTestId('analysis-progress')).toHaveCount(0);
  await expect(rate).toHaveValue('30');
  await page.click('[data-page=portfolio]');
  await expect(page.locator('tr[data-client]').first()).toBeVisible();
  await page.click('[data-page=settings]');
  await rate.fill('45');
  await rate.dispatchEvent('change');
  await stored('45');
  await page.click('[data-page=portfolio]');
  const after = await exportResults(page);
  expect(after).not.toBe(before);
  await page.reload();
  await expect(page.getByTestId('client-count')).toHaveText('100,000', { timeout: 60_000 });
  expect(await exportResults(page)).toBe(after);
  await page.click('[data-page=settings]');
  await expect(page.locator('[data-setting=service_rate]')).toHaveValue('45');
});

test('100,000 clients × 36 months pasted wide are stored and open again with the same results', async ({ page }) => {
  test.setTimeout(240_000);
  mkdirSync('test-results', { recursive: true });
  const months = [];
  for (let y = 2023; y <= 2025; y++) for (let m = 1; m <= 12; m++) months.push(`${y}-${String(m).padStart(2, '0')}`);
  const lines = [`client,${months.join(',')}`];
  for (let i = 1; i <= 100_000; i++) lines.push(`W${i},${months.map((_, k) => (i * 31 + k * 17) % 4000 + 50).join(',')}`);
  const path = 'test-results/wide-hundred-thousand.csv';
  writeFileSync(path, lines.join('\n') + '\n');
  await importLarge(page, path);
  const before = await exportResults(page);
  // Its records take more than the largest file one may import: stored all the same.
  await expect.poll(async () => (await storedSnapshots(page, 'W100000,2025-12')).some((s) => s.last && s.length > 64 * 1024 * 1024), { timeout: 60_000 }).toBe(true);
  await page.reload();
  await expect(page.getByTestId('client-count')).toHaveText('100,000', { timeout: 120_000 });
  await expect(page.locator('.notice')).toHaveCount(0);
  expect(await exportResults(page)).toBe(before);
});

test('after many changes a reminder offers the backup; Settings shows the space and whether it is kept', async ({ page }) => {
  await open(page);
  await page.click('[data-page=settings]');
  await expect(page.getByTestId('storage-used')).toContainText('used of');
  await expect(page.getByTestId('storage-persistent')).toHaveAttribute('data-persistent', /true|false/);
  const input = page.locator('[data-setting=service_rate]');
  for (let i = 0; i < 20; i++) {
    await input.fill(String(40 + i));
    await input.dispatchEvent('change');
  }
  const reminder = page.getByTestId('notice-warn');
  await expect(reminder).toContainText('since its last backup');
  const [download] = await Promise.all([page.waitForEvent('download'), reminder.getByTestId('notice-backup').click()]);
  expect(download.suggestedFilename()).toMatch(/\.cartera\.json$/);
  await expect(page.getByTestId('notice-warn')).toHaveCount(0);
  // The count starts over: one more change brings no reminder.
  await input.fill('70');
  await input.dispatchEvent('change');
  await page.waitForTimeout(500);
  await expect(page.getByTestId('notice-warn')).toHaveCount(0);
});
