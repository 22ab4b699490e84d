import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { CHANNEL, createNotifier, createPostgresIngest, noticeText, type ActiveInstalls, type Notice } from './postgresIngest';
import { toInstall, type InstallDbRow } from './installRow';
import type { RelayLogger } from '../log';
import { migratePostgres } from './migrations/postgresMigrations';
import type {
  AssignResult,
  DeliveryRow,
  InstallStats,
  RelayStore,
  StoreChange,
  StoredDelivery,
  UnassignedRow,
} from './types';

export type PostgresStoreOptions = {
  connectionString: string;
  poolSize?: number;
  logger?: RelayLogger;
  /** Most ms a wake-up NOTIFY waits to carry more batches' installs (see createNotifier). */
  notifyGatherMs?: number;
  /** Answer webhooks only once their NOTIFY was sent (the behaviour before; kept to compare in the bench). */
  awaitNotify?: boolean;
};

export const DEFAULT_NOTIFY_GATHER_MS = 2;

/** BIGINT (oid 20) as a JS number: seqs and unix-ms times stay far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const RETRYABLE = new Set(['40P01', '40001']); // deadlock, serialization failure

/** Gives seqs and writes the deliveries; `numbers` maps event ids to their local numbers (looked up when missing). */
async function seqsFor(
  c: pg.PoolClient,
  planned: readonly { installId: string; eventId: string }[],
  now: number,
  numbers: Map<string, number> = new Map(),
): Promise<StoredDelivery[]> {
  if (planned.length === 0) return [];
  const missing = [...new Set(planned.map((d) => d.eventId).filter((id) => !numbers.has(id)))];
  if (missing.length > 0) {
    const r = await c.query<{ no: number; id: string }>('SELECT no, id FROM events WHERE id = ANY($1)', [missing]);
    for (const row of r.rows) numbers.set(row.id, row.no);
  }
  const counts = new Map<string, number>();
  for (const d of planned) counts.set(d.installId, (counts.get(d.installId) ?? 0) + 1);
  const ids = [...counts.keys()].sort();
  // Row locks on the installs involved, in id order, held until commit: an install's seqs become
  // visible strictly in order, and two transactions never wait on each other in a cycle.
  await c.query('SELECT id FROM installs WHERE id = ANY($1) ORDER BY id FOR UPDATE', [ids]);
  const { rows } = await c.query<{ id: string; last_seq: number; acked_seq: number }>(
    `UPDATE installs AS i SET last_seq = i.last_seq + u.n
     FROM unnest($1::text[], $2::bigint[]) AS u(id, n) WHERE i.id = u.id
     RETURNING i.id, i.last_seq, i.acked_seq`,
    [ids, ids.map((id) => counts.get(id)!)],
  );
  const next = new Map<string, { seq: number; acked: number }>();
  for (const r of rows) next.set(r.id, { seq: r.last_seq - counts.get(r.id)! + 1, acked: r.acked_seq });
  const out: StoredDelivery[] = [];
  for (const d of planned) {
    const n = next.get(d.installId);
    if (!n) continue; // install vanished: cannot happen with the FK, kept for the type checker
    out.push({ installId: d.installId, eventId: d.eventId, seq: n.seq, unacked: n.seq - n.acked });
    n.seq += 1;
  }
  await c.query(
    `INSERT INTO deliveries (install_id, seq, event_no, created_at)
     SELECT u.i, u.s, u.e, $4 FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS u(i, s, e)`,
    [out.map((d) => d.installId), out.map((d) => d.seq), out.map((d) => numbers.get(d.eventId)!), now],
  );
  return out;
}

async function notify(c: pg.PoolClient | pg.Pool, notice: Notice): Promise<void> {
  await c.query('SELECT pg_notify($1, $2)', [CHANNEL, noticeText(notice)]);
}

/** The shared store for several relay instances behind a load balancer. */
export async function openPostgresStore(opts: PostgresStoreOptions): Promise<RelayStore & { listening(): boolean }> {
  // Generic plans for the relay's own connections: its statements have one shape (arrays in, no
  // skewed constants), and re-planning the batch statement per execution costs PostgreSQL CPU per batch.
  const pool = new pg.Pool({ connectionString: opts.connectionString, max: opts.poolSize ?? 10, types, options: '-c plan_cache_mode=force_generic_plan -c random_page_cost=1.1' });
  pool.on('error', (err) => opts.logger?.warn('relay.pg.pool_error', { message: err.message }));
  await migratePostgres(pool);

  const tx = async <T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const out = await fn(c);
        await c.query('COMMIT');
        return out;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => {});
        const code = (err as { code?: string }).code;
        if (attempt < 4 && code && RETRYABLE.has(code)) {
          opts.logger?.warn('relay.pg.retry', { code, attempt });
          await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
          continue;
        }
        throw err;
      } finally {
        c.release();
      }
    }
  };

  // Active installs, cached while the LISTEN connection is up (every change to installs sends a
  // NOTIFY); read per batch otherwise. A just-added install may be unknown to another instance
  // for the few ms its NOTIFY takes: such an event waits in the unassigned queue (admin assigns).
  let installCache: ActiveInstalls | null = null;
  let cacheValid = false;
  let cacheGeneration = 0;
  const readInstalls = async () => {
    const rows = (await pool.query<{ id: string; location_id: string | null }>('SELECT id, location_id FROM installs WHERE revoked_at IS NULL ORDER BY id')).rows;
    const byLocation = new Map<string, string[]>();
    for (const r of rows) if (r.location_id) byLocation.set(r.location_id, [...(byLocation.get(r.location_id) ?? []), r.id]);
    return { active: new Set(rows.map((r) => r.id)), byLocation };
  };
  const activeInstalls = async () => {
    if (cacheValid && installCache) return installCache;
    const generation = cacheGeneration;
    const fresh = await readInstalls();
    // Only keep it when a listener will tell us about changes, and none came while reading.
    if (listenerReady && generation === cacheGeneration) {
      installCache = fresh;
      cacheValid = true;
    }
    return fresh;
  };
  const invalidateInstalls = () => {
    cacheGeneration += 1;
    cacheValid = false;
    installCache = null;
  };

  // Names this store in its ingest notices: its own streams already had those deliveries pushed
  // (server.ts onCommitted), so hearing its own notice back would only make them read the store again.
  const origin = randomUUID();
  const onNotifyError = (err: Error) => opts.logger?.warn('relay.pg.notify_failed', { message: err.message });
  const notifyDeliveries = createNotifier(pool, onNotifyError, opts.notifyGatherMs ?? DEFAULT_NOTIFY_GATHER_MS, origin);
  const ingestBatch = createPostgresIngest(pool, activeInstalls, notifyDeliveries, { awaitNotify: opts.awaitNotify ?? false });

  // One LISTEN connection per store, opened on the first watcher, reopened after a failure.
  const watchers = new Set<(c: StoreChange) => void>();
  let listener: pg.Client | null = null;
  let closed = false;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let listenFailures = 0;
  let listenerReady = false;
  const emit = (c: StoreChange) => {
    for (const w of watchers) w(c);
  };
  const listen = async (): Promise<void> => {
    if (closed || listener || watchers.size === 0) return;
    const client = new pg.Client({ connectionString: opts.connectionString });
    listener = client;
    const retry = () => {
      if (listener !== client) return;
      listener = null;
      listenerReady = false;
      invalidateInstalls();
      client.removeAllListeners();
      client.end().catch(() => {});
      if (closed || watchers.size === 0) return;
      listenFailures += 1;
      const delay = Math.min(5000, 100 * 2 ** Math.min(listenFailures, 6));
      reconnectTimer = setTimeout(() => {
        reconnectTimer = null;
        void listen();
      }, delay);
      reconnectTimer.unref();
    };
    client.on('error', (err) => {
      opts.logger?.warn('relay.pg.listen_error', { message: err.message });
      retry();
    });
    client.on('end', retry);
    client.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      try {
        const n = JSON.parse(msg.payload) as Notice;
        if (n.k === 'd') {
          if (n.o !== origin) emit({ kind: 'deliveries', installIds: n.i });
        } else if (n.k === 'r') {
          invalidateInstalls();
          emit({ kind: 'revoked', installId: n.i });
        } else if (n.k === 'i') invalidateInstalls();
        else {
          invalidateInstalls();
          emit({ kind: 'unknown' });
        }
      } catch {
        invalidateInstalls();
        emit({ kind: 'unknown' });
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      invalidateInstalls();
      listenerReady = true;
      // Anything may have happened while we were not listening.
      if (listenFailures > 0) emit({ kind: 'unknown' });
      listenFailures = 0;
    } catch (err) {
      opts.logger?.warn('relay.pg.listen_failed', { message: (err as Error).message });
      retry();
    }
  };

  const one = async <R extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<R | undefined> => (await pool.query<R>(sql, params)).rows[0];

  const store: RelayStore & { listening(): boolean } = {
    kind: 'postgres',
    /** True once LISTEN is in place (tests wait for it instead of sleeping). */
    listening: () => listenerReady,
    ingest: async (events, now) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await ingestBatch(events, now);
        } catch (err) {
          const code = (err as { code?: string }).code;
          // 23505: two instances inserting the same unassigned/route row at once; 40P01: deadlock.
          if (attempt < 4 && code && (RETRYABLE.has(code) || code === '23505')) {
            opts.logger?.warn('relay.pg.retry', { code, attempt });
            await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
            continue;
          }
          throw err;
        }
      }
    },
    readAfter: async (installId, afterSeq, limit) =>
      (
        await pool.query<DeliveryRow>(
          `SELECT d.seq AS seq, e.id AS "eventId", e.payload AS payload, e.signature AS signature
           FROM deliveries d JOIN events e ON e.no = d.event_no
           WHERE d.install_id = $1 AND d.seq > $2 ORDER BY d.seq LIMIT $3`,
          [installId, afterSeq, limit],
        )
      ).rows,
    ack: async (installId, upTo) =>
      (
        await one<{ acked_seq: number }>(
          'UPDATE installs SET acked_seq = GREATEST(acked_seq, LEAST($1::bigint, last_seq)) WHERE id = $2 RETURNING acked_seq',
          [Math.max(0, Math.floor(upTo)), installId],
        )
      )?.acked_seq ?? 0,
    installForTokenHash: async (hash) => {
      const r = await one<InstallDbRow>('SELECT * FROM installs WHERE token_hash = $1', [hash]);
      return r ? toInstall(r) : undefined;
    },
    getInstall: async (id) => {
      const r = await one<InstallDbRow>('SELECT * FROM installs WHERE id = $1', [id]);
      return r ? toInstall(r) : undefined;
    },
    addInstall: async (i) => {
      await pool.query('INSERT INTO installs (id, name, location_id, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)', [
        i.id,
        i.name,
        i.locationId,
        i.tokenHash,
        i.now,
      ]);
      invalidateInstalls();
      await notifyDeliveries.flush();
      await notify(pool, { k: 'i' });
    },
    listInstalls: async () =>
      (
        await pool.query<InstallDbRow & { oldest: number | null }>(
          // Gapless seqs, only acknowledged rows pruned: the oldest unacknowledged delivery is acked_seq + 1.
          `SELECT i.*, d.created_at AS oldest
           FROM installs i LEFT JOIN deliveries d ON d.install_id = i.id AND d.seq = i.acked_seq + 1
           ORDER BY i.created_at, i.id`,
        )
      ).rows.map((r): InstallStats => ({ ...toInstall(r), oldestUnackedAt: r.oldest })),
    installsOverCap: async (cap) =>
      (
        await pool.query<{ id: string; name: string; unacked: number }>(
          'SELECT id, name, last_seq - acked_seq AS unacked FROM installs WHERE revoked_at IS NULL AND last_seq - acked_seq > $1 ORDER BY id LIMIT 1000',
          [cap],
        )
      ).rows,
    revokeInstall: async (id, now) => {
      // Deliveries this instance committed before are announced first, in order.
      await notifyDeliveries.flush();
      return tx(async (c) => {
        const r = await c.query('UPDATE installs SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [now, id]);
        invalidateInstalls();
        if (r.rowCount) await notify(c, { k: 'r', i: id });
        return (r.rowCount ?? 0) > 0;
      });
    },
    addAdmin: async (a) => {
      await pool.query('INSERT INTO admin_tokens (id, name, token_hash, created_at) VALUES ($1, $2, $3, $4)', [a.id, a.name, a.tokenHash, a.now]);
    },
    adminForTokenHash: (hash) => one<{ id: string; name: string }>('SELECT id, name FROM admin_tokens WHERE token_hash = $1 AND revoked_at IS NULL', [hash]),
    listUnassigned: async (limit) =>
      (
        await pool.query<UnassignedRow>(
          `SELECT u.event_id AS "eventId", e.type AS type, e.created AS created, u.received_at AS "receivedAt",
                  u.payment_intent AS "paymentIntent", u.location_id AS "locationId"
           FROM unassigned u JOIN events e ON e.id = u.event_id ORDER BY u.received_at, u.event_id LIMIT $1`,
          [limit],
        )
      ).rows,
    countUnassigned: async () => (await one<{ n: number }>('SELECT count(*)::bigint AS n FROM unassigned', []))?.n ?? 0,
    assign: (eventId, installId, now) =>
      tx(async (c): Promise<AssignResult> => {
        const inst = await c.query('SELECT 1 FROM installs WHERE id = $1 AND revoked_at IS NULL', [installId]);
        if (!inst.rowCount) return { ok: false, reason: 'unknown_install' };
        const row = await c.query<{ payment_intent: string | null }>('DELETE FROM unassigned WHERE event_id = $1 RETURNING payment_intent', [eventId]);
        const first = row.rows[0];
        if (!first) return { ok: false, reason: 'not_unassigned' };
        const planned = [{ installId, eventId }];
        const pi = first.payment_intent;
        if (pi) {
          await c.query(
            `INSERT INTO payment_intent_routes (payment_intent, install_id, learned_at) VALUES ($1, $2, $3)
             ON CONFLICT (payment_intent) DO UPDATE SET install_id = excluded.install_id, learned_at = excluded.learned_at`,
            [pi, installId, now],
          );
          const others = await c.query<{ event_id: string; received_at: number }>(
            'DELETE FROM unassigned WHERE payment_intent = $1 RETURNING event_id, received_at',
            [pi],
          );
          const sorted = others.rows.sort((a, b) => a.received_at - b.received_at || (a.event_id < b.event_id ? -1 : 1));
          for (const o of sorted) planned.push({ installId, eventId: o.event_id });
        }
        const deliveries = await seqsFor(c, planned, now);
        await notify(c, { k: 'd', i: [installId] });
        return { ok: true, deliveries };
      }),
    knownEventIds: async (ids) => {
      const known = new Set<string>();
      for (let i = 0; i < ids.length; i += 1000) {
        const r = await pool.query<{ id: string }>('SELECT id FROM events WHERE id = ANY($1)', [ids.slice(i, i + 1000)]);
        for (const row of r.rows) known.add(row.id);
      }
      return known;
    },
    prune: async (cutoff, maxRows) => {
      const d = await pool.query(
        `WITH doomed AS (
           SELECT d.install_id, d.seq FROM deliveries d JOIN installs i ON i.id = d.install_id
           WHERE d.seq <= i.acked_seq AND d.created_at < $1 LIMIT $2)
         DELETE FROM deliveries d USING doomed WHERE d.install_id = doomed.install_id AND d.seq = doomed.seq`,
        [cutoff, maxRows],
      );
      const e = await pool.query(
        `WITH doomed AS (
           SELECT e.id FROM events e WHERE e.received_at < $1
             AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_no = e.no)
             AND NOT EXISTS (SELECT 1 FROM unassigned u WHERE u.event_id = e.id)
           LIMIT $2)
         DELETE FROM events e USING doomed WHERE e.id = doomed.id`,
        [cutoff, maxRows],
      );
      return { deliveries: d.rowCount ?? 0, events: e.rowCount ?? 0 };
    },
    getMeta: async (key) => (await one<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key]))?.value,
    setMeta: async (key, value) => {
      await pool.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
    },
    ping: async () => {
      await pool.query('SELECT 1');
    },
    watch: (onChange) => {
      watchers.add(onChange);
      void listen();
      return () => {
        watchers.delete(onChange);
      };
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await notifyDeliveries.flush(); // wake the other instances for what was committed last
      watchers.clear();
      if (reconnectTimer) clearTimeout(reconnectTimer);
      const l = listener;
      listener = null;
      if (l) {
        l.removeAllListeners();
        l.on('error', () => {});
        await l.end().catch(() => {});
      }
      await pool.end();
    },
  };
  return store;
}
