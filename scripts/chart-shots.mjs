// Screenshots of every chart at a desktop and a phone width, for a person to look at.
// Usage: node scripts/chart-shots.mjs http://127.0.0.1:8123/ e2e/out
import { launch } from './chromium.mjs';

const [base, out = 'e2e/out'] = process.argv.slice(2);
const browser = await launch();
for (const width of [1280, 390]) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  page.on('console', (m) => { if (m.type() === 'error') console.error('console:', m.text()); });
  await page.goto(base);
  await page.waitForSelector('[data-testid=client-table]');
  await page.screenshot({ path: `${out}/charts-${width}-portfolio.png` });
  await page.click('[data-page=health]');
  await page.screenshot({ path: `${out}/charts-${width}-health.png`, fullPage: true });
  await page.click('[data-page=matrix]');
  await page.screenshot({ path: `${out}/charts-${width}-matrix.png`, fullPage: true });
  await page.click('[data-page=decisions]');
  await page.click('tr[data-client=C287] button.link');
  await page.screenshot({ path: `${out}/charts-${width}-client.png`, fullPage: true });
  await page.close();
}
await browser.close();
