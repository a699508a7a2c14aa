// Shared steps of the end-to-end tests.
import { readFileSync } from 'node:fs';
import { expect } from '@playwright/test';

export const fixture = (name) => new URL(`../tests/fixtures/${name}`, import.meta.url).pathname;
export const read = (name) => readFileSync(fixture(name), 'utf8');

/** Parses a CSV text (RFC 4180 quoting) into rows of cells. */
export function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; }
    else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

/** The reference results as objects keyed by header. */
export function expectedResults() {
  const [header, ...rows] = parseCsv(read('sample-expected.csv'));
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

/** Counts of a column's values in the reference results. */
export function countBy(rows, key) {
  const out = {};
  for (const r of rows) out[r[key]] = (out[r[key]] || 0) + 1;
  return out;
}

/** Opens the app on a fresh profile and waits for it to render. */
export async function open(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('./');
  await expect(page.getByTestId('new-portfolio')).toBeVisible();
  return errors;
}

/** Chooses a file in the import picker and confirms the preview. */
export async function importFile(page, name) {
  await page.getByTestId('import-file').setInputFiles(fixture(name));
  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('notice-ok')).toContainText(name);
}

/** A new portfolio with the sample's records, clients and settings imported, as a user would. */
export async function importSample(page) {
  await page.getByTestId('new-portfolio').click();
  for (const name of ['sample-records.csv', 'sample-clients.csv', 'sample-settings.json']) await importFile(page, name);
}

/** The app opened at the root, the sample imported into a new portfolio; the page errors seen. */
export async function openSample(page) {
  const errors = await open(page);
  await importSample(page);
  return errors;
}

/** Downloads the results export and returns its text. */
export async function exportResults(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-results').click()]);
  expect(download.suggestedFilename()).toBe('results.csv');
  return readFileSync(await download.path(), 'utf8');
}

/** The client count shown in each matrix cell. */
export async function matrixCounts(page) {
  const out = {};
  for (const abc of 'ABC') for (const xyz of 'XYZ') {
    const text = await page.getByTestId(`matrix-cell-${abc}${xyz}`).innerText();
    out[abc + xyz] = Number(text.match(/(\d+)/g)[0]);
  }
  return out;
}
