// In-browser page benchmark (not a test: it asserts nothing about time). Imports the retail
// log written by `cargo bench` (25,000 customers × 18 months) into the built dist/, then opens
// every page and reports the time to a painted frame, the DOM size and the longest main-thread
// task (PerformanceObserver on `longtask`). Usage: node scripts/bench-pages.mjs [file]
import { existsSync } from 'node:fs';
import { start, observeLongTasks, timers } from './bench-browser.mjs';

const file = process.argv[2] || 'target/bench/retail-25k.csv';
if (!existsSync(file)) throw new Error(`${file} is missing: run cargo bench --bench analyze first`);
const port = 8493;
const { browser, close } = await start(port);
try {
  // NO_WORKER=1: as where no worker starts (the page analyses everything itself), to compare
  // (the service worker would fetch the worker's script past the page's routes).
  const noWorker = Boolean(process.env.NO_WORKER);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, serviceWorkers: noWorker ? 'block' : 'allow' });
  if (noWorker) await page.route('**/worker.js', (route) => route.abort());
  await page.addInitScript(() => {
    // The wasm instance, for the size of its memory (the wasm heap).
    addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail.wasm; });
  });
  await observeLongTasks(page);
  // The main thread's own time in tasks over it (Chromium's TaskDuration metric): what the
  // background worker takes off the page.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const busy = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value * 1000;
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.getByTestId('new-portfolio').waitFor();
  await page.getByTestId('new-portfolio').click();
  const { mark, clicked, changed, shown, clickToPaint, painted, longest } = timers(page);
  const nodes = () => page.evaluate(() => document.getElementsByTagName('*').length);
  const rows = [];

  // The import is timed in the page: from the file input's change event to the frame that
  // shows the preview's confirm button, and from the click on it to the frame that shows the
  // results (the harness's own waiting polls, and would add to both).
  let t0 = await mark();
  await page.getByTestId('import-file').setInputFiles(file);
  await page.getByTestId('import-apply').waitFor({ timeout: 600_000 });
  const picked = await changed();
  const checked = await shown('import-apply');
  // PREVIEW_MS: the user's time on the preview, as a user reads it (the background worker
  // makes and analyses what the file would be meanwhile).
  if (process.env.PREVIEW_MS) await page.waitForTimeout(Number(process.env.PREVIEW_MS));
  const busyChecked = await busy();
  await page.getByTestId('import-apply').click();
  await page.getByTestId('client-count').waitFor({ timeout: 600_000 });
  const confirmed = await clicked();
  let t1 = await shown('client-count');
  const busyConfirmed = Math.round(await busy() - busyChecked);
  const analysedBy = await page.locator('main').getAttribute('data-analysed-by');
  rows.push({ step: 'read and check the file', ms: Math.round(checked - picked), nodes: '', longest: Math.round(await longest(t0)) });
  rows.push({ step: `confirm → results on screen (analysed on the ${analysedBy}; main thread busy ${busyConfirmed} ms, with the save under way)`, ms: Math.round(t1 - confirmed), nodes: await nodes(), longest: Math.round(await longest(checked)) });
  rows.push({ step: 'import → results on screen, without the user\'s time on the preview', ms: Math.round(checked - picked + t1 - confirmed), nodes: '', longest: '' });
  // Then stored: the main thread's time from the click to the save written, and who encoded
  // the clients and records.
  await page.locator('main[data-saved=true]').waitFor({ timeout: 600_000 });
  const saved = await mark();
  const busySaved = Math.round(await busy() - busyChecked);
  const away = (await page.locator('main').getAttribute('data-encoded-away')) !== '0';
  rows.push({ step: `confirm → stored (clients and records encoded by the ${away ? 'worker' : 'page'}; main thread busy ${busySaved} ms)`, ms: Math.round(saved - confirmed), nodes: '', longest: Math.round(await longest(confirmed)) });
  // The flips a 20% error would cause, worked out in the background after the analysis (done
  // before the page visits, which it would otherwise share the main thread with).
  await page.click('[data-page=decisions]');
  await page.locator('[data-testid=robustness][data-ready=true]').waitFor({ timeout: 600_000 });
  t0 = await painted();
  rows.push({ step: 'results → ±20% flips of every verdict shown', ms: Math.round(t0 - t1), nodes: await nodes(), longest: Math.round(await longest(t1)) });
  t1 = await mark();
  await page.locator('.verdict-group tr[data-client] button.link').first().click();
  await page.locator('[data-testid=client-ranges][data-ready=true]').waitFor({ timeout: 600_000 });
  t0 = await painted();
  rows.push({ step: 'client page → ranges of its verdict shown', ms: Math.round(t0 - t1), nodes: await nodes(), longest: Math.round(await longest(t1)) });

  const pages = [
    ['decisions', '[data-testid^=verdict-group-]'], ['matrix', '[data-testid=heat-map]'], ['health', '[data-testid=migration]'],
    ['whatif', '[data-testid=what-if-table]'], ['plans', '.plans-page'], ['sixr', '[data-testid=six-r-verdicts]'],
    ['prospects', '.prospects-page'], ['report', '[data-testid=report]'], ['import', '.import-page'], ['settings', '.settings-page'],
    ['portfolio', '[data-testid=client-table]'],
  ];
  // Each page is opened three times (from the small Import page), and the median visit is
  // reported: this machine's timings vary by tens of milliseconds from run to run.
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const [name, ready] of pages) {
    const visits = [];
    for (let k = 0; k < 3; k++) {
      await page.click('[data-page=import]');
      await page.locator('.import-page').waitFor();
      await painted();
      t0 = await mark();
      await page.click(`[data-page=${name}]`);
      await page.locator(ready).first().waitFor({ timeout: 120_000 });
      t1 = await painted();
      // A long list's page is drawn a few dozen rows a frame: when its last rows were painted
      // (the row count unchanged over two more frames).
      const whole = await page.evaluate(() => new Promise((ok) => {
        const frame = () => new Promise((next) => requestAnimationFrame(() => setTimeout(next, 0)));
        const rows = () => document.getElementsByTagName('tr').length;
        (async () => {
          let [n, at, still] = [rows(), performance.now(), 0];
          while (still < 2) {
            await frame();
            if (rows() === n) still += 1; else [n, at, still] = [rows(), performance.now(), 0];
          }
          ok(at);
        })();
      }));
      visits.push({ ms: t1 - t0, click: t1 - (await clicked()), whole: whole - (await clicked()), paint: await clickToPaint(), longest: await longest(t0) });
    }
    const mid = (key) => Math.round(median(visits.map((v) => v[key])));
    rows.push({ step: `page: ${name}`, ms: mid('ms'), click: mid('click'), whole: mid('whole'), paint: mid('paint'), nodes: await nodes(), longest: mid('longest') });
  }
  t0 = await mark();
  await page.locator('tr[data-client] button.link').first().click();
  await page.getByTestId('client-page').waitFor();
  t1 = await painted();
  rows.push({ step: 'page: client', ms: Math.round(t1 - t0), click: Math.round(t1 - (await clicked())), paint: Math.round(await clickToPaint()), nodes: await nodes(), longest: Math.round(await longest(t0)) });

  // The results export, written a slice at a time: from the click to the file offered.
  t0 = await mark();
  await Promise.all([page.waitForEvent('download', { timeout: 600_000 }), page.getByTestId('export-results').click()]);
  t1 = await mark();
  rows.push({ step: 'export results → file offered', ms: Math.round(t1 - t0), nodes: '', longest: Math.round(await longest(t0)) });

  // A weight change: re-scored and painted. `work` is the main thread's time from the change
  // event to the end of the task that handles it (the reducer, the re-render and its effects);
  // `ms` runs to the next painted frame.
  await page.click('[data-page=settings]');
  await page.waitForTimeout(1500); // let the import's save finish first
  const weight = async (value) => {
    const input = page.locator('[data-setting="weights.trend"]');
    await input.fill(value);
    const t = await page.evaluate(() => new Promise((ok) => {
      const el = document.querySelector('[data-setting="weights.trend"]');
      const start = performance.now();
      el.dispatchEvent(new Event('change', { bubbles: true }));
      const work = performance.now() - start;
      requestAnimationFrame(() => setTimeout(() => ok({ start, work, painted: performance.now() }), 0));
    }));
    return { ms: Math.round(t.painted - t.start), work: t.work, longest: Math.round(await longest(t.start)) };
  };
  // The first changes run code the browser has not optimised yet: the first, and the median
  // of eight.
  const changes = [];
  for (let i = 0; i < 8; i++) changes.push(await weight(String(16 + (i % 2))));
  const works = changes.map((c) => c.work);
  rows.push({ step: `weight change → re-scored, painted (work in the change task: first ${works[0].toFixed(1)} ms, median of 8 ${median(works).toFixed(1)} ms)`, ms: median(changes.map((c) => c.ms)), nodes: await nodes(), longest: Math.max(...changes.map((c) => c.longest)) });

  // A rate change: every client analysed again, in the background for a large portfolio, to
  // the list of who moved.
  const rate = page.locator('[data-setting=service_rate]');
  const busy0 = await busy();
  t0 = await mark();
  await rate.fill(String(Number(await rate.inputValue()) + 5));
  await rate.dispatchEvent('change');
  await page.getByTestId('analysis-progress').waitFor({ state: 'detached', timeout: 600_000 });
  t1 = await painted();
  const busyMs = Math.round(await busy() - busy0);
  const by = await page.locator('main').getAttribute('data-analysed-by');
  rows.push({ step: `rate change → analysed again (on the ${by}; main thread busy ${busyMs} ms), who moved shown`, ms: Math.round(t1 - t0), nodes: await nodes(), longest: Math.round(await longest(t0)) });
  const heap = await page.evaluate(() => performance.memory ? performance.memory.usedJSHeapSize : null);
  const wasmHeap = await page.evaluate(() => window.__wasm ? window.__wasm.memory.buffer.byteLength : null);

  // Opening it again from storage (once the last change is stored): a reload to the results.
  await page.waitForTimeout(file.includes('100k') ? 15_000 : 3_000);
  await page.reload();
  t0 = 0;
  await page.getByTestId('client-table').waitFor({ timeout: 600_000 });
  t1 = await painted();
  rows.push({ step: 'reload → stored portfolio opened, results shown', ms: Math.round(t1 - t0), nodes: await nodes(), longest: Math.round(await longest(t0)) });

  console.log(`\nPages with ${file}`);
  // Page switches are timed three ways: from before the harness's click (which first
  // scrolls, waits for the target to be still and moves the mouse) to a painted frame; from
  // the click event to the same point (after the next frame, and the first task after it);
  // the browser's own Event Timing of the click, to the next frame painted; and from the
  // click event to the frame that shows the last rows of a long list's page.
  console.log('| step | time to a painted frame (ms) | from the click event (ms) | click → next paint, Event Timing (ms) | click → page whole (ms) | DOM nodes | longest main-thread task (ms) |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.step} | ${r.ms} | ${r.click ?? ''} | ${r.paint ?? ''} | ${r.whole ?? ''} | ${r.nodes} | ${r.longest} |`);
  if (heap) console.log(`JS heap in use after the run: ${(heap / 1e6).toFixed(0)} MB`);
  if (wasmHeap) console.log(`wasm memory after the run: ${(wasmHeap / 1e6).toFixed(0)} MB`);
} finally {
  await close();
}
