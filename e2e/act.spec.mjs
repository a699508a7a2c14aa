// Acting on it: an exit plan with its calendar, the default what-if, a prospect.
import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { openSample, expectedResults } from './helpers.mjs';

const cents = (s) => Math.round(Number(s) * 100);

test('an exit plan for a long-tail client: dates, a ticked step, the calendar, the status', async ({ page }) => {
  await openSample(page);
  await page.locator('[data-page=decisions]').click();
  await page.locator('tr[data-client=C137] button.link').click();
  await expect(page.getByTestId('client-verdict')).toContainText('Let go gradually');
  await page.getByTestId('start-plan-form').locator('input[type=date]').fill('2026-01-15');
  await page.getByTestId('start-plan-form').locator('input[type=number]').fill('3');
  await page.getByTestId('start-plan').click();
  const steps = page.getByTestId('plan-steps').locator('tbody tr');
  await expect(steps).toHaveCount(8);
  await expect(steps.nth(3).locator('input[type=date]')).toHaveValue('2026-04-29');
  await expect(steps.nth(7).locator('input[type=date]')).toHaveValue('2028-04-29');
  await expect(page.getByTestId('plan-message')).toContainText('Pennine Outdoor Gear');
  await steps.nth(0).locator('input[type=checkbox]').check();
  await expect(steps.nth(0)).toHaveClass(/done/);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-ics').click()]);
  expect(download.suggestedFilename()).toBe('exit-plan-C137.ics');
  const ics = readFileSync(await download.path(), 'utf8');
  expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
  expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
  expect(ics.replace(/\r\n/g, '')).not.toMatch(/\n/);
  for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  const unfolded = ics.replace(/\r\n /g, '');
  expect(unfolded.match(/^BEGIN:VEVENT$/gm)).toHaveLength(8);
  expect(unfolded.match(/^UID:/gm)).toHaveLength(8);
  expect(unfolded.match(/^DTSTAMP:\d{8}T\d{6}Z$/gm)).toHaveLength(8);
  expect(unfolded).toContain('DTSTART;VALUE=DATE:20260115');
  expect(unfolded).toContain('DTSTART;VALUE=DATE:20280429');
  expect(unfolded).toContain('SUMMARY:Pennine Outdoor Gear: Talk honestly');

  // Closing the relationship makes the client former: Dormant.
  await steps.nth(3).locator('input[type=checkbox]').check();
  await page.locator('[data-page=decisions]').click();
  await expect(page.locator('[data-testid=verdict-group-dormant] tr[data-client=C137]')).toBeVisible();
  // The plan is kept with the portfolio.
  await page.reload();
  await page.locator('[data-page=plans]').click();
  await expect(page.getByTestId('plan-list').locator('tr[data-client=C137]')).toContainText('2/8');
});

test('the default what-if matches the engine on the sample', async ({ page }) => {
  await openSample(page);
  await page.locator('[data-page=whatif]').click();
  const rows = expectedResults();
  const exits = new Set(['Let go gradually', 'Reprice or exit', 'Rest']);
  const leaving = rows.filter((r) => exits.has(r.verdict));
  await expect(page.getByTestId('selected-count')).toContainText(String(leaving.length));
  const profit = (rs) => rs.reduce((s, r) => s + cents(r.profit), 0);
  const revenue = (rs) => rs.reduce((s, r) => s + cents(r.revenue), 0);
  const table = page.getByTestId('what-if-table');
  const row = (label) => table.locator('tr', { has: page.locator('th', { hasText: new RegExp(`^${label}$`) }) });
  // The reference rounds each client to the cent: sums of them may differ from the exact
  // totals by half a cent per client.
  const shown = async (label, col) => {
    const text = await row(label).locator('td').nth(col).innerText();
    return Math.round(Number(text.replace(/[€,]/g, '')) * 100);
  };
  const near = (got, want, n) => expect(Math.abs(got - want)).toBeLessThanOrEqual(Math.ceil(n / 2));
  near(await shown('Profit', 0), profit(rows), rows.length);
  near(await shown('Profit', 1), profit(rows) - profit(leaving), rows.length);
  near(await shown('Revenue', 1), revenue(rows) - revenue(leaving), rows.length);
  await expect(row('Profit').locator('td').nth(0)).toHaveText('€1,004,104.68');
  // Redeploying the freed hours adds profit.
  await page.getByTestId('redeploy').check();
  await expect(table).toContainText('Profit from redeployed hours');
  // Letting nobody go changes nothing.
  await page.getByRole('button', { name: 'Select none' }).click();
  await expect(row('Profit').locator('td').nth(1)).toHaveText('€1,004,104.68');
});

test('a prospect is checked, saved and won', async ({ page }) => {
  await openSample(page);
  await page.locator('[data-page=prospects]').click();
  await page.locator('[data-prospect=name]').fill('Acme Robotics');
  await page.locator('[data-prospect=yearly_revenue]').fill('60000');
  await page.locator('[data-prospect=service_hours]').fill('100');
  await page.locator('[data-prospect=sales_hours]').fill('50');
  await page.locator('[data-prospect=acquisition_cost]').fill('6000');
  // 60,000 × 40% − 5% commission − 100 h × 45 − 50 h × 60 = 13,500; CLV 39,900.
  await expect(page.getByTestId('prospect-profit')).toHaveText('€13,500.00');
  await expect(page.getByTestId('prospect-clv')).toHaveText('€39,900.00');
  await expect(page.getByTestId('prospect-verdict')).toHaveText('Pursue');
  await page.getByTestId('save-prospect').click();
  await expect(page.getByTestId('saved-prospects').locator('tbody tr')).toHaveCount(1);
  await page.getByRole('button', { name: 'Won: add as client' }).click();
  await expect(page.getByTestId('client-page')).toHaveAttribute('data-client', 'Acme Robotics');
  await page.locator('[data-page=portfolio]').click();
  await expect(page.getByTestId('client-count')).toHaveText('79');
});
