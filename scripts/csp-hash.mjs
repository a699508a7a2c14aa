// Trunk post-build hook: allows the loader script Trunk writes inline by adding its SHA-256 to
// the Content-Security-Policy in index.html. Nothing else may run: the policy stays 'self'.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2] || 'dist';
const file = join(dir, 'index.html');
let html = readFileSync(file, 'utf8');
const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
  .map((m) => `'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
if (hashes.length === 0) process.exit(0);
const before = html;
html = html.replace(/script-src 'self'( 'sha256-[^']+')*/, `script-src 'self' ${hashes.join(' ')}`);
if (html === before) {
  console.error('csp-hash: no script-src in the Content-Security-Policy of index.html');
  process.exit(1);
}
writeFileSync(file, html);
