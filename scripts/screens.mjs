// Takes a screenshot of every page of a built dist/ served at BASE, for a person to look at.
// Usage: node scripts/screens.mjs http://127.0.0.1:8123/ out-dir [lang]
import { launch } from './chromium.mjs';

const [base, out = 'e2e/out', lang = 'en'] = process.argv.slice(2);
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: lang });
page.on('console', (m) => { if (m.type() === 'error') console.error('console:', m.text()); });
page.on('pageerror', (e) => console.error('pageerror:', e.message));
await page.goto(base);
await page.waitForSelector('[data-testid=client-table]');
const pages = ['portfolio', 'decisions', 'matrix', 'health', 'import', 'settings'];
for (const p of pages) {
  await page.click(`[data-page=${p}]`);
  if (p === 'matrix') await page.click('[data-testid=matrix-cell-CX]');
  await page.screenshot({ path: `${out}/${lang}-${p}.png`, fullPage: p !== 'portfolio' && p !== 'decisions' });
}
await page.click('[data-page=decisions]');
await page.click('[data-client=C298] button.link');
await page.screenshot({ path: `${out}/${lang}-client.png`, fullPage: true });
await browser.close();
