/**
 * The relay process's own CPU per store batch, in-process and without HTTP (issue 17): batches of
 * 1, 4, 16 and 32 events through `store.ingest`, one after another, on SQLite and on durable
 * PostgreSQL, 1,000 tills, Stripe-sized bodies. Fits CPU per batch = fixed + per-event × size
 * (user and system time apart: system time is the syscalls, loopback TCP included), so the cost
 * a batch carries whatever its size can be compared between stores. One JSON line.
 *   npx tsx bench/relayBatchCost.bench.ts            (RELAY_BATCH_COST_BATCHES: batches per size, 150)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { routeHints } from '../src/relay/route';
import { openPostgresStore } from '../src/relay/store/postgres';
import { openSqliteStore } from '../src/relay/store/sqlite';
import type { IncomingEvent, RelayStore } from '../src/relay/store/types';
import { TEST_SECRET } from '../src/relay/testing/testRelay';
import { makeEvent, signatureHeader } from '../src/relay/testing/webhooks';
import { hashToken, newToken } from '../src/relay/tokens';
import { createDatabase, postgresUnavailableReason, startTempPostgres } from '../test/support/tempPostgres';
import { seedInstalls } from './relayScale';

const SIZES = [1, 4, 16, 32];
let counter = 0;

function incoming(installId: string): IncomingEvent {
  const id = `evt_cost_${(counter++).toString(36).padStart(8, '0')}`;
  const event = makeEvent({ id, installId, padTo: 1500 });
  const payload = JSON.stringify(event, null, 2);
  return { id, type: String(event.type), created: Number(event.created), payload, signature: signatureHeader(payload, TEST_SECRET), hints: routeHints(event), source: 'webhook' };
}

/** Least-squares line through (size, µs per batch): [fixed µs per batch, µs per event]. */
function fit(points: [number, number][]): [number, number] {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  const b = points.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0) / points.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  return [Math.round(my - b * mx), Math.round(b)];
}

/** CPU µs (user, system) per batch at each size, sizes interleaved so load changes hit all alike. */
async function measure(store: RelayStore, tills: string[], batches: number) {
  const sums = new Map<number, { user: number; system: number; n: number }>(SIZES.map((s) => [s, { user: 0, system: 0, n: 0 }]));
  for (let i = 0; i < 20; i++) await store.ingest(Array.from({ length: 8 }, () => incoming(tills[counter % tills.length]!)), Date.now()); // warm-up
  for (let r = 0; r < batches; r++)
    for (const size of SIZES) {
      const events = Array.from({ length: size }, () => incoming(tills[counter % tills.length]!));
      const c0 = process.cpuUsage();
      await store.ingest(events, Date.now());
      const c = process.cpuUsage(c0);
      const s = sums.get(size)!;
      s.user += c.user;
      s.system += c.system;
      s.n += 1;
    }
  const per = SIZES.map((size) => {
    const s = sums.get(size)!;
    return { size, user: Math.round(s.user / s.n), system: Math.round(s.system / s.n) };
  });
  const [fixed, perEvent] = fit(per.map((p) => [p.size, p.user + p.system]));
  const [fixedSys] = fit(per.map((p) => [p.size, p.system]));
  return { cpu_us_per_batch: Object.fromEntries(per.map((p) => [p.size, `${p.user}+${p.system}`])), fixed_us_per_batch: fixed, of_which_system: fixedSys, us_per_event: perEvent };
}

async function seedPg(url: string, n: number): Promise<string[]> {
  await (await openPostgresStore({ connectionString: url })).close(); // migrate
  const { default: pgLib } = await import('pg');
  const c = new pgLib.Client({ connectionString: url });
  await c.connect();
  const ids = Array.from({ length: n }, () => ulid());
  await c.query(`INSERT INTO installs (id, name, location_id, token_hash, created_at) SELECT u.id, 'Till ' || u.id, NULL, u.h, $3 FROM unnest($1::text[], $2::text[]) AS u(id, h)`, [
    ids,
    ids.map(() => hashToken(newToken('install'))),
    Date.now(),
  ]);
  await c.end();
  return ids;
}

async function main() {
  const batches = Number(process.env.RELAY_BATCH_COST_BATCHES ?? 150);
  const out: Record<string, unknown> = { bench: 'relay_batch_cost', batches_per_size: batches, load_start: loadavg()[0] };
  const dir = mkdtempSync(join(tmpdir(), 'relay-cost-'));
  let pg: Awaited<ReturnType<typeof startTempPostgres>> | null = null;
  try {
    const tills = (await seedInstalls(dir, 1000)).map((t) => t.id);
    const sqlite = openSqliteStore({ path: join(dir, 'relay.sqlite') });
    out.sqlite = await measure(sqlite, tills, batches);
    await sqlite.close();
    const why = postgresUnavailableReason();
    if (why) out.postgres = `skipped: ${why}`;
    else {
      pg = await startTempPostgres({ durable: true });
      const url = await createDatabase(pg.url, `relay_cost_${process.pid}`);
      const ids = await seedPg(url, 1000);
      const store = await openPostgresStore({ connectionString: url });
      const unwatch = store.watch(() => {}); // LISTEN, as a serving relay has: installs are cached
      const end = Date.now() + 10_000;
      while (!store.listening() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      out.postgres = await measure(store, ids, batches);
      unwatch();
      await store.close();
    }
    out.load_end = loadavg()[0];
    console.log(JSON.stringify(out));
  } finally {
    if (pg) await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
