// Keep or fire: verdict counts, a planted client's rule and facts, settings that move clients.
import { test, expect } from '@playwright/test';
import { openSample, expectedResults, countBy } from './helpers.mjs';

const slug = {
  'Dormant': 'dormant', 'Protect & diversify': 'protectanddiversify', 'Too early to judge': 'tooearly',
  'Rest': 'rest', 'Reprice or exit': 'repriceorexit', 'Let go gradually': 'letgogradually',
  'Upsell to B': 'upselltob', 'Keep for indirect value': 'keepforindirectvalue', 'Renegotiate': 'renegotiate',
  'Key: keep, reduce dependence': 'keykeep', 'Key but volatile: stabilise': 'keyvolatile',
  'Keep & grow': 'keepandgrow', 'Keep & stabilise': 'keepandstabilise',
};

test('Decisions shows the reference verdict counts, in rule order', async ({ page }) => {
  await openSample(page);
  await page.locator('[data-page=decisions]').click();
  const want = countBy(expectedResults(), 'verdict');
  for (const [verdict, n] of Object.entries(want)) {
    await expect(page.getByTestId(`verdict-group-${slug[verdict]}`)).toHaveAttribute('data-count', String(n));
    await expect(page.getByTestId(`verdict-count-${slug[verdict]}`)).toContainText(String(n));
  }
  const order = await page.locator('[data-testid^=verdict-group-]').evaluateAll((els) => els.map((e) => e.dataset.testid));
  expect(order.slice(0, 4)).toEqual(['verdict-group-dormant', 'verdict-group-protectanddiversify', 'verdict-group-tooearly', 'verdict-group-rest']);
  // Filter to one verdict, then search.
  await page.getByTestId('verdict-count-repriceorexit').click();
  await expect(page.locator('[data-testid^=verdict-group-]')).toHaveCount(1);
  await page.getByPlaceholder('Search clients').fill('Fogón');
  await expect(page.locator('[data-testid=verdict-group-repriceorexit] tbody tr')).toHaveCount(1);
});

test('verdict groups far down the page are laid out once scrolled to, and are there for search and the keyboard before', async ({ page }) => {
  await openSample(page);
  await page.locator('[data-page=decisions]').click();
  const last = page.locator('[data-testid^=verdict-group-]').last();
  const shown = () => last.locator('table').evaluate((e) => e.checkVisibility({ contentVisibilityAuto: true }));
  // Off screen its rendering is skipped, its rows are in the page all the same.
  expect(await shown()).toBe(false);
  expect(await last.locator('tr[data-client]').count()).toBeGreaterThan(0);
  await last.locator('tr[data-client] button.link').first().focus();
  await expect(last.locator('tr[data-client] button.link').first()).toBeFocused();
  await last.scrollIntoViewIfNeeded();
  await expect.poll(shown).toBe(true);
  await expect(last.locator('tr[data-client]').first()).toBeVisible();
});

test('a planted client shows its rule and the facts behind it', async ({ page }) => {
  await openSample(page);
  await page.locator('[data-page=decisions]').click();
  // The referrer: tiny retainer kept for the referrals it brought.
  await page.locator('tr[data-client=C274] button.link').click();
  await expect(page.getByTestId('client-verdict')).toContainText('Keep for indirect value');
  await expect(page.getByTestId('client-rule')).toHaveText('rule 8');
  const facts = page.getByTestId('client-facts');
  await expect(facts).toContainText('C133, C187, C234');
  await expect(page.getByTestId('client-score')).toHaveText('69.9');
  await expect(page.getByTestId('score-breakdown').locator('tbody tr')).toHaveCount(8);
  // A loss-maker: the break-even price rise.
  await page.locator('[data-page=decisions]').click();
  await page.locator('tr[data-client=C298] button.link').click();
  await expect(page.getByTestId('client-rule')).toHaveText('rule 5');
  await expect(page.getByTestId('client-facts')).toContainText('A price rise of 149.8% breaks even');
  await expect(page.getByTestId('client-periods').locator('tbody tr')).toHaveCount(12);
});

test('changing a weight re-scores at once and highlights what moved; reload keeps it', async ({ page }) => {
  await openSample(page);
  await page.locator('[data-page=settings]').click();
  // The imported settings file moved clients (from the zero-cost defaults).
  await expect(page.locator('[data-testid=moved-clients] tr.moved').first()).toBeVisible();
  // A weight changes scores only: every listed client is re-scored, none moved class or verdict.
  await page.locator('[data-setting="weights.profitability"]').fill('60');
  await page.locator('[data-setting="weights.profitability"]').press('Tab');
  await expect(page.locator('[data-testid=moved-clients] tr.rescored').first()).toBeVisible();
  await expect(page.locator('[data-testid=moved-clients] tr.moved')).toHaveCount(0);
  await expect(page.locator('[data-testid=moved-clients] tr[data-client=C274]')).toContainText('69.9 →');
  await page.locator('[data-page=decisions]').click();
  await expect(page.locator('tr.rescored').first()).toBeVisible();
  // A threshold moves a verdict: with a 40% limit the dominant client is no longer over it.
  await page.locator('[data-page=settings]').click();
  await page.locator('[data-setting=max_share]').fill('40');
  await page.locator('[data-setting=max_share]').press('Tab');
  const c134 = page.locator('[data-testid=moved-clients] tr.moved[data-client=C134]');
  await expect(c134).toContainText('Protect & diversify → Key: keep, reduce dependence');
  await page.locator('[data-page=decisions]').click();
  await expect(page.locator('tr.moved[data-client=C134]')).toContainText('Protect & diversify → Key: keep, reduce dependence');
  // The client table marks it too, and only the clients whose class or verdict moved.
  await page.locator('[data-page=portfolio]').click();
  await expect(page.locator('[data-testid=client-table] tr.moved[data-client=C134]')).toBeVisible();
  const marked = await page.locator('[data-testid=client-table] tr.moved').evaluateAll((rows) => rows.map((r) => r.dataset.client).sort());
  await page.locator('[data-page=settings]').click();
  const listed = await page.locator('[data-testid=moved-clients] tr.moved').evaluateAll((rows) => rows.map((r) => r.dataset.client).sort());
  expect(marked).toEqual(listed);

  await page.reload();
  await page.locator('[data-page=settings]').click();
  await expect(page.locator('[data-setting="weights.profitability"]')).toHaveValue('60');
  await expect(page.locator('[data-setting=max_share]')).toHaveValue('40');
  // Undo is per session: after a reload there is nothing to undo, the settings stay.
  await expect(page.getByTestId('undo')).toBeDisabled();
});

test('an invalid setting is refused with its reason and changes nothing', async ({ page }) => {
  await openSample(page);
  await page.locator('[data-page=settings]').click();
  await page.locator('[data-setting=a]').fill('90');
  await page.locator('[data-setting=a]').press('Tab');
  await expect(page.locator('.settings [role=alert]')).toBeVisible();
  await expect(page.locator('.field.invalid')).toContainText('a + b ≤ 1');
  await page.locator('[data-page=matrix]').click();
  await expect(page.getByTestId('matrix-cell-AX')).toContainText('12');
});

test('a page opened again shows what a fresh start shows, after a change and in another language', async ({ page }) => {
  await openSample(page);
  const groups = () => page.locator('[data-testid^=verdict-group-]').evaluateAll((els) => els.map((e) => `${e.dataset.testid}=${e.dataset.count}`));
  await page.locator('[data-page=decisions]').click();
  const before = await groups();
  // A client's monthly lines in English; the same page opened again in Spanish names the
  // months in Spanish.
  await page.locator('tr[data-client=C274] button.link').click();
  const firstPeriod = () => page.getByTestId('client-periods').locator('tbody tr td').first().innerText();
  const english = await firstPeriod();
  await page.locator('[data-page=decisions]').click();
  await page.getByTestId('lang-select').selectOption('es');
  await page.locator('tr[data-client=C274] button.link').click();
  const spanish = await firstPeriod();
  expect(spanish).not.toBe(english);
  // The service hour at three times its cost moves verdicts; Decisions, opened again, shows it.
  await page.locator('[data-page=settings]').click();
  const rate = page.locator('[data-setting=service_rate]');
  await rate.fill(String(Number(await rate.inputValue()) * 3));
  await rate.press('Tab');
  await page.locator('[data-page=decisions]').click();
  await expect.poll(groups).not.toEqual(before);
  const after = await groups();
  // A reload (nothing kept from before) shows the same.
  await page.reload();
  await page.locator('[data-page=decisions]').click();
  await expect.poll(groups).toEqual(after);
  await page.locator('tr[data-client=C274] button.link').click();
  expect(await firstPeriod()).toBe(spanish);
});
