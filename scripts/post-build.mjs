// Trunk post-build hook, on the staged dist/:
//  1. the Content-Security-Policy of index.html allows Trunk's inline loader by its SHA-256,
//     and nothing else inline;
//  2. sw.js, the service worker that keeps the app usable offline, lists this build's files
//     under a cache named for their hash, so a new release replaces the old one;
//  3. cartera.html, the whole app in one file (wasm, JS and CSS inlined) to open from file://.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2] || 'dist';
const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const indexPath = join(dir, 'index.html');
let html = readFileSync(indexPath, 'utf8');

// 1. CSP hashes of the inline scripts.
const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
const withHashes = html.replace(/script-src 'self'( 'sha256-[^']+')*/, `script-src 'self' ${inline.map(sha256).join(' ')}`);
if (inline.length && withHashes === html) {
  console.error('post-build: no script-src in the Content-Security-Policy of index.html');
  process.exit(1);
}
html = withHashes;
writeFileSync(indexPath, html);

// 2. The service worker.
const files = readdirSync(dir).filter((f) => !f.startsWith('.') && f !== 'sw.js' && f !== 'cartera.html').sort();
const version = createHash('sha256');
for (const f of files) version.update(f).update(readFileSync(join(dir, f)));
const VERSION = version.digest('hex').slice(0, 16);
const precache = ['./', ...files.map((f) => `./${f}`)];
writeFileSync(join(dir, 'sw.js'), `// Cartera's service worker: the app shell, cached per release so it works offline.
const CACHE = 'cartera-${VERSION}';
const FILES = ${JSON.stringify(precache)};

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('cartera-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    caches.match(request, { ignoreSearch: true }).then((hit) => hit || fetch(request).catch(() =>
      request.mode === 'navigate' ? caches.match('./') : Response.error())),
  );
});
`);

// 3. The single file.
const css = [...html.matchAll(/<link rel="stylesheet" href="\.\/([^"]+)"[^>]*>/g)]
  .map((m) => readFileSync(join(dir, m[1]), 'utf8')).join('\n');
const jsName = html.match(/import init, \* as bindings from '\.\/([^']+)'/)[1];
const wasmName = html.match(/module_or_path: '\.\/([^']+)'/)[1];
const glue = readFileSync(join(dir, jsName), 'utf8');
const wasm = readFileSync(join(dir, wasmName)).toString('base64');
const script = `${glue}
const wasmBytes = Uint8Array.from(atob("${wasm}"), (c) => c.charCodeAt(0));
await __wbg_init({ module_or_path: wasmBytes });
`;
const csp = [
  "default-src 'none'",
  `script-src ${sha256(script)} 'wasm-unsafe-eval'`,
  `style-src ${sha256(css)}`,
  "img-src data: blob:",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
const head = html.match(/<head>([\s\S]*?)<\/head>/)[1]
  .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, `<meta http-equiv="Content-Security-Policy" content="${csp}" />`)
  .replace(/<link rel="stylesheet"[^>]*>\s*/g, '')
  .replace(/<link rel="(modulepreload|preload)"[^>]*>/g, '')
  .replace(/<script type="module"[^>]*>[\s\S]*?<\/script>/, '');
const body = html.match(/<body>([\s\S]*?)<\/body>/)[1];
writeFileSync(join(dir, 'cartera.html'), `<!DOCTYPE html>
<html lang="en">
<head>${head}<style>${css}</style>
<script type="module">${script}</script>
</head>
<body>${body}</body>
</html>
`);
