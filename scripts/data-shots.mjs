// Screenshots of the data flows (column mapping, preview with a note, import progress, restore,
// hand editing) of a built dist/ served at BASE, for a person to look at.
// Usage: node scripts/data-shots.mjs http://127.0.0.1:8123/ out-dir [lang]
import { launch } from './chromium.mjs';

const [base, out = 'e2e/out', lang = 'en'] = process.argv.slice(2);
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: lang });
page.on('pageerror', (e) => console.error('pageerror:', e.message));
const shot = (name) => page.screenshot({ path: `${out}/${lang}-${name}.png`, fullPage: true });
await page.goto(base);
await page.waitForSelector('[data-testid=client-table]');

await page.click('[data-page=import]');
await page.fill('[data-testid=import-paste]', 'Cliente\tMes\tFacturado\tHoras\nC1\tene-25\t1.000,50\t12\nC2\tene-25\t250\t3\n');
await page.click('[data-testid=import-paste-check]');
await page.waitForSelector('[data-testid=import-mapping]');
await shot('mapping');
await page.selectOption('[data-testid=mapping-col-2]', 'revenue');
await page.click('[data-testid=mapping-check]');
await page.waitForSelector('[data-testid=import-preview]');
await page.click('[data-testid=import-discard]');
await page.fill('[data-testid=import-paste]', 'client;period;revenue\nC105;2024-01;1.234\nC999;2025-01;5\n');
await page.click('[data-testid=import-paste-check]');
await page.waitForSelector('[data-testid=import-preview]');
await shot('preview');
await page.click('[data-testid=import-discard]');

const lines = ['client,date,amount'];
for (let i = 0; i < 1_000_000; i++) lines.push(`C${i % 900},2025-0${(i % 9) + 1}-15,${i % 997}.5`);
await page.setInputFiles('[data-testid=import-file]', { name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
await page.waitForSelector('[data-testid=import-progress] progress');
await page.waitForTimeout(400);
await shot('progress');
if (await page.locator('[data-testid=import-cancel]').count()) await page.click('[data-testid=import-cancel]'); else await page.click('[data-testid=import-discard]');

const backup = JSON.stringify({ format: 'cartera-backup', version: 99, portfolios: [] });
await page.setInputFiles('[data-testid=restore-file]', { name: 'old.json', mimeType: 'application/json', buffer: Buffer.from(backup) });
await page.waitForSelector('[data-testid=restore-refused]');
await shot('restore-refused');

await page.click('[data-page=decisions]');
await page.click('tr[data-client=C137] button.link');
await page.click('[data-testid=client-editor] summary');
await page.click('[data-testid=records-editor] summary');
await page.fill('[data-testid=client-editor] [data-field=icp_fit]', '7');
await page.click('[data-testid=save-client]');
await shot('editors');
await browser.close();
