// Real size: a retail log of 25,000 customers over 18 months (written with the engine's
// expected results by the native test `retail_e2e_data`, which the test command runs first).
// Every page shows its first rows at once and stays small; paging reaches the last client;
// search finds a client far down; the keyboard moves along the rows; the export equals the
// engine's; a settings change lists who moved.
import { test, expect } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { open, exportResults } from './helpers.mjs';

const data = (name) => new URL(`../target/e2e-data/${name}`, import.meta.url).pathname;

test.beforeAll(() => {
  if (!existsSync(data('retail-25k.csv'))) throw new Error('run `cargo test --test retail_e2e_data` first: it writes the data of this test');
});

async function importRetail(page) {
  await open(page);
  await page.getByTestId('new-portfolio').click();
  await page.getByTestId('import-file').setInputFiles(data('retail-25k.csv'));
  await page.getByTestId('import-apply').click({ timeout: 60_000 });
  await expect(page.getByTestId('client-count')).toHaveText('25,000', { timeout: 30_000 });
}

/** Moves A's threshold to 60% in Settings: who moved is listed, the analysis was worked out
 * `by` the background worker or the page, and the export is the engine's. Returns the field. */
async function thresholdTo60(page, by) {
  await page.click('[data-page=settings]');
  const a = page.locator('[data-setting=a]');
  await a.fill('60');
  await a.dispatchEvent('change');
  await expect(page.getByTestId('moved-clients').locator('tbody tr').first()).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('main')).toHaveAttribute('data-analysed-by', by);
  expect(await exportResults(page)).toBe(readFileSync(data('retail-25k-results-a60.csv'), 'utf8'));
  return a;
}

const nodes = (page) => page.evaluate(() => document.getElementsByTagName('*').length);

test('25,000 customers: first rows at once, paging to the last, search far down, export equal to the engine', async ({ page }) => {
  test.setTimeout(120_000);
  await importRetail(page);
  const rows = page.locator('[data-testid=client-table] tr[data-client]');
  await expect(rows).toHaveCount(100);
  await expect(page.getByTestId('client-table')).toHaveAttribute('aria-rowcount', '25001');
  await expect(page.getByTestId('client-pager-status')).toHaveText('Rows 1–100 of 25,000');
  // Counts in the user's number format.
  await expect(page.getByText('25,000 of 25,000 clients')).toBeVisible();
  expect(await nodes(page)).toBeLessThan(5_000);

  // The last page holds the last client of the sort (profit, descending).
  const results = readFileSync(data('retail-25k-results.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  await page.getByTestId('client-pager-last').click();
  await expect(page.getByTestId('client-pager-status')).toHaveText('Rows 24,901–25,000 of 25,000');
  await expect(rows.last()).toHaveAttribute('aria-rowindex', '25001');
  const lastId = await rows.last().getAttribute('data-client');
  expect(results.some((r) => r[0] === lastId)).toBe(true);

  // Another page size, at the user's choice; it holds when the user leaves the page and
  // comes back.
  await page.getByTestId('client-pager-first').click();
  await page.getByTestId('client-pager-size').selectOption('50');
  await expect(rows).toHaveCount(50);
  await expect(page.getByTestId('client-pager-status')).toHaveText('Rows 1–50 of 25,000');
  await page.click('[data-page=matrix]');
  await page.click('[data-page=portfolio]');
  await expect(rows).toHaveCount(50);
  await expect(page.getByTestId('client-pager-size')).toHaveValue('50');
  // A page of 500 is drawn a frame at a time, to its last row.
  await page.getByTestId('client-pager-size').selectOption('500');
  await expect(rows).toHaveCount(500);
  await expect(rows.last()).toHaveAttribute('aria-rowindex', '501');
  await page.getByTestId('client-pager-size').selectOption('100');
  await expect(rows).toHaveCount(100);

  // The frame after a click to the page shows its first 40 rows (a screen full), and the
  // page fills to its 100 after.
  await page.click('[data-page=matrix]');
  const first = await page.evaluate(() => new Promise((ok) => {
    document.querySelector('[data-page=portfolio]').click();
    requestAnimationFrame(() => ok(document.querySelectorAll('[data-testid=client-table] tr[data-client]').length));
  }));
  expect(first).toBe(40);
  await expect(rows).toHaveCount(100);
  await expect(rows.last()).toHaveAttribute('aria-rowindex', '101');

  // Search finds a client far down the list, and paging starts over.
  await page.locator('input[type=search]').fill('R024999');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-client', 'R024999');
  await page.locator('input[type=search]').fill('');
  await expect(page.getByTestId('client-pager-status')).toHaveText('Rows 1–100 of 25,000');

  // The keyboard moves along the rows: Tab and ↓ to the next, End and Home to the ends.
  await rows.nth(0).locator('button.link').focus();
  await page.keyboard.press('Tab');
  await expect(rows.nth(1).locator('button.link')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(rows.nth(2).locator('button.link')).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(rows.nth(1).locator('button.link')).toBeFocused();
  await page.keyboard.press('End');
  await expect(rows.nth(99).locator('button.link')).toBeFocused();
  await page.keyboard.press('Home');
  await expect(rows.nth(0).locator('button.link')).toBeFocused();

  expect(await exportResults(page)).toBe(readFileSync(data('retail-25k-results.csv'), 'utf8'));
});

test('25,000 customers: the save is encoded by the worker that made the portfolio, and reads back the same', async ({ page }) => {
  test.setTimeout(120_000);
  await importRetail(page);
  const main = page.locator('main');
  await expect(main).toHaveAttribute('data-saved', 'true', { timeout: 30_000 });
  await expect(main).toHaveAttribute('data-encoded-away', '1');
  // A settings change is saved with the records taken as they were (nothing asked again).
  await page.click('[data-page=settings]');
  const a = page.locator('[data-setting=a]');
  await a.fill('60');
  await a.dispatchEvent('change');
  await expect(page.getByTestId('moved-clients').locator('tbody tr').first()).toBeVisible({ timeout: 30_000 });
  await expect(main).toHaveAttribute('data-saved', 'true', { timeout: 30_000 });
  await expect(main).toHaveAttribute('data-encoded-away', '1');
  await page.reload();
  await expect(page.getByTestId('client-count')).toHaveText('25,000', { timeout: 30_000 });
  expect(await exportResults(page)).toBe(readFileSync(data('retail-25k-results-a60.csv'), 'utf8'));
});

test('25,000 customers: every page stays small, and a settings change lists who moved', async ({ page }) => {
  test.setTimeout(120_000);
  await importRetail(page);
  for (const name of ['decisions', 'matrix', 'health', 'whatif', 'plans', 'sixr', 'prospects', 'report', 'import', 'settings', 'portfolio']) {
    await page.click(`[data-page=${name}]`);
    await expect(page.locator('main')).not.toContainText('Working…');
    expect(await nodes(page), `${name} page`).toBeLessThan(5_000);
  }
  // The groups share the frame after the click: 40 rows of them in all, from the top of the
  // page (the first large group's 25 whole); the next frames draw the rest.
  await page.click('[data-page=matrix]');
  const frame = await page.evaluate(() => new Promise((ok) => {
    document.querySelector('[data-page=decisions]').click();
    requestAnimationFrame(() => ok([...document.querySelectorAll('[data-testid^=verdict-group-]')]
      .map((g) => [Number(g.dataset.count), g.querySelectorAll('tbody tr').length])));
  }));
  const paged = frame.filter(([n]) => n > 25).map(([, shown]) => shown);
  expect(paged.length).toBeGreaterThan(2);
  expect(paged.slice(0, 3)).toEqual([25, 15, 0]);
  const groups = page.locator('[data-testid^=verdict-group-]');
  expect(await groups.count()).toBe(frame.length);
  // Each group shows its first 25 clients (all of a smaller one); a larger one says how many
  // it has and pages on.
  const counts = [];
  for (const group of await groups.all()) {
    const shown = Math.min(25, Number(await group.getAttribute('data-count')));
    await expect(group.locator('tbody tr')).toHaveCount(shown);
    counts.push(shown);
  }
  const full = groups.nth(counts.indexOf(25));
  await expect(full.getByTestId('group-pager-status')).toHaveText(/^Rows 1–25 of [\d,]+$/);
  await full.getByTestId('group-pager-next').click();
  await expect(full.getByTestId('group-pager-status')).toHaveText(/^Rows 26–50 of [\d,]+$/);
  // The import was analysed in the background worker, which made the portfolio itself from the
  // file (the new portfolio it was imported into sent first); the settings change too, by the
  // worker that holds the portfolio since, to the engine's results.
  await expect(page.locator('main')).toHaveAttribute('data-analysed-by', 'worker');
  await expect(page.locator('[data-testid=robustness][data-ready=true]')).toBeAttached({ timeout: 60_000 });
  const a = await thresholdTo60(page, 'worker');

  // Changed again while the worker analyses the first change: the first is let finish, and the
  // worker, still holding the portfolio, analyses the second.
  await a.fill('55');
  await a.dispatchEvent('change');
  await expect(page.getByTestId('analysis-progress')).toBeAttached();
  await a.fill('65');
  await a.dispatchEvent('change');
  await expect(page.getByTestId('analysis-progress')).not.toBeAttached({ timeout: 30_000 });
  await expect(page.locator('main')).toHaveAttribute('data-analysed-by', 'worker');
  expect(await exportResults(page)).toBe(readFileSync(data('retail-25k-results-a65.csv'), 'utf8'));
});

test('25,000 customers imported again in replace mode: the worker makes the portfolio from the file, to the same results', async ({ page }) => {
  test.setTimeout(120_000);
  await importRetail(page);
  // The import is analysed by the worker, to the engine's results.
  await expect(page.locator('main')).toHaveAttribute('data-analysed-by', 'worker');
  expect(await exportResults(page)).toBe(readFileSync(data('retail-25k-results.csv'), 'utf8'));
  await page.click('[data-page=decisions]');
  await expect(page.locator('[data-testid=robustness][data-ready=true]')).toBeAttached({ timeout: 60_000 });
  // A threshold set where the worker analyses it; a weight changed and set back re-scores on
  // the page, and the worker still holds the clients and records. Then the same file is
  // imported again, replacing the portfolio.
  await thresholdTo60(page, 'worker');
  const weight = page.locator('[data-setting="weights.profitability"]');
  const was = await weight.inputValue();
  for (const value of ['60', was]) {
    await weight.fill(value);
    await weight.press('Tab');
  }
  await expect(page.locator('main')).toHaveAttribute('data-analysed-by', 'page');
  await page.click('[data-page=import]');
  await page.getByTestId('import-file').setInputFiles(data('retail-25k.csv'));
  await page.getByTestId('mode-replace').check({ timeout: 60_000 });
  await page.getByTestId('import-apply').click({ timeout: 60_000 });
  await expect(page.getByTestId('notice-ok')).toContainText('retail-25k.csv');
  // The replaced portfolio is the file's, with A at 60%: made and analysed by the worker that
  // held the one it replaced.
  await expect(page.getByTestId('analysis-progress')).not.toBeAttached({ timeout: 30_000 });
  await expect(page.locator('main')).toHaveAttribute('data-analysed-by', 'worker');
  await expect(page.getByTestId('client-count')).toHaveText('25,000');
  expect(await exportResults(page)).toBe(readFileSync(data('retail-25k-results-a60.csv'), 'utf8'));
});

test('25,000 customers: a file previewed and put away leaves the worker holding the portfolio', async ({ page }) => {
  test.setTimeout(120_000);
  await importRetail(page);
  await page.click('[data-page=decisions]');
  await expect(page.locator('[data-testid=robustness][data-ready=true]')).toBeAttached({ timeout: 60_000 });
  // The preview has the worker make what the file would: put away, the worker takes up the
  // portfolio it was to be imported into again, and analyses the next settings change.
  await page.click('[data-page=import]');
  await page.getByTestId('import-file').setInputFiles(data('retail-25k.csv'));
  await page.getByTestId('import-discard').click({ timeout: 60_000 });
  await expect(page.getByTestId('import-preview')).not.toBeAttached();
  await thresholdTo60(page, 'worker');
});

test('25,000 customers edited by hand: the worker makes each edit again, to the engine\'s results', async ({ page }) => {
  test.setTimeout(120_000);
  const edits = JSON.parse(readFileSync(data('retail-25k-edits.json'), 'utf8'));
  await importRetail(page);
  await page.click('[data-page=decisions]');
  await expect(page.locator('[data-testid=robustness][data-ready=true]')).toBeAttached({ timeout: 60_000 });
  const rows = page.locator('[data-testid=client-table] tr[data-client]');
  const find = async (id) => {
    await page.click('[data-page=portfolio]');
    await page.locator('input[type=search]').fill(id);
    await expect(rows).toHaveCount(1);
    await rows.first().locator('button.link').click();
    await expect(page.getByTestId('client-page')).toHaveAttribute('data-client', id);
  };
  // A record saved: the worker that held the portfolio makes the edit again and analyses it.
  await find(edits.client);
  const records = page.getByTestId('records-editor');
  await records.locator('summary').click();
  await records.locator('[data-field=period]').fill(edits.period);
  for (const [field, value] of [['revenue', '50000'], ['direct_cost', '1000'], ['service_hours', '12'], ['tickets', '3']]) {
    await records.locator(`[data-field=${field}]`).fill(value);
  }
  // Which analysis is shown (it changes with each new one).
  const main = page.locator('main');
  let rev = await main.getAttribute('data-analysis-rev');
  await page.getByTestId('save-record').click();
  await expect(main).not.toHaveAttribute('data-analysis-rev', rev, { timeout: 30_000 });
  await expect(main).toHaveAttribute('data-analysed-by', 'worker');
  // Then another client deleted, made again on what the worker made of the first edit.
  await find(edits.deleted);
  page.once('dialog', (d) => d.accept());
  await page.getByTestId('client-editor').locator('summary').click();
  rev = await main.getAttribute('data-analysis-rev');
  await page.getByTestId('delete-client').click();
  await expect(page.getByTestId('client-count')).toHaveText('24,999');
  await expect(main).not.toHaveAttribute('data-analysis-rev', rev, { timeout: 30_000 });
  await expect(main).toHaveAttribute('data-analysed-by', 'worker');
  expect(await exportResults(page)).toBe(readFileSync(data('retail-25k-results-edited.csv'), 'utf8'));
  // Each save's clients and records were encoded by the worker that made them; what it
  // wrote reads back to the same results.
  await expect(main).toHaveAttribute('data-saved', 'true', { timeout: 30_000 });
  expect(Number(await main.getAttribute('data-encoded-away'))).toBeGreaterThanOrEqual(2);
  await page.reload();
  await expect(page.getByTestId('client-count')).toHaveText('24,999', { timeout: 30_000 });
  expect(await exportResults(page)).toBe(readFileSync(data('retail-25k-results-edited.csv'), 'utf8'));
});

test('25,000 customers where no worker starts: a settings change is analysed on the page, to the same results', async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.route('**/worker.js', (route) => route.abort());
  await importRetail(page);
  await expect(page.locator('main')).toHaveAttribute('data-analysed-by', 'page');
  await thresholdTo60(page, 'page');
  // Saved, the page encoding all of it.
  await expect(page.locator('main')).toHaveAttribute('data-saved', 'true', { timeout: 30_000 });
  await expect(page.locator('main')).toHaveAttribute('data-encoded-away', '0');
  await context.close();
});
