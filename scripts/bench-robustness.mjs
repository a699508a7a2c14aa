// In-browser robustness benchmark (not a test: it asserts nothing about time). Imports the
// generated 10,000-client portfolio written by `cargo bench` (records, clients, settings) into
// the built dist/, then reports how long the ±20% flips of every verdict, one client's ranges
// and the whole robustness export take, with the longest main-thread task of each.
// Usage: node scripts/bench-robustness.mjs [25k] (the generated 25,000 clients, written by
// `cargo bench --bench analyze -- robustness-25k`).
import { existsSync } from 'node:fs';
import { start, observeLongTasks, timers } from './bench-browser.mjs';

const size = process.argv[2] || '10k';
const files = ['records.csv', 'clients.csv', 'settings.json'].map((f) => `target/bench/generated-${size}-${f}`);
for (const f of files) if (!existsSync(f)) throw new Error(`${f} is missing: run cargo bench --bench analyze first`);
const port = 8494;
const { browser, close } = await start(port);
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await observeLongTasks(page);
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.getByTestId('new-portfolio').click();
  for (const f of files) {
    await page.getByTestId('import-file').setInputFiles(f);
    await page.getByTestId('import-apply').click({ timeout: 600_000 });
    await page.getByTestId('notice-ok').filter({ hasText: f.split('/').pop() }).waitFor({ timeout: 600_000 });
  }
  const { mark, painted, longest } = timers(page);
  const rows = [];
  await page.click('[data-page=import]');
  await page.waitForTimeout(3000);
  let t0 = await mark();
  await page.click('[data-page=decisions]');
  await page.locator('[data-testid=robustness][data-ready=true]').waitFor({ timeout: 600_000 });
  let t1 = await painted();
  // The flips were being worked out since the settings were imported; visiting Decisions
  // after a pause shows them at once. Measured from a fresh analysis: a rate change.
  rows.push({ step: 'Decisions, flips already worked out', ms: Math.round(t1 - t0), longest: Math.round(await longest(t0)) });
  await page.click('[data-page=settings]');
  const rate = page.locator('[data-setting=service_rate]');
  await rate.fill('46');
  t0 = await mark();
  await rate.dispatchEvent('change');
  await page.click('[data-page=decisions]');
  await page.locator('[data-testid=robustness][data-ready=true]').waitFor({ timeout: 600_000 });
  t1 = await painted();
  rows.push({ step: 'rate change → analysed, ±20% flips of every verdict shown', ms: Math.round(t1 - t0), longest: Math.round(await longest(t0)) });
  t0 = await mark();
  await page.locator('.verdict-group tr[data-client] button.link').first().click();
  await page.locator('[data-testid=client-ranges][data-ready=true]').waitFor({ timeout: 600_000 });
  t1 = await painted();
  rows.push({ step: 'client page → ranges of its verdict shown', ms: Math.round(t1 - t0), longest: Math.round(await longest(t0)) });
  if (!process.env.SKIP_EXPORT) {
    await page.click('[data-page=decisions]');
    await page.locator('[data-testid=robustness][data-ready=true]').waitFor({ timeout: 600_000 });
    t0 = await mark();
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 900_000 }), page.getByTestId('export-robustness').click()]);
    t1 = await mark();
    rows.push({ step: `robustness.csv, every range (${download.suggestedFilename()})`, ms: Math.round(t1 - t0), longest: Math.round(await longest(t0)) });
    // Again after a rate change, the workers holding the portfolio since the first export
    // (each analyses it again with the new rate).
    await page.click('[data-page=settings]');
    await page.locator('[data-setting=service_rate]').fill('47');
    await page.locator('[data-setting=service_rate]').dispatchEvent('change');
    await page.click('[data-page=decisions]');
    await page.locator('[data-testid=robustness][data-ready=true]').waitFor({ timeout: 600_000 });
    t0 = await mark();
    await Promise.all([page.waitForEvent('download', { timeout: 900_000 }), page.getByTestId('export-robustness').click()]);
    t1 = await mark();
    rows.push({ step: 'robustness.csv after a rate change, the workers holding the portfolio', ms: Math.round(t1 - t0), longest: Math.round(await longest(t0)) });
    if (process.env.LONG) console.log(await page.evaluate((t) => window.__longtasks.filter((e) => e.start >= t && e.duration > 100).map((e) => `${Math.round(e.start - t)}+${Math.round(e.duration)}`).join(' '), t0), 'end', Math.round(t1 - t0));
  }
  console.log(`\nRobustness with the generated ${size.replace('k', ',000')} clients × 36 months`);
  console.log('| step | time (ms) | longest main-thread task (ms) |');
  console.log('| --- | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.step} | ${r.ms} | ${r.longest} |`);
} finally {
  await close();
}
