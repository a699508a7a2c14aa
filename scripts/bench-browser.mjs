// What the browser benchmarks share: dist/ served on loopback, and a page that records its
// long main-thread tasks (PerformanceObserver on `longtask`) with the timers that read them.
import { spawn } from 'node:child_process';
import { launch } from './chromium.mjs';

/** Serves dist/ on `port` and opens Chromium; `close` ends both. */
export async function start(port) {
  const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1'], { cwd: 'dist', stdio: 'ignore' });
  await new Promise((ok) => setTimeout(ok, 800));
  const browser = await launch();
  return { browser, close: async () => { await browser.close(); server.kill(); } };
}

/** Makes `page` record its long tasks from the start, in `window.__longtasks`. */
export async function observeLongTasks(page) {
  await page.addInitScript(() => {
    window.__longtasks = [];
    // When the last click reached the page (the event's own time stamp): a page switch is
    // timed from it, without the harness's own work before the click.
    addEventListener('click', (e) => { window.__clickAt = e.timeStamp; }, true);
    addEventListener('change', (e) => { window.__changeAt = e.timeStamp; }, true);
    // When an element of each watched test id was last added, painted (the frame after it, and
    // the first task after that frame): the harness's own waiting polls, and would add to it.
    window.__shown = {};
    const watched = ['import-apply', 'client-count'];
    new MutationObserver((records) => {
      const seen = new Set();
      for (const r of records) for (const n of r.addedNodes) {
        if (n.nodeType !== 1) continue;
        for (const id of watched) if (n.dataset.testid === id || n.querySelector(`[data-testid="${id}"]`)) seen.add(id);
      }
      for (const id of seen) requestAnimationFrame(() => setTimeout(() => { window.__shown[id] = performance.now(); }, 0));
    }).observe(document, { childList: true, subtree: true });
    // The browser's own measure of each click: from the event to the next frame painted after
    // its handlers ran (Event Timing; clicks under 16 ms are not reported).
    window.__clicks = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.name === 'click') window.__clicks.push({ start: e.startTime, duration: e.duration }); })
      .observe({ type: 'event', durationThreshold: 16, buffered: true });
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longtasks.push({ start: e.startTime, duration: e.duration }); })
      .observe({ type: 'longtask', buffered: true });
  });
}

/** The page's clock now; the time of its next painted frame; its longest task since a time. */
export function timers(page) {
  return {
    mark: () => page.evaluate(() => performance.now()),
    clicked: () => page.evaluate(() => window.__clickAt),
    changed: () => page.evaluate(() => window.__changeAt),
    /** When the element with this test id was last added, painted (see the observer above). */
    shown: (id) => page.evaluate((id) => new Promise((ok) => setTimeout(() => ok(window.__shown[id]), 100)), id),
    /** The Event Timing duration of the last click (16 when it was too quick to be reported). */
    clickToPaint: () => page.evaluate(() => new Promise((ok) => setTimeout(() => {
      const last = window.__clicks.filter((e) => e.start >= window.__clickAt - 1).pop();
      ok(last ? last.duration : 16);
    }, 150))),
    painted: () => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(() => ok(performance.now()), 0)))),
    longest: (since) => page.evaluate((t) => Math.max(0, ...window.__longtasks.filter((e) => e.start + e.duration >= t).map((e) => e.duration)), since),
  };
}
