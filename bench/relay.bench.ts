/**
 * Relay end to end on loopback: signed POST → relay (its own process, SQLite) → SSE → the
 * stream client → the app's real event applier (services/sync/stripeEventApplier) committing
 * into a migrated till database. Then the relay at scale (relayScale.ts): fan-out to 1,000 and
 * 10,000 streams, and intake on SQLite vs PostgreSQL (one and two instances). Prints ONE JSON line.
 *   npx tsx bench/relay.bench.ts
 * Every phase has a deadline; the relay process group is killed in `finally`.
 */
import Fastify from 'fastify';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/main/db/connection';
import { migrate } from '../src/main/db/migrate';
import { MIGRATIONS } from '../src/main/db/migrations';
import { createStripeEventApplier } from '../src/main/services/sync/stripeEventApplier';
import { createStreamClient, type RelayEvent, type StreamClient } from '../src/main/services/sync/streamClient';
import { fanOut } from './relayScale';
import { intakeComparison } from './relayIntake';
import { openSqliteStore } from '../src/relay/store/sqlite';
import { spawnRelay, type SpawnedRelay } from '../src/relay/testing/spawnRelay';
import { freePort } from '../test/support/freePort';
import { addTestInstall, TEST_SECRET } from '../src/relay/testing/testRelay';
import { makeEvent, signatureHeader } from '../src/relay/testing/webhooks';

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function post(port: number, path: string, body: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

let counter = 0;
/** A realistic body: Stripe sends ~1.5–3 KB pretty-printed JSON. */
function signedEvent(installId: string): { id: string; body: string; sig: string } {
  const id = `evt_bench_${(counter++).toString(36).padStart(8, '0')}`;
  const body = JSON.stringify(makeEvent({ id, installId, padTo: 1500 }), null, 2);
  return { id, body, sig: signatureHeader(body, TEST_SECRET) };
}

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 100) / 100;
};
const round = (x: number) => Math.round(x * 10) / 10;

async function until(pred: () => boolean, ms: number, what: string) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/**
 * Sends `n` events with `inflight` concurrent POSTs; resolves when all got a 2xx. With `presigned`,
 * bodies are built and signed before the clock starts (that work is Stripe's, not ours).
 */
async function blast(port: number, installId: string, n: number, inflight: number, sentAt?: Map<string, number>, deadlineMs = 120_000, presigned?: ReturnType<typeof signedEvent>[]): Promise<number> {
  const started = performance.now();
  const end = Date.now() + deadlineMs;
  let next = 0;
  const worker = async () => {
    while (next < n) {
      if (Date.now() > end) throw new Error('bench: blast deadline');
      const e = presigned?.[next] ?? signedEvent(installId);
      next++;
      sentAt?.set(e.id, performance.now());
      const status = await post(port, '/stripe/webhook', e.body, { 'stripe-signature': e.sig });
      if (status !== 200) throw new Error(`bench: webhook answered ${status}`);
    }
  };
  await Promise.all(Array.from({ length: inflight }, worker));
  return performance.now() - started;
}

/** The app's own applier on a migrated till database: what a till really does per event. */
function createRealApplier(path: string) {
  const db = openDatabase(path);
  migrate(db, MIGRATIONS);
  // No payments or refunds capability on a bare database: every event is recorded only (no payment of ours matches).
  const applier = createStripeEventApplier(db, 'bench-install', () => new Date(), { payment: () => null, refund: () => null });
  const countStmt = db.prepare('SELECT count(*) FROM stripe_events').pluck();
  let onCommitted: ((batch: readonly RelayEvent[]) => void) | null = null;
  return {
    apply: (batch: readonly RelayEvent[], upTo: number) => {
      applier.apply('relay', batch, upTo);
      onCommitted?.(batch);
    },
    loadCursor: () => applier.cursor('relay'),
    set onCommitted(fn: ((batch: readonly RelayEvent[]) => void) | null) {
      onCommitted = fn;
    },
    count: () => countStmt.get() as number,
    close: () => db.close(),
  };
}
type RealApplier = ReturnType<typeof createRealApplier>;

async function relayGauge(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const m = new RegExp(`^${name} ([0-9.e+]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : -1;
}
const relayRssMb = async (port: number) => round((await relayGauge(port, 'process_resident_memory_bytes')) / 1024 / 1024);

/** Raw-body POST handling, fastify vs node:http, same load: is fastify's overhead worth worrying about? */
async function frameworkOverhead(): Promise<{ fastify_rps: number; node_http_rps: number }> {
  const body = signedEvent('X').body;
  const measure = async (port: number) => {
    const n = 8000;
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next++ < n) await post(port, '/stripe/webhook', body);
      }),
    );
    return Math.round(n / ((performance.now() - t0) / 1000));
  };
  const app = Fastify({ logger: false });
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 1 << 20 }, (_r, b, done) => done(null, b));
    scope.post('/stripe/webhook', async (req) => ({ received: (req.body as Buffer).length > 0 }));
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const fastifyRps = await measure((app.server.address() as { port: number }).port);
  await app.close();
  const plain = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ received: Buffer.concat(chunks).length > 0 }));
    });
  });
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
  const nodeRps = await measure((plain.address() as { port: number }).port);
  await new Promise<void>((r) => plain.close(() => r()));
  return { fastify_rps: fastifyRps, node_http_rps: nodeRps };
}

/** `RELAY_BENCH_ONLY=intake` or `=fanout`: one scale phase alone (to compare a change under the same load). */
async function only(phase: string) {
  const out: Record<string, unknown> = { bench: 'relay', only: phase, cpus: cpus().length, loadavg_1m_start: round(loadavg()[0]!) };
  if (phase === 'intake') out.intake = await intakeComparison();
  else if (phase === 'fanout') out.fanout_10k = await fanOut(10_000, 20);
  else throw new Error(`bench: unknown RELAY_BENCH_ONLY=${phase}`);
  out.loadavg_1m_end = round(loadavg()[0]!);
  agent.destroy();
  process.stdout.write(JSON.stringify(out) + '\n');
}

async function main() {
  if (process.env.RELAY_BENCH_ONLY) return only(process.env.RELAY_BENCH_ONLY);
  const dir = mkdtempSync(join(tmpdir(), 'relay-bench-'));
  let relay: SpawnedRelay | null = null;
  const clients: StreamClient[] = [];
  const appliers: RealApplier[] = [];
  // The machine is shared: the load average says how much of it the figures had.
  const out: Record<string, unknown> = { bench: 'relay', store: 'sqlite', transport: 'sse', cpus: cpus().length, loadavg_1m_start: round(loadavg()[0]!) };
  try {
    const setup = openSqliteStore({ path: join(dir, 'relay.sqlite') });
    const live = await addTestInstall(setup, 'live');
    const backlog = await addTestInstall(setup, 'backlog');
    const retained = await addTestInstall(setup, 'retained');
    await setup.close();
    const port = await freePort();
    relay = await spawnRelay({
      RELAY_PORT: String(port),
      RELAY_DATA_DIR: dir,
      RELAY_WEBHOOK_SECRETS: TEST_SECRET,
      RELAY_MAX_UNACKED: '1000000',
    });
    const base = `http://127.0.0.1:${port}`;
    out.rss_mb_idle = await relayRssMb(port);

    const startClient = (token: string, file: string) => {
      const applier = createRealApplier(join(dir, file));
      appliers.push(applier);
      const c = createStreamClient({ baseUrl: base, token, apply: applier.apply, loadCursor: applier.loadCursor, ackEveryMs: 200 });
      clients.push(c);
      c.start();
      return { c, applier };
    };

    // 1. Latency at a steady 100 events/s for 5 s.
    const liveClient = startClient(live.token, 'till-live.sqlite');
    await until(() => liveClient.c.state.state === 'live', 10_000, 'client live');
    const sentAt = new Map<string, number>();
    const e2e: number[] = [];
    liveClient.applier.onCommitted = (batch) => {
      const t = performance.now();
      for (const e of batch) {
        const s = sentAt.get(e.event.id);
        if (s !== undefined) e2e.push(t - s);
      }
    };
    const postLat: number[] = [];
    const n100 = 500;
    const t0 = performance.now();
    const sends: Promise<void>[] = [];
    for (let i = 0; i < n100; i++) {
      const due = t0 + i * 10;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const e = signedEvent(live.id);
      const s = performance.now();
      sentAt.set(e.id, s);
      sends.push(post(port, '/stripe/webhook', e.body, { 'stripe-signature': e.sig }).then(() => void postLat.push(performance.now() - s)));
    }
    await Promise.all(sends);
    await until(() => e2e.length >= n100, 10_000, 'steady events committed');
    out.steady_100eps = { n: n100, e2e_p50_ms: pct(e2e, 50), e2e_p99_ms: pct(e2e, 99), e2e_max_ms: pct(e2e, 100), post_p50_ms: pct(postLat, 50), post_p99_ms: pct(postLat, 99) };

    // 2. Maximum sustained rate: 20,000 events with 64 webhooks in flight, until the till committed them all.
    e2e.length = 0;
    const nMax = 20_000;
    const presigned = Array.from({ length: nMax }, () => signedEvent(live.id));
    const before = liveClient.applier.count();
    const relayCpu0 = await relayGauge(port, 'process_cpu_seconds_total');
    const batches0 = await relayGauge(port, 'relay_ingest_batches_total');
    const benchCpu0 = process.cpuUsage();
    const tMax = performance.now();
    const postMs = await blast(port, live.id, nMax, 64, sentAt, 120_000, presigned);
    presigned.length = 0;
    await until(() => liveClient.applier.count() >= before + nMax, 60_000, 'max-rate events committed');
    const e2eMs = performance.now() - tMax;
    const relayCpu = (await relayGauge(port, 'process_cpu_seconds_total')) - relayCpu0;
    const batches = (await relayGauge(port, 'relay_ingest_batches_total')) - batches0;
    const benchCpu = process.cpuUsage(benchCpu0);
    out.max_sustained = {
      // Share of one core each process used: shows which side limited the rate.
      relay_cpu_pct: Math.round((relayCpu / (e2eMs / 1000)) * 100),
      bench_cpu_pct: Math.round(((benchCpu.user + benchCpu.system) / 1e3 / e2eMs) * 100),
      relay_cpu_us_per_event: Math.round((relayCpu * 1e6) / nMax),
      events_per_commit: round(nMax / batches),
      n: nMax,
      ingest_eps: Math.round(nMax / (postMs / 1000)),
      end_to_end_eps: Math.round(nMax / (e2eMs / 1000)),
      e2e_p50_ms: pct(e2e, 50),
      e2e_p99_ms: pct(e2e, 99),
    };
    liveClient.applier.onCommitted = null;

    // 3. Catch-up: 10,000 events stored while the till was away, then it connects.
    await blast(port, backlog.id, 10_000, 64);
    const tCatch = performance.now();
    const backlogClient = startClient(backlog.token, 'till-backlog.sqlite');
    await until(() => backlogClient.applier.count() >= 10_000, 60_000, 'backlog caught up');
    out.catchup_10k_ms = Math.round(performance.now() - tCatch);

    // 4. Memory with 100,000 retained (unacknowledged) events, and after streaming them all.
    await blast(port, retained.id, 100_000, 64, undefined, 180_000);
    out.rss_mb_100k_retained = await relayRssMb(port);
    const tBig = performance.now();
    const retainedClient = startClient(retained.token, 'till-retained.sqlite');
    await until(() => retainedClient.applier.count() >= 100_000, 120_000, '100k caught up');
    out.catchup_100k_ms = Math.round(performance.now() - tBig);
    out.rss_mb_after_streaming_100k = await relayRssMb(port);
    out.bench_rss_mb = round(process.memoryUsage().rss / 1024 / 1024);
    const wal = statSync(join(dir, 'relay.sqlite-wal'), { throwIfNoEntry: false })?.size ?? 0;
    out.db_mb = round((statSync(join(dir, 'relay.sqlite')).size + wal) / 1024 / 1024);
    out.events_total = counter;

    await Promise.all(clients.map((c) => c.stop()));
    clients.length = 0;
    relay.kill('SIGTERM');
    await relay.exited;
    relay = null;

    out.framework = await frameworkOverhead();
    out.applier = 'services/sync/stripeEventApplier';
    // Fan-out at 100 events/s over 20 s (more than one 15 s heartbeat interval).
    out.fanout_1k = await fanOut(1000, 20);
    out.fanout_10k = await fanOut(10_000, 20);
    out.intake = await intakeComparison();
    out.loadavg_1m_end = round(loadavg()[0]!);
  } finally {
    await Promise.all(clients.map((c) => c.stop()));
    for (const a of appliers) a.close();
    if (relay) {
      relay.kill('SIGKILL');
      await relay.exited;
    }
    agent.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

const guard = setTimeout(() => {
  process.stderr.write('bench: overall deadline (15 min) reached\n');
  process.exit(1);
}, 15 * 60_000);
guard.unref();
main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
