// The foundation flows: demo on first start, import → matrix → export → reload, refusal.
import { test, expect } from '@playwright/test';
import { open, importFile, exportResults, matrixCounts, expectedResults, countBy, read, fixture } from './helpers.mjs';

test('the demo portfolio shows on a first visit', async ({ page }) => {
  const errors = await open(page);
  await expect(page.getByTestId('client-count')).toHaveText('78');
  await expect(page.getByTestId('matrix-cell-AX')).toContainText('12');
  await expect(page.getByTestId('client-table').locator('tbody tr')).toHaveCount(78);
  expect(errors).toEqual([]);
});

test('new portfolio, import the sample, matrix and export match the reference, reload keeps it', async ({ page }) => {
  await open(page);
  await page.getByTestId('new-portfolio').click();
  await expect(page.getByText('This portfolio is empty.')).toBeVisible();
  await importFile(page, 'sample-records.csv');
  await importFile(page, 'sample-clients.csv');
  await importFile(page, 'sample-settings.json');

  const expected = expectedResults();
  const cells = countBy(expected, 'cell');
  const want = Object.fromEntries(['AX', 'AY', 'AZ', 'BX', 'BY', 'BZ', 'CX', 'CY', 'CZ'].map((c) => [c, cells[c] || 0]));
  expect(await matrixCounts(page)).toEqual(want);

  const csv = await exportResults(page);
  expect(csv).toBe(read('sample-expected.csv'));

  await page.reload();
  await expect(page.getByTestId('client-count')).toHaveText('78');
  expect(await matrixCounts(page)).toEqual(want);
  await expect(page.getByTestId('portfolio-select')).toContainText('New portfolio');
  expect(await exportResults(page)).toBe(read('sample-expected.csv'));
  // Both portfolios are kept: the demo and the new one.
  await expect(page.getByTestId('portfolio-select').locator('option')).toHaveCount(2);
});

test('a malformed file is refused with row and column, and nothing changes', async ({ page }) => {
  await open(page);
  const before = await exportResults(page);
  const bad = [
    'client,period,revenue,service_hours,tickets',
    'C105,2025-01,1000,5,1',
    'C106,2025-13,12x,5,1',
    'C107,2025-02,500,-3,1.5',
    'C105,2025-01,900,1,1',
  ].join('\n');
  await page.getByTestId('import-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  const problems = page.getByTestId('import-problems');
  await expect(problems).toBeVisible();
  await expect(page.getByTestId('import-apply')).toHaveCount(0);
  const rows = await problems.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [tr.children[0].textContent.trim(), tr.children[1].textContent.trim()]));
  expect(rows).toEqual([
    ['3', 'period'],
    ['3', 'revenue'],
    ['4', 'service_hours'],
    ['4', 'tickets'],
    ['5', 'period'],
  ]);
  await expect(problems).toContainText('“12x” is not valid');
  await expect(problems).toContainText('row 2');
  await expect(page.getByTestId('notice-error')).toContainText('Nothing was changed');
  expect(await exportResults(page)).toBe(before);
  await page.reload();
  expect(await exportResults(page)).toBe(before);
});

test('a file in a foreign format is refused whole', async ({ page }) => {
  await open(page);
  await page.getByTestId('import-file').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]) });
  await expect(page.getByTestId('import-problems')).toContainText('not a text');
  await page.locator('[data-page=portfolio]').click();
  await expect(page.getByTestId('client-count')).toHaveText('78');
});

test('an import can be undone, with the button or Ctrl+Z', async ({ page }) => {
  await open(page);
  await page.getByTestId('new-portfolio').click();
  await importFile(page, 'sample-records.csv');
  await expect(page.getByTestId('client-count')).toHaveText('78');
  await importFile(page, 'sample-settings.json');
  const withSettings = await exportResults(page);
  await page.keyboard.press('Control+z');
  expect(await exportResults(page)).not.toBe(withSettings);
  await page.getByTestId('undo').click();
  await expect(page.getByText('This portfolio is empty.')).toBeVisible();
  await expect(page.getByTestId('undo')).toBeDisabled();
});

test('portfolios can be switched, renamed and deleted', async ({ page }) => {
  await open(page);
  await page.getByTestId('new-portfolio').click();
  page.once('dialog', (d) => d.accept('Q3 clients'));
  await page.getByTestId('rename-portfolio').click();
  await expect(page.getByRole('heading', { name: 'Q3 clients' })).toBeVisible();
  const select = page.getByTestId('portfolio-select');
  await expect(select.locator('option')).toHaveText([/Demo/, 'Q3 clients']);
  await select.selectOption({ label: 'Demo — Nubeclara IT Services S.L.' });
  await expect(page.getByTestId('client-count')).toHaveText('78');
  await select.selectOption({ label: 'Q3 clients' });
  page.once('dialog', (d) => d.accept());
  await page.getByTestId('delete-portfolio').click();
  await expect(select.locator('option')).toHaveCount(1);
  await expect(page.getByTestId('client-count')).toHaveText('78');
  await page.reload();
  await expect(select.locator('option')).toHaveCount(1);
});

test('when storage is full the user is told and offered a backup; nothing is lost on screen', async ({ page }) => {
  // Where the browser offers no IndexedDB (a restricted frame), the data goes to localStorage,
  // whose few megabytes can run out.
  await page.addInitScript(() => Object.defineProperty(window, 'indexedDB', { get: () => undefined }));
  await open(page);
  await expect(page.getByTestId('notice-warn')).toContainText('smaller local storage');
  await page.getByTestId('new-portfolio').click();
  // Fill the origin's storage with something else, leaving too little room for the import.
  await page.evaluate(() => {
    let i = 0;
    for (const size of [500_000, 50_000, 5_000]) {
      const chunk = 'x'.repeat(size);
      for (;;) {
        try { localStorage.setItem(`other-app-${i++}`, chunk); } catch { break; }
      }
    }
  });
  await page.getByTestId('import-file').setInputFiles(fixture('sample-records.csv'));
  await page.getByTestId('import-apply').click();
  const notice = page.getByTestId('notice-error');
  await expect(notice).toContainText('storage is full');
  await expect(page.getByTestId('client-count')).toHaveText('78');
  const [download] = await Promise.all([page.waitForEvent('download'), notice.getByRole('button', { name: 'Download backup' }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.cartera\.json$/);
  // The empty portfolio stored before is what a reload finds: the previous version, whole.
  await page.reload();
  await expect(page.getByTestId('new-portfolio')).toBeVisible();
  await expect(page.getByTestId('client-table')).toHaveCount(0);
  await expect(page.locator('h1')).toContainText('New portfolio');
});
