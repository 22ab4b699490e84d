// Builds if needed, then runs the Playwright suites (web, Electron, package) in Debian's Chromium.
import { existsSync } from 'node:fs';
import { bin, buildIfNeeded, chromiumPath, run } from './lib.mjs';

if (!existsSync(chromiumPath())) {
  console.error(`No Chromium at ${chromiumPath()}. Install it with: apt-get install -y chromium (or set KEYDESK_CHROMIUM).`);
  process.exit(1);
}
const built = await buildIfNeeded();
if (built !== 0) process.exit(built);
process.exit(await run(bin('playwright'), ['test', ...process.argv.slice(2)]));
