// What a visit downloads from dist/: every file's size raw, gzip -9 and Brotli (quality 11),
// the first visit's total and the single-file build's. `node scripts/size.mjs [dist]` prints
// them; e2e/ship.spec.mjs holds the first visit to its ceiling.
import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/// Brotli at quality 11 takes seconds on the wasm: asked for only where it is reported.
function measure(path, brotli) {
  const bytes = readFileSync(path);
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotli ? brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length : 0,
  };
}

/// What a first visit fetches is what the service worker caches as it installs (its `FILES`,
/// written by scripts/post-build.mjs: every file of dist/ but the single file, `./` being
/// index.html), and the service worker itself.
function firstVisitFiles(dist) {
  const worker = readFileSync(join(dist, 'sw.js'), 'utf8');
  const cached = JSON.parse(worker.match(/^const FILES = (\[.*\]);$/m)[1]);
  return [...new Set([...cached.map((f) => (f === './' ? 'index.html' : f.slice(2))), 'sw.js'])].sort();
}

export function sizes(dist, { brotli = true } = {}) {
  const files = firstVisitFiles(dist).map((name) => ({ name, ...measure(join(dist, name), brotli) }));
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const f of files) for (const k of Object.keys(total)) total[k] += f[k];
  return { files, firstVisit: total };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = process.argv[2] || fileURLToPath(new URL('../dist/', import.meta.url));
  const { files, firstVisit } = sizes(dist);
  const row = (name, s) => console.log(`${name.padEnd(40)} ${String(s.raw).padStart(9)} ${String(s.gzip).padStart(9)} ${String(s.brotli).padStart(9)}`);
  console.log(`${'file'.padEnd(40)} ${'raw'.padStart(9)} ${'gzip -9'.padStart(9)} ${'brotli'.padStart(9)}`);
  for (const f of files) row(f.name, f);
  row('first visit', firstVisit);
  // The single-file build is the other way to ship, not part of a visit.
  row('single file (cartera.html)', measure(join(dist, 'cartera.html'), true));
}
