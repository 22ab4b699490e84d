// Dispatch overhead per call in-process and over the HTTP transport, and cold start of the
// built HTTP harness to first paint in Chromium. Prints one JSON line.
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { createBackend } from '../src/main/backend';
import { memoryLogger } from '../src/main/log';
import { startHttpTransport } from '../src/main/rpc/httpTransport';
import { startHarnessProcess } from '../test/support/harnessProcess';
import { percentile, round } from './stats';

const N = 20_000;
const HTTP_N = 3_000;
const ctx = { role: 'manager' as const, staffId: 'bench', transport: 'internal' as const };

const backend = createBackend({ dataDir: '/tmp', dbPath: ':memory:', version: 'bench', transport: 'http', log: memoryLogger() });

async function timeCalls(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < Math.min(500, n); i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return samples;
}

const inproc = await timeCalls(N, () => backend.call(ctx, 'settings.get', {}));
// app.info does almost no work, so it shows the cost of dispatch itself (lookup, role, two zod parses).
const bare = await timeCalls(N, () => backend.call(ctx, 'app.info', {}));
const http = await startHttpTransport({ backend });
const headers = { 'content-type': 'application/json', authorization: `Bearer ${http.token}` };
const overHttp = await timeCalls(HTTP_N, async () => {
  const res = await fetch(`${http.url}rpc/settings.get`, { method: 'POST', headers, body: '{"input":{}}' });
  await res.json();
});
await http.close();
backend.close();

// Cold start: from spawning the harness to the mode badge painted in an already-open Chromium.
// The first start in a new data folder also seeds the demo shop; later starts reuse the folder.
let firstStartMs: number | null = null;
let coldStartMs: number | null = null;
const chromiumPath = process.env.KEYDESK_CHROMIUM ?? '/usr/bin/chromium';
if (existsSync('out/main/harness.js') && existsSync(chromiumPath)) {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const page = await browser.newPage();
  const samples: number[] = [];
  let dataDir: string | undefined;
  for (let i = 0; i < 4; i++) {
    const t0 = performance.now();
    const h = await startHarnessProcess(dataDir ? { KEYDESK_DATA_DIR: dataDir } : {});
    dataDir = h.dataDir;
    await page.goto(h.launchUrl);
    await page.getByRole('status', { name: 'Mode' }).filter({ hasText: /Demo|Test|Live/ }).waitFor();
    const ms = performance.now() - t0;
    if (i === 0) firstStartMs = round(ms, 0);
    else samples.push(ms);
    await h.stop();
  }
  await browser.close();
  coldStartMs = round(percentile(samples, 50), 0);
}

console.log(
  JSON.stringify({
    bench: 'dispatch',
    method: 'settings.get',
    inprocess_calls: N,
    dispatch_only_p50_us: round(percentile(bare, 50) * 1000, 1),
    dispatch_only_p99_us: round(percentile(bare, 99) * 1000, 1),
    inprocess_p50_us: round(percentile(inproc, 50) * 1000, 1),
    inprocess_p99_us: round(percentile(inproc, 99) * 1000, 1),
    http_calls: HTTP_N,
    http_p50_ms: round(percentile(overHttp, 50)),
    http_p99_ms: round(percentile(overHttp, 99)),
    harness_first_start_with_seed_ms: firstStartMs,
    harness_cold_start_to_first_paint_ms: coldStartMs,
  }),
);
