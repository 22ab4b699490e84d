/**
 * Relay intake, for bench/relay.bench.ts (issue 17): PostgreSQL with one and two relay instances,
 * serial and 32 in flight, against SQLite measured the same way, with the relay's CPU per event,
 * PostgreSQL's (its backends and WAL writer, from /proc: procCpu.ts), the bench client's own, events
 * per batch, commits and WAL fsyncs per 1,000 events, and a control (two SQLite relays splitting the
 * load) that shows what splitting alone costs on shared cores. Every relay it starts is killed.
 *   RELAY_BENCH_PG_PHASES='[{"name":"x","instances":2,"tills":1000,"relayEnv":{…},"databaseSettings":{…}}]'
 *     replaces the PostgreSQL phases (variants measured interleaved, in the same run);
 *   RELAY_BENCH_INTAKE_EVENTS (4000), RELAY_BENCH_INTAKE_ROUNDS (3), RELAY_BENCH_INTAKE_WARMUP (6000 events per phase), RELAY_BENCH_NO_SERIAL, RELAY_BENCH_NO_SPLIT_CONTROL shorten a run;
 *   RELAY_BENCH_TERM=1 stops relays with SIGTERM first (for --cpu-prof in relayEnv.NODE_OPTIONS);
 *   RELAY_BENCH_PG_STATEMENTS=1 loads pg_stat_statements and reports, per PostgreSQL phase, each
 *     statement's calls and rows per 1,000 stored events (what a batch sends, whatever its source);
 *   RELAY_BENCH_PROFILE_DIR=dir profiles every relay (--cpu-prof into dir/<phase>/, implies TERM):
 *     summarise with `npx tsx bench/cpuProfileSummary.ts dir/<phase>`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ulid } from 'ulid';
import type { Client as PgClient } from 'pg';
import { openPostgresStore } from '../src/relay/store/postgres';
import { spawnRelay, type SpawnedRelay } from '../src/relay/testing/spawnRelay';
import { freePort } from '../test/support/freePort';
import { createDatabase, postgresUnavailableReason, startTempPostgres } from '../test/support/tempPostgres';
import { TEST_SECRET } from '../src/relay/testing/testRelay';
import { hashToken, newToken } from '../src/relay/tokens';
import { postgresCpuDelta, postgresProcesses, treeCounters, type ProcCounters } from './procCpu';
import { gauge, post, round, seedInstalls, signed } from './relayScale';

/** Sends `n` events spread round-robin over `ports`, `inflight` at once; returns events/s. */
async function intake(ports: number[], installs: string[], n: number, inflight: number): Promise<number> {
  const pre = Array.from({ length: n }, (_, i) => signed(installs[i % installs.length]!));
  const t0 = performance.now();
  let next = 0;
  const end = Date.now() + 180_000;
  await Promise.all(
    Array.from({ length: inflight }, async () => {
      while (next < n) {
        if (Date.now() > end) throw new Error('bench: intake deadline');
        const i = next++;
        const e = pre[i]!;
        const status = await post(ports[i % ports.length]!, e.body, e.sig);
        if (status !== 200) throw new Error(`bench: webhook answered ${status}`);
      }
    }),
  );
  return n / ((performance.now() - t0) / 1000);
}

/** `pg`: the cluster and database behind a PostgreSQL target, for its CPU and WAL figures. */
type Target = { name: string; ports: number[]; pids: number[]; installs: string[]; pg?: { postmasterPid: number; stats: PgStats; url: string } };

type WalCounters = { commits: number; walSync: number; walWrite: number; walBytes: number };
type PgStats = { read(): Promise<WalCounters>; close(): Promise<void> };

/**
 * Commits of one database and the cluster's WAL writes and syncs (pg_stat_wal counts every
 * process's fsyncs of the WAL). Backends publish their counters when idle, at most once a second:
 * read after the run has been idle that long.
 */
async function openPgStats(url: string): Promise<PgStats> {
  const { default: pgLib } = await import('pg');
  const c = new pgLib.Client({ connectionString: url });
  await c.connect();
  return {
    read: async () => {
      const r = await c.query<{ commits: string; wal_sync: string; wal_write: string; wal_bytes: string }>(
        `SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()) AS commits, wal_sync, wal_write, wal_bytes FROM pg_stat_wal`,
      );
      const row = r.rows[0]!;
      return { commits: Number(row.commits), walSync: Number(row.wal_sync), walWrite: Number(row.wal_write), walBytes: Number(row.wal_bytes) };
    },
    close: () => c.end(),
  };
}
const settle = () => new Promise((r) => setTimeout(r, 1100));
/** The relays' processes (each with the tsx wrapper above it) summed, from /proc. */
const relayCounters = (t: Target): ProcCounters =>
  t.pids.map(treeCounters).reduce((a, b) => ({ user: a.user + b.user, system: a.system + b.system, voluntary: a.voluntary + b.voluntary, involuntary: a.involuntary + b.involuntary }));
const sum = async (ports: number[], metric: string) => (await Promise.all(ports.map((p) => gauge(p, metric)))).reduce((a, b) => a + b, 0);

/** Serial intake through `t` with the relays' CPU per event (summed over its instances). */
async function serialFigures(t: Target, n: number) {
  await intake(t.ports, t.installs, 200, 8); // warm-up
  const c0 = relayCounters(t);
  const eps = await intake(t.ports, t.installs, n, 1);
  const c1 = relayCounters(t);
  return { serial_eps: Math.round(eps), relay_cpu_us_per_event_serial: Math.round(((c1.user + c1.system - c0.user - c0.system) * 1e6) / n) };
}

/**
 * One 32-in-flight run through `t`: events/s; CPU per event of the relays, of PostgreSQL's
 * backends and WAL writer (from /proc), and of this bench's own client (it shares the cores, so a
 * client costlier per event in one phase would skew the comparison); events per batch; commits and
 * WAL fsyncs per 1,000 events; and the load it ran under.
 */
async function parallelRun(t: Target, n: number) {
  if (t.pg) await settle();
  const w0 = await t.pg?.stats.read();
  // Scrapes (a /metrics render lists every install) stay outside the measured window: the relays'
  // CPU comes from /proc, with user and system time and their context switches apart.
  const b0 = await sum(t.ports, 'relay_ingest_batches_total');
  const f0 = await sum(t.ports, 'relay_wal_fsyncs_total');
  const p0 = t.pg ? postgresProcesses(t.pg.postmasterPid) : null;
  const r0 = relayCounters(t);
  const load = loadavg()[0]!;
  const own0 = process.cpuUsage();
  const eps = await intake(t.ports, t.installs, n, 32);
  const own = process.cpuUsage(own0);
  const r1 = relayCounters(t);
  const p1 = t.pg ? postgresProcesses(t.pg.postmasterPid) : null;
  const b1 = await sum(t.ports, 'relay_ingest_batches_total');
  const f1 = await sum(t.ports, 'relay_wal_fsyncs_total');
  const perEvent = (seconds: number) => Math.round((seconds * 1e6) / n);
  const out: RunFigures = {
    eps: Math.round(eps),
    cpu: perEvent(r1.user + r1.system - r0.user - r0.system),
    user: perEvent(r1.user - r0.user),
    sys: perEvent(r1.system - r0.system),
    wakes: round((r1.voluntary - r0.voluntary) / n),
    preempted: round((r1.involuntary - r0.involuntary) / n),
    client: perEvent((own.user + own.system) / 1e6),
    perBatch: round(n / Math.max(1, b1 - b0)),
    load: round(load),
  };
  // SQLite: the relays' own fsyncs of their WAL (one covers every commit before it).
  if (!t.pg && f0 >= 0) out.walSyncPer1k = round(((f1 - f0) * 1000) / n);
  if (t.pg && p0 && p1 && w0) {
    const d = postgresCpuDelta(p0, p1);
    await settle();
    const w1 = await t.pg.stats.read();
    Object.assign(out, {
      pgBackend: perEvent(d.backend),
      pgWalWriter: perEvent(d.walwriter),
      pgOther: perEvent(d.other),
      commitsPer1k: round(((w1.commits - w0.commits) * 1000) / n),
      walSyncPer1k: round(((w1.walSync - w0.walSync) * 1000) / n),
      walWritePer1k: round(((w1.walWrite - w0.walWrite) * 1000) / n),
      walBytesPerEvent: Math.round((w1.walBytes - w0.walBytes) / n),
    });
  }
  return out;
}

type RunFigures = {
  eps: number;
  cpu: number;
  user: number;
  sys: number;
  wakes: number;
  preempted: number;
  client: number;
  perBatch: number;
  load: number;
  pgBackend?: number;
  pgWalWriter?: number;
  pgOther?: number;
  commitsPer1k?: number;
  walSyncPer1k?: number;
  walWritePer1k?: number;
  walBytesPerEvent?: number;
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * The 32-in-flight runs of every target interleaved, `rounds` times (S, P1, P2, S, P1, P2, …), so
 * each store sees the same load on a shared machine; medians plus every run with its load average.
 */
async function interleaved(targets: Target[], n: number, rounds: number) {
  const runs = new Map<string, Awaited<ReturnType<typeof parallelRun>>[]>(targets.map((t) => [t.name, []]));
  // Warm-up: V8 optimises the relay's hot code only after thousands of events per process, and
  // each of two relays sees half of them; measured before that, the first rounds cost up to twice
  // as much per event (JIT compilation and unoptimised code) and more so with two relays.
  const warm = Number(process.env.RELAY_BENCH_INTAKE_WARMUP ?? 6000);
  for (const t of targets) await intake(t.ports, t.installs, warm, 32);
  for (let r = 0; r < rounds; r++) for (const t of targets) runs.get(t.name)!.push(await parallelRun(t, n));
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, rs] of runs) {
    const med = (k: keyof RunFigures) => (rs[0]![k] === undefined ? undefined : median(rs.map((x) => x[k]!)));
    out[name] = {
      inflight32_eps: med('eps'),
      relay_cpu_us_per_event_32: med('cpu'),
      relay_user_sys_us_per_event_32: `${med('user')}+${med('sys')}`,
      relay_wakes_per_event_32: med('wakes'),
      relay_preemptions_per_event_32: med('preempted'),
      pg_backend_cpu_us_per_event_32: med('pgBackend'),
      pg_walwriter_cpu_us_per_event_32: med('pgWalWriter'),
      pg_other_cpu_us_per_event_32: med('pgOther'),
      bench_client_cpu_us_per_event_32: med('client'),
      events_per_batch_32: med('perBatch'),
      commits_per_1k_events_32: med('commitsPer1k'),
      wal_fsyncs_per_1k_events_32: med('walSyncPer1k'),
      wal_writes_per_1k_events_32: med('walWritePer1k'),
      wal_bytes_per_event_32: med('walBytesPerEvent'),
      inflight32_runs: rs.map((x) => `${x.eps}@load${x.load}:${x.cpu}us`),
    };
    // What decides the rate on these shared cores: every process's CPU per event, summed, and the
    // events/s two fully used cores would give at that cost. PostgreSQL's share of it says how much
    // a separate database machine would free; the relays' share what each added relay machine brings.
    const relay = out[name].relay_cpu_us_per_event_32 as number;
    const pgCpu = ((out[name].pg_backend_cpu_us_per_event_32 as number | undefined) ?? 0) + ((out[name].pg_walwriter_cpu_us_per_event_32 as number | undefined) ?? 0) + ((out[name].pg_other_cpu_us_per_event_32 as number | undefined) ?? 0);
    const total = relay + pgCpu + (out[name].bench_client_cpu_us_per_event_32 as number);
    out[name].all_cpu_us_per_event_32 = total;
    out[name].cpu_bound_eps_on_2_cores = Math.round(2e6 / Math.max(1, total));
    if (pgCpu > 0) out[name].postgres_share_of_cpu_pct = Math.round((pgCpu * 100) / total);
  }
  return out;
}

async function withClient<T>(url: string, fn: (c: PgClient) => Promise<T>): Promise<T> {
  const { default: pgLib } = await import('pg');
  const c = new pgLib.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Every statement the relays sent to one database, as "calls / rows per 1,000 stored events  query…". */
async function statementCounts(url: string): Promise<string[]> {
  return withClient(url, async (c) => {
    const events = Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n);
    const r = await c.query<{ calls: string; rows: string; q: string }>(
      `SELECT calls, rows, regexp_replace(left(query, 70), '\\s+', ' ', 'g') AS q FROM pg_stat_statements
       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND calls * 1000 >= $1 ORDER BY calls DESC LIMIT 12`,
      [events],
    );
    const per = (x: string) => Math.round((Number(x) * 1000 * 10) / Math.max(1, events)) / 10;
    return r.rows.map((row) => `${per(row.calls)} calls / ${per(row.rows)} rows  ${row.q}`);
  });
}

/** N installs inserted into a PostgreSQL relay database in one statement (setup, not measured). */
async function seedPostgresInstalls(url: string, n: number): Promise<string[]> {
  await (await openPostgresStore({ connectionString: url })).close(); // migrate
  const { default: pgLib } = await import('pg');
  const c = new pgLib.Client({ connectionString: url });
  await c.connect();
  try {
    const ids = Array.from({ length: n }, () => ulid());
    await c.query(
      `INSERT INTO installs (id, name, location_id, token_hash, created_at)
       SELECT u.id, 'Till ' || u.id, NULL, u.h, $3 FROM unnest($1::text[], $2::text[]) AS u(id, h)`,
      [ids, ids.map(() => hashToken(newToken('install'))), Date.now()],
    );
    return ids;
  } finally {
    await c.end();
  }
}

/**
 * A PostgreSQL phase: `instances` relays on one database of the shared cluster with `tills`
 * installs. `relayEnv` and `databaseSettings` (ALTER DATABASE … SET, e.g. commit_delay) let a
 * variant be measured interleaved with the others, under the same load.
 */
export type PgPhase = { name: string; instances: number; tills: number; relayEnv?: Record<string, string>; databaseSettings?: Record<string, string> };

/**
 * SQLite (one relay) and PostgreSQL (one and two relays on one durable cluster), same load, events
 * spread over `tills` installs (chain scale: 1,000). With two instances and few tills, concurrent
 * batches often touch the same till and wait for its row (that wait is what keeps each till's order);
 * `postgres_2_20_tills` shows that case. `RELAY_BENCH_PG_PHASES` (a JSON list of PgPhase) replaces
 * the PostgreSQL phases, to compare variants in one run.
 */
export async function intakeComparison(tills = 1000, rounds = Number(process.env.RELAY_BENCH_INTAKE_ROUNDS ?? 3)): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { tills, rounds };
  const relays: SpawnedRelay[] = [];
  const stats: PgStats[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'relay-intake-'));
  const kill = async () => {
    for (const r of relays.splice(0)) {
      // SIGTERM when profiling (--cpu-prof writes its file on a clean exit), then SIGKILL.
      if (process.env.RELAY_BENCH_TERM || profileDir) {
        r.kill('SIGTERM');
        await Promise.race([r.exited, new Promise((ok) => setTimeout(ok, 5000))]);
      }
      r.kill('SIGKILL');
      await r.exited;
    }
  };
  const env = { RELAY_WEBHOOK_SECRETS: TEST_SECRET, RELAY_MAX_UNACKED: '10000000' };
  const profileDir = process.env.RELAY_BENCH_PROFILE_DIR;
  /** NODE_OPTIONS that profile the relays of one phase into a folder of their own. */
  const profiled = (phase: string): Record<string, string> => {
    if (!profileDir) return {};
    const d = join(profileDir, phase);
    mkdirSync(d, { recursive: true });
    return { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${d}` };
  };
  const phases: PgPhase[] = process.env.RELAY_BENCH_PG_PHASES
    ? (JSON.parse(process.env.RELAY_BENCH_PG_PHASES) as PgPhase[])
    : [
        { name: 'postgres_1', instances: 1, tills },
        { name: 'postgres_2', instances: 2, tills },
        { name: 'postgres_2_20_tills', instances: 2, tills: 20 },
        // One relay with batches as small as two relays make (no fill window, a batch per free
        // slot): the relay's CPU per batch, apart from what splitting the load over two costs.
        { name: 'postgres_1_small_batches', instances: 1, tills, relayEnv: { RELAY_INGEST_WAIT_MS: '0', RELAY_INGEST_CONCURRENT_AT: '1', RELAY_INGEST_IN_FLIGHT: '8' } },
      ];
  let pg: Awaited<ReturnType<typeof startTempPostgres>> | null = null;
  try {
    const targets: Target[] = [];
    const sp = await freePort();
    const sqliteTills = (await seedInstalls(dir, tills)).map((t) => t.id);
    relays.push(await spawnRelay({ ...env, ...profiled('sqlite_1'), RELAY_PORT: String(sp), RELAY_DATA_DIR: dir }));
    targets.push({ name: 'sqlite_1', ports: [sp], pids: [relays[0]!.pid], installs: sqliteTills });
    if (!process.env.RELAY_BENCH_NO_SPLIT_CONTROL) {
      // Control, not a deployment: two SQLite relays, each with its own file and the same tills,
      // webhooks split over them as over two PostgreSQL instances. What the relays' CPU per event
      // does here is the cost of splitting the same load over two processes on these two cores.
      const dir2 = join(dir, 'second');
      mkdirSync(dir2);
      const seeded = await seedInstalls(dir2, tills);
      const sp2 = await freePort();
      relays.push(await spawnRelay({ ...env, ...profiled('sqlite_2_split_control'), RELAY_PORT: String(sp2), RELAY_DATA_DIR: dir2 }));
      // Round robin over the ports: even indexes go to the first relay, odd to the second; each
      // relay's half uses its own file's tills (same count as the others: `tills` per relay).
      const mixed = sqliteTills.flatMap((t, i) => [t, seeded[i]!.id]);
      targets.push({ name: 'sqlite_2_split_control', ports: [sp, sp2], pids: [relays[0]!.pid, relays[1]!.pid], installs: mixed });
    }
    const why = postgresUnavailableReason();
    if (why) out.postgres = `skipped: ${why}`;
    else {
      const statements = !!process.env.RELAY_BENCH_PG_STATEMENTS;
      pg = await startTempPostgres({ durable: true, ...(statements && { settings: { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all' } }) });
      for (const [i, phase] of phases.entries()) {
        const url = await createDatabase(pg.url, `relay_bench_${i}_${process.pid}`);
        const ids = await seedPostgresInstalls(url, phase.tills);
        const settings = Object.entries(phase.databaseSettings ?? {});
        if (settings.length > 0) {
          const { default: pgLib } = await import('pg');
          const c = new pgLib.Client({ connectionString: url });
          await c.connect();
          for (const [k, v] of settings) await c.query(`ALTER DATABASE ${`relay_bench_${i}_${process.pid}`} SET ${k.replace(/[^a-z_]/g, '')} = '${v.replace(/'/g, '')}'`);
          await c.end();
        }
        const ports = await Promise.all(Array.from({ length: phase.instances }, () => freePort()));
        const pids: number[] = [];
        for (const p of ports) {
          const r = await spawnRelay({ ...env, ...profiled(phase.name), ...phase.relayEnv, RELAY_PORT: String(p), RELAY_DATABASE_URL: url });
          relays.push(r);
          pids.push(r.pid);
        }
        if (statements) await withClient(url, (c) => c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements'));
        const s = await openPgStats(url);
        stats.push(s);
        targets.push({ name: phase.name, ports, pids, installs: ids, pg: { postmasterPid: pg.postmasterPid(), stats: s, url } });
      }
      out.postgres_durable = true; // fsync on, synchronous_commit on: same guarantee as the SQLite relay
      if (process.env.RELAY_BENCH_PG_PHASES) out.postgres_phases = phases;
    }
    const par = await interleaved(targets, Number(process.env.RELAY_BENCH_INTAKE_EVENTS ?? 4000), rounds);
    for (const t of targets) out[t.name] = { ...(process.env.RELAY_BENCH_NO_SERIAL ? {} : await serialFigures(t, 1000)), ...par[t.name] };
    if (process.env.RELAY_BENCH_PG_STATEMENTS)
      for (const t of targets.filter((x) => x.pg))
        (out[t.name] as Record<string, unknown>).statements_per_1k_events = await statementCounts(t.pg!.url);
    return out;
  } finally {
    await kill();
    for (const s of stats) await s.close().catch(() => {});
    if (pg) await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
