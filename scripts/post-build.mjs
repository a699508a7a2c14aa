// Trunk post-build hook, on the staged dist/:
//  0. the web app manifest and its icons (SVG, and PNG drawn here), so the app installs;
//  1. the Content-Security-Policy of index.html allows Trunk's inline loader by its SHA-256,
//     and nothing else inline;
//  2. worker.js, which starts the app's wasm as its background worker;
//  3. sw.js, the service worker that keeps the app usable offline, lists this build's files
//     under a cache named for their hash, so a new release replaces the old one;
//  4. cartera.html, the whole app in one file (wasm, JS and CSS inlined) to open from file://.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync, gzipSync } from 'node:zlib';

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2] || 'dist';

// 0. The manifest and icons: the app's diamond, white on its blue, with a safe margin so a
// platform may crop it to a circle (maskable).
const BLUE = [0x1f, 0x5f, 0xbf];
writeFileSync(join(dir, 'icon.svg'), `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">
<rect width="512" height="512" rx="96" fill="#1f5fbf"/><path d="M256 112l144 144-144 144-144-144z" fill="#fff"/></svg>
`);
function png(size) {
  const row = 1 + size * 4;
  const raw = Buffer.alloc(row * size);
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    raw[y * row] = 0; // no filter
    for (let x = 0; x < size; x++) {
      const inside = Math.abs(x - c) + Math.abs(y - c) <= size * 0.28;
      const [r, g, b] = inside ? [255, 255, 255] : BLUE;
      raw.set([r, g, b, 255], y * row + 1 + x * 4);
    }
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0); header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}
for (const size of [192, 512]) writeFileSync(join(dir, `icon-${size}.png`), png(size));
writeFileSync(join(dir, 'manifest.webmanifest'), JSON.stringify({
  name: 'Cartera — which clients to keep, grow, fix or let go',
  short_name: 'Cartera',
  description: 'A portfolio calculator that runs entirely in the browser: nothing leaves your machine.',
  // Relative, so the app installs from any sub-path it is served under.
  start_url: './',
  scope: './',
  display: 'standalone',
  theme_color: '#1f5fbf',
  background_color: '#f4f6f9',
  icons: [
    { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' },
    { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
    { src: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any maskable' },
  ],
}, null, 2));
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

// 2. The background worker's script: the app's own wasm, which serves requests when it finds
// itself in a worker (src/ui/background.rs). Relative names, so it works under any sub-path.
const jsName = html.match(/import init, \* as bindings from '\.\/([^']+)'/)[1];
const wasmName = html.match(/module_or_path: '\.\/([^']+)'/)[1];
writeFileSync(join(dir, 'worker.js'), `// Cartera's background worker (see src/ui/background.rs).
import init from './${jsName}';
await init({ module_or_path: './${wasmName}' });
`);

// 3. The service worker.
const files = readdirSync(dir).filter((f) => !f.startsWith('.') && f !== 'sw.js' && f !== 'cartera.html').sort();
const version = createHash('sha256');
for (const f of files) version.update(f).update(readFileSync(join(dir, f)));
const VERSION = version.digest('hex').slice(0, 16);
const precache = ['./', ...files.map((f) => `./${f}`)];
writeFileSync(join(dir, 'sw.js'), `// Cartera's service worker: the app shell, cached per release so it works offline.
const CACHE = 'cartera-${VERSION}';
const FILES = ${JSON.stringify(precache)};

// A new release waits until the app, told it is ready, asks for it (the user chose to reload).
self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)));
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
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

// 4. The single file. It starts no worker (its CSP allows none): the page works alone.
const css = [...html.matchAll(/<link rel="stylesheet" href="\.\/([^"]+)"[^>]*>/g)]
  .map((m) => readFileSync(join(dir, m[1]), 'utf8')).join('\n');
const glue = readFileSync(join(dir, jsName), 'utf8');
// The wasm goes in compressed: a file opened from disk or sent by mail is not served with gzip,
// and base64 of the compressed bytes is less than half of base64 of the raw ones. The browser
// unpacks it itself (DecompressionStream), in a stream, with nothing fetched.
const wasm = gzipSync(readFileSync(join(dir, wasmName)), { level: 9 }).toString('base64');
const script = `${glue}
const packed = Uint8Array.from(atob("${wasm}"), (c) => c.charCodeAt(0));
const wasmBytes = await new Response(new Blob([packed]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer();
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
  .replace(/<link rel="manifest"[^>]*>\s*/g, '')
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
