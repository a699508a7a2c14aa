// Getting data in and out the way a spreadsheet user works.
import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { open, importFile, exportResults, read, fixture } from './helpers.mjs';

test('a paste without a header goes through the column mapping', async ({ page }) => {
  await open(page);
  await page.getByTestId('new-portfolio').click();
  await page.locator('[data-page=import]').click();
  await page.getByTestId('import-paste').fill('C1\t2025-01\t1.000,50\t12\nC2\t2025-01\t250\t3\n');
  await page.getByTestId('import-paste-check').click();
  await expect(page.getByTestId('import-mapping')).toBeVisible();
  await expect(page.getByTestId('mapping-header')).not.toBeChecked();
  await page.getByTestId('mapping-col-0').selectOption('client');
  await page.getByTestId('mapping-col-1').selectOption('period');
  await page.getByTestId('mapping-col-2').selectOption('revenue');
  await page.getByTestId('mapping-col-3').selectOption('service_hours');
  await page.getByTestId('mapping-check').click();
  await expect(page.getByTestId('import-preview')).toContainText('2 new clients');
  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('client-count')).toHaveText('2');
  await expect(page.getByTestId('client-table')).toContainText('€1,000.50');
});

test('Spanish and Russian headers are understood without mapping; ambiguous numbers are explained', async ({ page }) => {
  await open(page);
  await page.getByTestId('new-portfolio').click();
  await page.locator('[data-page=import]').click();
  await page.getByTestId('import-paste').fill('Cliente;Periodo;Ingresos\nC1;ene-25;1.234\nC1;feb-25;1.500,75\n');
  await page.getByTestId('import-paste-check').click();
  await expect(page.getByTestId('import-note')).toContainText('“1.234”');
  await page.getByTestId('import-apply').click();
  // 1.234 in a dot-locale portfolio is one point two three four: 1.234 + 1,500.75.
  await expect(page.getByTestId('client-table')).toContainText('€1,501.98');
  await page.locator('[data-page=import]').click();
  await page.getByTestId('import-paste').fill('клиент\tянв.25\tфев.25\nC9\t100\t200\n');
  await page.getByTestId('import-paste-check').click();
  await expect(page.getByTestId('import-preview')).toContainText('revenue by period');
});

test('a million transactions import in slices with progress, and cancelling changes nothing', async ({ page }) => {
  test.setTimeout(180_000);
  await open(page);
  await page.getByTestId('new-portfolio').click();
  const lines = ['client,date,amount,cost'];
  for (let i = 0; i < 1_000_000; i++) {
    lines.push(`C${i % 2000},2025-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')},${(i % 997) + 0.25},${i % 50}`);
  }
  const buffer = Buffer.from(lines.join('\n'));
  // Cancel part-way: nothing is applied.
  await page.getByTestId('import-file').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer });
  await expect(page.getByTestId('import-progress').locator('progress')).toBeVisible();
  // The page answers while the file is checked.
  const answered = await page.evaluate(() => new Promise((r) => setTimeout(() => r(true), 50)));
  expect(answered).toBe(true);
  await page.getByTestId('import-cancel').click();
  await expect(page.getByTestId('import-progress')).toHaveCount(0);
  await page.locator('[data-page=portfolio]').click();
  await expect(page.getByText('This portfolio is empty.')).toBeVisible();
  // Then the whole file.
  await page.getByTestId('import-file').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer });
  await expect(page.getByTestId('import-preview')).toContainText('1,000,000 rows read', { timeout: 150_000 });
  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('client-count')).toHaveText('2,000', { timeout: 60_000 });
});

test('importing can replace the portfolio, and undo and redo work both ways', async ({ page }) => {
  await open(page);
  await expect(page.getByTestId('client-count')).toHaveText('78');
  // Adding: a row for a known client and period replaces that record, and the preview says so.
  await page.getByTestId('import-file').setInputFiles({ name: 'fix.csv', mimeType: 'text/csv', buffer: Buffer.from('client,period,revenue\nC105,2024-01,1\nC105,2031-01,2\n') });
  await expect(page.getByTestId('import-preview')).toContainText('1 replaced');
  await expect(page.getByTestId('import-preview')).toContainText('1 new period record,');
  await page.getByTestId('import-discard').click();
  await page.getByTestId('import-file').setInputFiles({ name: 'two.csv', mimeType: 'text/csv', buffer: Buffer.from('client,period,revenue\nX1,2025-01,10\nX2,2025-01,20\n') });
  await expect(page.getByTestId('mode-add')).toBeChecked();
  await page.getByTestId('mode-replace').check();
  await expect(page.getByTestId('preview-summary')).toContainText('removed: 78 clients and 1,622 period records');
  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('client-count')).toHaveText('2');
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('client-count')).toHaveText('78');
  await page.keyboard.press('Control+Shift+z');
  await expect(page.getByTestId('client-count')).toHaveText('2');
  await page.getByTestId('undo').click();
  await page.getByTestId('redo').click();
  await expect(page.getByTestId('client-count')).toHaveText('2');
});

test('a file over the size limit is refused before it is read', async ({ page }) => {
  await open(page);
  const big = test.info().outputPath('huge.csv');
  // A sparse 200 MB file: only its size is ever looked at.
  const { openSync, ftruncateSync, closeSync, writeSync } = await import('node:fs');
  const fd = openSync(big, 'w');
  writeSync(fd, 'client,period,revenue\n');
  ftruncateSync(fd, 200 * 1024 * 1024);
  closeSync(fd);
  await page.getByTestId('import-file').setInputFiles(big);
  await expect(page.getByTestId('import-problems')).toContainText('200 MB');
  await page.locator('[data-page=portfolio]').click();
  await expect(page.getByTestId('client-count')).toHaveText('78');
});

test('a client and its records are edited by hand, with undo and redo', async ({ page }) => {
  await open(page);
  await page.locator('[data-page=decisions]').click();
  await page.locator('tr[data-client=C137] button.link').click();
  const editor = page.getByTestId('client-editor');
  await editor.locator('summary').click();
  await editor.locator('[data-field=icp_fit]').fill('7');
  await page.getByTestId('save-client').click();
  await expect(page.getByTestId('edit-problems')).toContainText('icp_fit');
  await editor.locator('[data-field=icp_fit]').fill('5');
  await editor.locator('[data-field=potential]').fill('high');
  await expect(page.getByTestId('client-rule')).toHaveText('rule 6');
  await page.getByTestId('save-client').click();
  // Potential "high": no longer the long tail of rule 6; its upsell is out of reach (rule 9).
  await expect(page.getByTestId('client-rule')).toHaveText('rule 9');
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('client-rule')).toHaveText('rule 6');
  await page.getByTestId('redo').click();
  await expect(page.getByTestId('client-rule')).toHaveText('rule 9');

  const records = page.getByTestId('records-editor');
  await records.locator('summary').click();
  await records.locator('[data-field=period]').fill('2025-12');
  await records.locator('[data-field=revenue]').fill('99999');
  await page.getByTestId('save-record').click();
  await expect(records.locator('tr[data-period="2025-12"]')).toContainText('99,999.00');
  await records.locator('tr[data-period="2025-12"]').getByTestId('delete-record').click();
  await expect(records.locator('tr[data-period="2025-12"]')).toHaveCount(0);

  await page.locator('[data-page=portfolio]').click();
  await page.getByTestId('add-client').locator('[data-field=new-id]').fill('N1');
  await page.getByTestId('add-client').locator('[data-field=new-name]').fill('Nuevo Cliente S.L.');
  await page.getByTestId('add-client').locator('button').click();
  await expect(page.getByTestId('client-page')).toHaveAttribute('data-client', 'N1');
  page.once('dialog', (d) => d.accept());
  await page.getByTestId('client-editor').locator('summary').click();
  await page.getByTestId('delete-client').click();
  await expect(page.getByTestId('client-count')).toHaveText('78');
});

test('every portfolio is backed up to one file and restored, replacing or beside', async ({ page }) => {
  await open(page);
  await page.getByTestId('new-portfolio').click();
  await importFile(page, 'sample-records.csv');
  await page.locator('[data-page=import]').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('backup-all').click()]);
  const backup = readFileSync(await download.path(), 'utf8');
  expect(JSON.parse(backup).portfolios).toHaveLength(2);
  // A backup given to the ordinary import is pointed to the restore.
  await page.getByTestId('import-file').setInputFiles({ name: 'cartera-backup.json', mimeType: 'application/json', buffer: Buffer.from(backup) });
  await expect(page.getByTestId('import-problems')).toContainText('Restore a backup');
  // Refused: not a backup.
  await page.getByTestId('restore-file').setInputFiles({ name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('{"a":1}') });
  await expect(page.getByTestId('restore-refused')).toContainText('not a Cartera backup');
  // Refused: written by a newer Cartera, or with a damaged portfolio inside.
  const parsed = JSON.parse(backup);
  const newer = { ...parsed, version: parsed.version + 1 };
  await page.getByTestId('restore-file').setInputFiles({ name: 'new.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(newer)) });
  await expect(page.getByTestId('restore-refused')).toContainText('newer version');
  await page.getByTestId('restore-file').setInputFiles({ name: 'none.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...parsed, portfolios: [] })) });
  await expect(page.getByTestId('restore-refused')).toContainText('holds no portfolio');
  const damaged = structuredClone(parsed);
  damaged.portfolios[1].records = 'client,period,revenue\nX,2025-13,1\n';
  await page.getByTestId('restore-file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(damaged)) });
  await expect(page.getByTestId('restore-refused')).toContainText('period records (Row 2');
  await expect(page.getByTestId('restore-preview')).toHaveCount(0);
  // Added beside: four portfolios.
  await page.getByTestId('restore-file').setInputFiles({ name: 'b.json', mimeType: 'application/json', buffer: Buffer.from(backup) });
  await page.getByTestId('restore-add').click();
  await expect(page.getByTestId('portfolio-select').locator('option')).toHaveCount(4);
  // Replacing: two again, and they survive a reload.
  await page.locator('[data-page=import]').click();
  await page.getByTestId('restore-file').setInputFiles({ name: 'b.json', mimeType: 'application/json', buffer: Buffer.from(backup) });
  await page.getByTestId('restore-replace').click();
  await expect(page.getByTestId('portfolio-select').locator('option')).toHaveCount(2);
  await page.reload();
  await expect(page.getByTestId('portfolio-select').locator('option')).toHaveCount(2);
  await expect(page.getByTestId('client-count')).toHaveText('78');
});

test('every problem of a refused file is listed, paged, with its row and column', async ({ page }) => {
  await open(page);
  const lines = ['client,period,revenue'];
  for (let i = 1; i <= 150; i++) lines.push(`B${i},2025-01,not a number ${i}`);
  await page.getByTestId('import-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
  const problems = page.getByTestId('import-problems');
  await expect(problems.locator('tbody tr')).toHaveCount(100);
  await expect(problems).toHaveAttribute('aria-rowcount', '151');
  await expect(page.getByTestId('problems-pager-status')).toHaveText('Rows 1–100 of 150');
  await page.getByTestId('problems-pager-last').click();
  await expect(problems.locator('tbody tr')).toHaveCount(50);
  // Row 151 of the file (its header is row 1) holds the 150th bad value.
  await expect(problems.locator('tbody tr').last().locator('[data-row]')).toHaveAttribute('data-row', '151');
  await expect(problems.locator('tbody tr').last().locator('[data-column]')).toHaveAttribute('data-column', 'revenue');
  // Nothing was applied.
  await page.click('[data-page=portfolio]');
  await expect(page.getByTestId('client-count')).toHaveText('78');
});

test('replace mode is worked out when chosen, and withdrawn when it would be refused', async ({ page }) => {
  await open(page);
  // A clients list naming one client, referred by a client the list leaves out: adding keeps
  // the referrer, replacing would remove it (an unknown referrer is refused).
  const file = 'client,name,referred_by\nC105,Rybny Dvor,C110\n';
  await page.getByTestId('import-file').setInputFiles({ name: 'one.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
  await expect(page.getByTestId('mode-add')).toBeChecked();
  await expect(page.getByTestId('mode-replace')).toBeEnabled();
  await page.getByTestId('mode-replace').click();
  await expect(page.getByTestId('mode-replace')).toBeDisabled();
  await expect(page.getByTestId('mode-add')).toBeChecked();
  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('notice-ok')).toContainText('one.csv');
  await expect(page.getByTestId('client-count')).toHaveText('78');
});
