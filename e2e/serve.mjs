// A static server for the end-to-end tests, on loopback only: dist/ at the root of one port,
// under a deep sub-path of another, and on a third a "wiki" page of another origin that embeds
// the app in an iframe. Usage: node e2e/serve.mjs ROOT_PORT SUBPATH_PORT WIKI_PORT
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const dist = new URL('../dist/', import.meta.url).pathname;
const [rootPort, subPort, wikiPort] = process.argv.slice(2).map(Number);
const SUB = '/wiki/tools/cartera/';
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json', '.ics': 'text/calendar', '.webmanifest': 'application/manifest+json', '.svg': 'image/svg+xml', '.png': 'image/png' };

// A new release, as far as the browser can tell: GET /__release makes sw.js differ from the
// one installed (GET /__release?reset undoes it).
let release = 0;

async function file(res, path) {
  const name = path === '' || path.endsWith('/') ? `${path}index.html` : path;
  const safe = normalize(name).replace(/^(\.\.[/\\])+/, '');
  try {
    let body = await readFile(join(dist, safe));
    if (safe === 'sw.js' && release) body = Buffer.concat([body, Buffer.from(`\n// release ${release}\n`)]);
    res.writeHead(200, { 'content-type': types[extname(safe)] || 'application/octet-stream', 'cache-control': 'no-cache' });
    res.end(body);
  } catch {
    res.writeHead(404).end('not found');
  }
}

const serve = (prefix) => (req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/__release') {
    release = url.searchParams.has('reset') ? 0 : release + 1;
    return res.writeHead(204).end();
  }
  if (!url.pathname.startsWith(prefix)) return res.writeHead(404).end('not found');
  file(res, decodeURIComponent(url.pathname.slice(prefix.length)));
};

createServer(serve('/')).listen(rootPort, '127.0.0.1');
createServer(serve(SUB)).listen(subPort, '127.0.0.1');
createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!DOCTYPE html><html><head><title>Intranet wiki</title>
<style>body{font-family:sans-serif;margin:0}header{background:#333;color:#fff;padding:8px}iframe{border:0;width:100%;height:700px}</style>
</head><body><header>Team wiki — Tools</header>
<script>localStorage.setItem('index', 'the wiki keeps its own keys');</script>
<iframe id="cartera" title="Cartera" src="http://127.0.0.1:${subPort}${SUB}"></iframe>
</body></html>`);
}).listen(wikiPort, '127.0.0.1');
