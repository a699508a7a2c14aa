// Writes src/core/sample-records.columns from tests/fixtures/sample-records.csv: the demo's
// records by client and period, a column a line (the header first), which the wasm holds in
// about 30% fewer compressed bytes than the rows. `src/core/demo.rs` reads it back to the rows,
// and its test checks that they are the fixture's. Usage: node scripts/demo-columns.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const [header, ...rows] = readFileSync('tests/fixtures/sample-records.csv', 'utf8').trim().split('\n');
if (rows.some((r) => r.includes('"'))) throw new Error('a quoted cell: the columns hold plain cells only');
const cells = rows.map((r) => r.split(',')).sort((a, b) => (a[0] + ',' + a[1] < b[0] + ',' + b[1] ? -1 : 1));
const columns = header.split(',').map((_, k) => cells.map((c) => c[k]).join(','));
writeFileSync('src/core/sample-records.columns', [header, ...columns].join('\n') + '\n');
