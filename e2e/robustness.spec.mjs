// How sure each verdict is: the flips a 20% error would cause, checked against actually
// changing the rate; the client's ranges; the robustness export.
import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { openSample, exportResults } from './helpers.mjs';

/** The rows of a moved-clients table as "client → verdict", for the verdicts that changed. */
async function verdictChanges(table) {
  return (await table.locator('tr[data-client]').evaluateAll((rows) => rows
    .map((r) => [r.dataset.client, r.querySelector('[data-verdict]')])
    .filter(([, td]) => td.dataset.verdictFrom !== td.dataset.verdict)
    .map(([id, td]) => `${id} → ${td.dataset.verdict}`))).sort();
}

test('the flips for a 20% dearer service hour are what Settings shows after raising it', async ({ page }) => {
  await openSample(page);
  await page.locator('[data-page=decisions]').click();
  const summary = page.locator('[data-testid=robustness][data-ready=true]');
  await expect(summary).toBeVisible();
  const up = page.getByTestId('flips-service_rate-up');
  const n = Number(await up.getAttribute('data-count'));
  expect(n).toBeGreaterThan(0);
  await up.click();
  const flips = await verdictChanges(page.getByTestId('flips-list'));
  expect(flips).toHaveLength(n);
  // A fragile verdict is marked in its group, for every client that flips.
  for (const f of flips) {
    await expect(page.locator(`.verdict-group tr[data-client=${f.split(' ')[0]}] [data-testid=fragile]`)).toHaveCount(1);
  }
  // The tornado has a bar pair per rate, the widest first.
  await expect(page.locator('[data-testid=tornado] .tornado-row')).toHaveCount(6);
  // Its bars are reached from the keyboard and say what they show.
  const bar = page.locator('[data-testid=tornado] .tornado-row[data-rate=service_rate] .bar.up');
  await bar.focus();
  await expect(bar).toBeFocused();
  await expect(bar).toHaveAttribute('aria-label', `service hour: ${n} change if 20% more`);

  await page.locator('[data-page=settings]').click();
  await page.locator('[data-setting=service_rate]').fill('54');
  await page.locator('[data-setting=service_rate]').press('Tab');
  await expect(page.locator('[data-testid=moved-clients] tr.moved').first()).toBeVisible();
  expect(await verdictChanges(page.getByTestId('moved-clients'))).toEqual(flips);

  // Back at 54 an hour, the flips are of the new value.
  await page.locator('[data-page=decisions]').click();
  await expect(page.locator('[data-testid=robustness-rates] tr[data-rate=service_rate]')).toContainText('€54.00');
});

test('the client page shows the range of each rate its verdict holds in', async ({ page }) => {
  await openSample(page);
  await page.locator('[data-page=decisions]').click();
  await page.locator('tr[data-client=C298] button.link').click();
  const ranges = page.locator('[data-testid=client-ranges][data-ready=true]');
  await expect(ranges).toBeVisible();
  // 45 − 25,630.37 / 744 hours: it breaks even below €10.56 an hour (see tests/robustness.rs).
  await expect(ranges.locator('li[data-rate=service_rate]')).toContainText('€10.56 or more');
  await expect(ranges.locator('li[data-rate=service_rate]')).toContainText('you set €45.00');
  await expect(ranges.locator('li')).toHaveCount(6);
  await expect(ranges.locator('li[data-rate=all]')).toContainText('×0.362');
  await expect(page.getByTestId('ranges-probed')).toHaveCount(0);
});

test('a verdict that changes and comes back ends its range where it first changes', async ({ page }) => {
  await openSample(page);
  await page.locator('[data-page=decisions]').click();
  await page.getByRole('searchbox').first().fill('C270');
  await page.locator('tr[data-client=C270] button.link').first().click();
  const ranges = page.locator('[data-testid=client-ranges][data-ready=true]');
  // C270 is CX from €107.55 to €109.45 an hour and BX again above (see tests/robustness.rs).
  await expect(ranges.locator('li[data-rate=service_rate]')).toContainText('€107.54');
});

test('the robustness export downloads a row per client; the results export is unchanged', async ({ page }) => {
  await openSample(page);
  const before = await exportResults(page);
  await page.locator('[data-page=decisions]').click();
  await expect(page.locator('[data-testid=robustness][data-ready=true]')).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-robustness').click()]);
  expect(download.suggestedFilename()).toBe('robustness.csv');
  const csv = readFileSync(await download.path(), 'utf8');
  const lines = csv.trimEnd().split('\n');
  expect(lines[0]).toBe('client,verdict,fragile,flips_to,service_rate_low,service_rate_high,sales_rate_low,sales_rate_high,'
    + 'ticket_cost_low,ticket_cost_high,commission_low,commission_high,capital_rate_low,capital_rate_high,all_low,all_high');
  // Same clients, same order as results.csv.
  const ids = (text) => text.trimEnd().split('\n').slice(1).map((l) => l.split(',')[0]);
  expect(ids(csv)).toEqual(ids(before));
  expect(lines.find((l) => l.startsWith('C298,'))).toMatch(/^C298,Reprice or exit,(true|false),[^,]*,10\.56,,/);
  const fragile = lines.filter((l) => /,true,/.test(l)).length;
  expect(fragile).toBe(await page.locator('.verdict-group [data-testid=fragile]').count());
  await expect(page.getByTestId('fragile-count')).toContainText(`${fragile} verdicts would change`);
  expect(await exportResults(page)).toBe(before);
});

/** The robustness export of the portfolio open on `page`, once worked out. */
async function robustnessCsv(page) {
  await page.locator('[data-page=decisions]').click();
  await expect(page.locator('[data-testid=robustness][data-ready=true]')).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-robustness').click()]);
  return readFileSync(await download.path(), 'utf8');
}

test('the robustness is worked out in a background worker, and on the page where none starts, to the same export', async ({ page, context }) => {
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  const workers = [];
  page.on('worker', (w) => workers.push(w.url()));
  await page.goto('./');
  await expect(page.getByTestId('client-count')).toHaveText('78');
  const inWorker = await robustnessCsv(page);
  expect(workers.some((u) => u.endsWith('/worker.js'))).toBe(true);
  expect(warnings.filter((w) => w.includes('no background worker'))).toEqual([]);

  // A browser that refuses the worker: the page works it out itself.
  const other = await context.browser().newContext({ serviceWorkers: 'block' });
  const refused = await other.newPage();
  await refused.route('**/worker.js', (route) => route.abort());
  const refusedWarnings = [];
  refused.on('console', (m) => { if (m.type() === 'warning') refusedWarnings.push(m.text()); });
  await refused.goto(page.url());
  await expect(refused.getByTestId('client-count')).toHaveText('78');
  expect(await robustnessCsv(refused)).toBe(inWorker);
  expect(refusedWarnings.some((w) => w.includes('no background worker'))).toBe(true);

  // A rate changed: the kept worker is sent the settings alone, and analyses again.
  for (const p of [page, refused]) {
    await p.locator('[data-page=settings]').click();
    await p.locator('[data-setting=service_rate]').fill('38');
    await p.locator('[data-setting=service_rate]').press('Tab');
    await expect(p.locator('[data-testid=moved-clients]')).toBeVisible();
  }
  const changed = await robustnessCsv(page);
  expect(changed).not.toBe(inWorker);
  expect(changed).toBe(await robustnessCsv(refused));
  expect(warnings.filter((w) => w.includes('no background worker'))).toEqual([]);
  // One worker all along: kept between requests.
  expect(workers.filter((u) => u.endsWith('/worker.js'))).toHaveLength(1);
  await other.close();

  // The single file starts none.
  const single = await context.newPage();
  const singleWorkers = [];
  single.on('worker', (w) => singleWorkers.push(w.url()));
  await single.goto(`file://${new URL('../dist/cartera.html', import.meta.url).pathname}`);
  await expect(single.getByTestId('client-count')).toHaveText('78');
  expect(await robustnessCsv(single)).toBe(inWorker);
  expect(singleWorkers).toEqual([]);
});

test('every range of 1,200 clients, split between workers, is the engine\'s export', async ({ page }) => {
  test.setTimeout(120_000);
  const data = (name) => new URL(`../target/e2e-data/${name}`, import.meta.url).pathname;
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  await page.goto('./');
  await page.getByTestId('new-portfolio').click();
  for (const name of ['split-records.csv', 'split-clients.csv', 'split-settings.json']) {
    await page.getByTestId('import-file').setInputFiles(data(name));
    await page.getByTestId('import-apply').click();
    await expect(page.getByTestId('notice-ok')).toContainText(name);
  }
  await expect(page.getByTestId('client-count')).toHaveText('1,200');
  const expected = readFileSync(data('split-robustness.csv'), 'utf8');
  // The first export goes to the worker that holds the portfolio (it worked out the flips),
  // while the others read it.
  expect(await robustnessCsv(page)).toBe(expected);
  // As many workers as the machine has cores, up to four.
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  expect(page.workers().filter((w) => w.url().endsWith('/worker.js'))).toHaveLength(Math.min(4, Math.max(1, cores)));
  // Then every worker holds it: a rate moved and set back, every range is split between them.
  await page.locator('[data-page=settings]').click();
  const rate = page.locator('[data-setting=service_rate]');
  const value = await rate.inputValue();
  for (const v of [String(Number(value) + 1), value]) {
    await rate.fill(v);
    await rate.dispatchEvent('change');
  }
  expect(await robustnessCsv(page)).toBe(expected);
  expect(warnings.filter((w) => w.includes('no background worker'))).toEqual([]);
});
