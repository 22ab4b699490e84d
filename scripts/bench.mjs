// npm run bench: runs every bench/*.bench.ts in turn; each prints one JSON line of figures.
// `npm run bench -- relay` runs only the benches whose name contains "relay".
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { bin, buildIfNeeded, root, run } from './lib.mjs';

const filter = process.argv[2] ?? '';
const files = readdirSync(join(root, 'bench')).filter((f) => f.endsWith('.bench.ts') && f.includes(filter)).sort();
if ((await buildIfNeeded()) !== 0) process.exit(1);
let failed = 0;
for (const f of files) {
  const code = await run(bin('tsx'), [join('bench', f)]);
  if (code !== 0) {
    failed++;
    console.error(`bench ${f} failed with exit ${code}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
