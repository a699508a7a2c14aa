// Charts render with the right number of marks for the sample, show values on focus, have a
// data table; the report prints to PDF with numbered, non-empty pages.
import { execFileSync } from 'node:child_process';
import { test, expect } from '@playwright/test';
import { open, expectedResults } from './helpers.mjs';

test('every chart has one mark per data point of the sample', async ({ page }) => {
  await open(page);
  const rows = expectedResults();
  const positive = rows.filter((r) => Number(r.profit) > 0).length;
  await expect(page.locator('[data-testid=client-table] svg.spark')).toHaveCount(78);

  await page.locator('[data-page=health]').click();
  await expect(page.locator('[data-testid=whale-curve] circle.mark')).toHaveCount(78);
  await expect(page.locator('[data-testid=whale-curve] .peak-label')).toContainText(/top \d+% of clients earn 1\d\d% of profit/);
  await expect(page.locator('[data-testid=pareto-curve] rect.mark')).toHaveCount(positive);
  await expect(page.locator('[data-testid=pareto-curve] line.cutoff')).toHaveCount(2);
  await expect(page.locator('[data-testid=concentration-bars] .bar-row')).toHaveCount(10);
  await expect(page.locator('[data-testid=concentration-bars] .bar-row.over')).toHaveCount(1);
  await expect(page.locator('[data-testid=profit-scatter] circle.mark')).toHaveCount(78);
  const exits = rows.filter((r) => ['Let go gradually', 'Reprice or exit', 'Rest'].includes(r.verdict)).length;
  await expect(page.locator('[data-testid=profit-scatter] circle.g-exit')).toHaveCount(exits);

  // Values on keyboard focus, and the data as a table.
  const first = page.locator('[data-testid=whale-curve] circle.mark').first();
  await first.focus();
  await expect(page.locator('[data-testid=whale-curve] .readout')).toContainText('Grupo Logístico Cantábrico');
  await page.locator('[data-testid=whale-curve] summary').click();
  await expect(page.locator('[data-testid=whale-curve] details tbody tr')).toHaveCount(78);

  await page.locator('[data-page=matrix]').click();
  const cells = page.locator('[data-testid=heat-map] td.cell');
  await expect(cells).toHaveCount(9);
  await expect(page.locator('[data-testid=heat-map] td.heat-p3')).toHaveCount(1);
  await expect(page.locator('[data-testid=heat-map] td.cell-CX')).toHaveClass(/heat-n/);
  await expect(page.locator('[data-testid=previous-matrix] td.cell')).toHaveCount(9);

  await page.locator('[data-page=decisions]').click();
  await page.locator('tr[data-client=C287] button.link').click();
  await expect(page.locator('[data-testid=period-chart] circle.mark')).toHaveCount(48);
  await expect(page.locator('[data-testid=period-chart] rect.previous-window')).toHaveCount(1);
});

test('charts fit a phone screen', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await open(page);
  await page.locator('[data-page=health]').click();
  await expect(page.locator('[data-testid=whale-curve] svg')).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('the report prints to numbered pages, none empty, in the right order', async ({ page }) => {
  await open(page);
  await page.locator('[data-page=decisions]').click();
  await page.locator('tr[data-client=C137] button.link').click();
  await page.getByTestId('start-plan').click();
  await page.locator('[data-page=report]').click();
  await expect(page.getByTestId('report')).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  const pdf = test.info().outputPath('report.pdf');
  await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  const pages = Number(info.match(/Pages:\s+(\d+)/)[1]);
  expect(pages).toBeGreaterThanOrEqual(4);
  let all = '';
  for (let k = 1; k <= pages; k++) {
    const text = execFileSync('pdftotext', ['-f', String(k), '-l', String(k), '-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text.replace(/\s+/g, ' ').trim().length, `page ${k} has content`).toBeGreaterThan(40);
    expect(text, `page ${k} is numbered`).toMatch(new RegExp(`(^|\\s)${k}\\s*/\\s*${pages}(\\s|$)`));
    all += text;
  }
  const order = ['Portfolio report', 'Settings that matter', 'Health', 'Whale curve', 'ABC–XYZ matrix', 'Decisions', 'Exit plans'];
  const positions = order.map((t) => all.indexOf(t));
  expect(positions.every((p) => p >= 0), `${order} all present: ${positions}`).toBe(true);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
});
