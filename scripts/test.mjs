// npm test: typecheck, lint, unit and harness tests (vitest), then the browser and Electron
// suites (Playwright). Ends with one "N passed, N failed, N skipped" line for CI.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bin, buildIfNeeded, chromiumPath, root, run } from './lib.mjs';

// Not under test-results/: Playwright empties that folder when it starts.
const reports = join(root, '.test-reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const started = Date.now();
const steps = [];

async function step(name, fn) {
  const t0 = Date.now();
  const code = await fn();
  steps.push({ name, code, seconds: ((Date.now() - t0) / 1000).toFixed(1) });
  console.log(`\n── ${name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${steps.at(-1).seconds}s\n`);
  return code;
}

await step('typecheck', async () => (await run(bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit'])) || run(bin('tsc'), ['-p', 'tsconfig.web.json', '--noEmit']));
await step('lint', () => run(bin('eslint'), ['--max-warnings', '0', '.']));
await step('unit and harness tests (vitest)', () =>
  run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${join(reports, 'vitest.json')}`]),
);
await step('build', () => buildIfNeeded());
await step('browser, Electron and package tests (playwright)', () =>
  run(bin('playwright'), ['test', '--reporter=list,json'], { env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: join(reports, 'playwright.json'), KEYDESK_CHROMIUM: chromiumPath() } }),
);

function readJson(name) {
  try {
    return JSON.parse(readFileSync(join(reports, name), 'utf8'));
  } catch {
    return null;
  }
}
const counts = { passed: 0, failed: 0, skipped: 0 };
const vitest = readJson('vitest.json');
if (vitest) {
  counts.passed += vitest.numPassedTests ?? 0;
  counts.failed += vitest.numFailedTests ?? 0;
  counts.skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
}
const pw = readJson('playwright.json');
if (pw?.stats) {
  counts.passed += pw.stats.expected ?? 0;
  counts.failed += (pw.stats.unexpected ?? 0) + (pw.stats.flaky ?? 0);
  counts.skipped += pw.stats.skipped ?? 0;
}
const failedSteps = steps.filter((s) => s.code !== 0);
console.log('Steps: ' + steps.map((s) => `${s.name} ${s.code === 0 ? 'ok' : 'FAILED'} (${s.seconds}s)`).join('; '));
console.log(`Total ${((Date.now() - started) / 1000).toFixed(0)}s`);
// A failed step with no failing test (typecheck, lint, build) still counts as a failure.
console.log(`${counts.passed} passed, ${counts.failed + (failedSteps.length > 0 && counts.failed === 0 ? failedSteps.length : 0)} failed, ${counts.skipped} skipped`);
process.exit(failedSteps.length > 0 ? 1 : 0);
