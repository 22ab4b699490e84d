import Database from 'better-sqlite3';
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { planBatch, type RouteLookup } from '../route';
import { migrateSqlite } from './migrations/sqliteMigrations';
import { startCheckpointer, type Checkpointer } from './checkpointer';
import { createWalSyncer } from './walSync';
import { toInstall, type InstallDbRow } from './installRow';
import type {
  AssignResult,
  DeliveryRow,
  IncomingEvent,
  IngestOutcome,
  IngestResult,
  InstallStats,
  PruneResult,
  RelayStore,
  StoreChange,
  StoredDelivery,
  UnassignedRow,
} from './types';

export type SqliteStoreOptions = {
  /** A file path, or ':memory:' for unit tests. */
  path: string;
  /** How often to look for commits by another process (the admin CLI). */
  watchEveryMs?: number;
  /** How often the background checkpointer copies the WAL into the database (started on first ingest). */
  checkpointEveryMs?: number;
  onBackgroundError?: (message: string) => void;
  /** Test seam: called after each look for other processes' commits (so a test can wait for polls, not sleep). */
  onWatchPoll?: () => void;
};

/**
 * The embedded store: one SQLite file in WAL mode. Writes commit with `synchronous = NORMAL`
 * and then wait for an fsync of the WAL on the thread pool (see walSync.ts), shared by every
 * commit made meanwhile; the ingest queue already groups webhooks into one transaction. Nothing
 * is reported stored, nor streamed, before it is on disk: a till must never hold a seq that a
 * power cut could take back from the relay.
 */
export function openSqliteStore(opts: SqliteStoreOptions): RelayStore {
  const inMemory = opts.path === ':memory:';
  if (!inMemory) mkdirSync(dirname(opts.path), { recursive: true, mode: 0o700 });
  const db = new Database(opts.path);
  // Events carry customer details and the file holds token hashes: owner only (SQLite gives
  // the -wal and -shm files the same mode).
  if (!inMemory) chmodSync(opts.path, 0o600);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // When the WAL restarts, cut the file back so one burst does not keep its size forever.
  db.pragma('journal_size_limit = 67108864');
  migrateSqlite(db);
  const wal = inMemory ? null : createWalSyncer(opts.path);
  const durable = async () => {
    if (wal) await wal.sync();
  };
  // A relay that ingests checkpoints in a worker; admin commands keep SQLite's automatic one.
  let checkpointer: Checkpointer | null = null;
  let lastCatchUp = 0;
  /**
   * The background checkpoint trails a steady writer by a few hundred frames, and the WAL can
   * only restart once nothing is left to copy. So, at most once a second while the WAL is over
   * 32 MB, the writer copies the remainder itself (a short stall, since the worker did the bulk)
   * and its next transaction starts the WAL over.
   */
  const catchUpWal = () => {
    if (!checkpointer || checkpointer.walFrames() < 8192 || Date.now() - lastCatchUp < 1000) return;
    lastCatchUp = Date.now();
    db.pragma('wal_checkpoint(PASSIVE)');
  };
  const ensureCheckpointer = () => {
    if (checkpointer || inMemory) return;
    try {
      checkpointer = startCheckpointer(opts.path, opts.checkpointEveryMs ?? 200, (m) => opts.onBackgroundError?.(`checkpoint: ${m}`));
      db.pragma('wal_autocheckpoint = 0');
    } catch (err) {
      opts.onBackgroundError?.(`checkpoint worker not started, SQLite checkpoints inline: ${(err as Error).message}`);
    }
  };

  const q = {
    insertEvent: db.prepare(
      `INSERT INTO events (id, type, created, received_at, source, payment_intent, location_id, payload, signature)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    ),
    eventNo: db.prepare('SELECT no FROM events WHERE id = ?').pluck(),
    activeInstall: db.prepare('SELECT 1 FROM installs WHERE id = ? AND revoked_at IS NULL').pluck(),
    routeForPi: db.prepare('SELECT install_id FROM payment_intent_routes WHERE payment_intent = ?').pluck(),
    installsAtLocation: db.prepare('SELECT id FROM installs WHERE location_id = ? AND revoked_at IS NULL ORDER BY id').pluck(),
    unassignedForPi: db.prepare('SELECT event_id FROM unassigned WHERE payment_intent = ? ORDER BY received_at, rowid').pluck(),
    upsertRoute: db.prepare(
      `INSERT INTO payment_intent_routes (payment_intent, install_id, learned_at) VALUES (?, ?, ?)
       ON CONFLICT (payment_intent) DO UPDATE SET install_id = excluded.install_id, learned_at = excluded.learned_at`,
    ),
    insertUnassigned: db.prepare('INSERT INTO unassigned (event_id, payment_intent, location_id, received_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
    deleteUnassigned: db.prepare('DELETE FROM unassigned WHERE event_id = ?'),
    unassignedRow: db.prepare('SELECT payment_intent FROM unassigned WHERE event_id = ?'),
    seqState: db.prepare('SELECT last_seq, acked_seq FROM installs WHERE id = ?'),
    setLastSeq: db.prepare('UPDATE installs SET last_seq = ? WHERE id = ?'),
    allLastSeqs: db.prepare('SELECT id, last_seq FROM installs'),
    insertDelivery: db.prepare('INSERT INTO deliveries (install_id, seq, event_no, created_at) VALUES (?, ?, ?, ?)'),
    readAfter: db.prepare(
      `SELECT d.seq AS seq, e.id AS eventId, e.payload AS payload, e.signature AS signature
       FROM deliveries d JOIN events e ON e.no = d.event_no
       WHERE d.install_id = ? AND d.seq > ? AND d.seq <= ? ORDER BY d.seq LIMIT ?`,
    ),
    ack: db.prepare('UPDATE installs SET acked_seq = max(acked_seq, min(?, last_seq)) WHERE id = ? RETURNING acked_seq').pluck(),
    installByToken: db.prepare('SELECT * FROM installs WHERE token_hash = ?'),
    installById: db.prepare('SELECT * FROM installs WHERE id = ?'),
    addInstall: db.prepare('INSERT INTO installs (id, name, location_id, token_hash, created_at) VALUES (?, ?, ?, ?, ?)'),
    listInstalls: db.prepare(
      // Seqs are gapless and only acknowledged rows are pruned: the oldest unacknowledged delivery is
      // acked_seq + 1, one key lookup per install in one join (no per-install sorted subquery).
      `SELECT i.*, d.created_at AS oldest
       FROM installs i LEFT JOIN deliveries d ON d.install_id = i.id AND d.seq = i.acked_seq + 1
       ORDER BY i.created_at, i.id`,
    ),
    overCap: db.prepare('SELECT id, name, last_seq - acked_seq AS unacked FROM installs WHERE revoked_at IS NULL AND last_seq - acked_seq > ? ORDER BY id LIMIT 1000'),
    revoke: db.prepare('UPDATE installs SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
    addAdmin: db.prepare('INSERT INTO admin_tokens (id, name, token_hash, created_at) VALUES (?, ?, ?, ?)'),
    adminByToken: db.prepare('SELECT id, name FROM admin_tokens WHERE token_hash = ? AND revoked_at IS NULL'),
    listUnassigned: db.prepare(
      `SELECT u.event_id AS eventId, e.type AS type, e.created AS created, u.received_at AS receivedAt,
              u.payment_intent AS paymentIntent, u.location_id AS locationId
       FROM unassigned u JOIN events e ON e.id = u.event_id ORDER BY u.received_at, u.rowid LIMIT ?`,
    ),
    countUnassigned: db.prepare('SELECT count(*) FROM unassigned').pluck(),
    anyUnassigned: db.prepare('SELECT 1 FROM unassigned LIMIT 1').pluck(),
    knownIds: db.prepare('SELECT id FROM events WHERE id IN (SELECT value FROM json_each(?))').pluck(),
    installAcks: db.prepare('SELECT id, acked_seq FROM installs'),
    pruneDeliveries: db.prepare(
      `DELETE FROM deliveries WHERE install_id = @id AND seq IN (
         SELECT seq FROM deliveries WHERE install_id = @id AND seq <= @acked AND created_at < @cutoff ORDER BY seq LIMIT @limit)`,
    ),
    pruneEvents: db.prepare(
      `DELETE FROM events WHERE id IN (
         SELECT e.id FROM events e WHERE e.received_at < @cutoff
           AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_no = e.no)
           AND NOT EXISTS (SELECT 1 FROM unassigned u WHERE u.event_id = e.id)
         LIMIT @limit)`,
    ),
    getMeta: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
    setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
  };

  /** Lookups for one transaction; install activity and "is the queue empty" are read once. */
  const batchLookup = (): RouteLookup => {
    const active = new Map<string, boolean>();
    let queueEmpty: boolean | null = null;
    return {
      isActiveInstall: (id) => {
        let a = active.get(id);
        if (a === undefined) active.set(id, (a = q.activeInstall.get(id) !== undefined));
        return a;
      },
      installForPaymentIntent: (pi) => q.routeForPi.get(pi) as string | undefined,
      installsAtLocation: (loc) => q.installsAtLocation.all(loc) as string[],
      unassignedForPaymentIntent: (pi) => {
        queueEmpty ??= q.anyUnassigned.get() === undefined;
        return queueEmpty ? [] : (q.unassignedForPi.all(pi) as string[]);
      },
    };
  };

  /** Gives seqs for one transaction: reads each install's counter once, writes it back once. */
  const seqWriter = (now: number) => {
    const next = new Map<string, { last: number; acked: number }>();
    return {
      /** `no` is the event's local number; looked up when not given (events claimed from the queue). */
      deliver(installId: string, eventId: string, no?: number): StoredDelivery {
        let st = next.get(installId);
        if (!st) {
          const r = q.seqState.get(installId) as { last_seq: number; acked_seq: number };
          st = { last: r.last_seq, acked: r.acked_seq };
          next.set(installId, st);
        }
        st.last += 1;
        q.insertDelivery.run(installId, st.last, no ?? (q.eventNo.get(eventId) as number), now);
        return { installId, seq: st.last, eventId, unacked: st.last - st.acked };
      },
      finish() {
        for (const [id, st] of next) q.setLastSeq.run(st.last, id);
      },
    };
  };

  // Seqs a reader may see: only what is on disk (see walSync.ts). Loaded at open; raised after each fsync.
  const visible = new Map<string, number>();
  const loadVisible = () => {
    for (const r of q.allLastSeqs.all() as { id: string; last_seq: number }[]) visible.set(r.id, Math.max(visible.get(r.id) ?? 0, r.last_seq));
  };
  loadVisible();
  const publish = (deliveries: readonly StoredDelivery[]) => {
    for (const d of deliveries) if ((visible.get(d.installId) ?? 0) < d.seq) visible.set(d.installId, d.seq);
  };

  const ingestTx = db.transaction((events: readonly IncomingEvent[], now: number): IngestOutcome => {
    const results: IngestResult[] = [];
    const fresh: { id: string; hints: IncomingEvent['hints'] }[] = [];
    const numbers = new Map<string, number>();
    for (const ev of events) {
      const r = q.insertEvent.run(ev.id, ev.type, ev.created, now, ev.source, ev.hints.paymentIntent, ev.hints.locationId, ev.payload, ev.signature);
      results.push({ eventId: ev.id, duplicate: r.changes === 0, route: null });
      if (r.changes > 0) {
        fresh.push({ id: ev.id, hints: ev.hints });
        numbers.set(ev.id, Number(r.lastInsertRowid));
      }
    }
    const plan = planBatch(fresh, batchLookup());
    for (const l of plan.learned) q.upsertRoute.run(l.paymentIntent, l.installId, now);
    for (const id of plan.claimed) q.deleteUnassigned.run(id);
    for (const u of plan.unassigned) q.insertUnassigned.run(u.eventId, u.paymentIntent, u.locationId, now);
    const seqs = seqWriter(now);
    const deliveries = plan.deliveries.map((d) => seqs.deliver(d.installId, d.eventId, numbers.get(d.eventId)));
    seqs.finish();
    for (const r of results) if (!r.duplicate) r.route = plan.routes.get(r.eventId) ?? null;
    return { results, deliveries };
  });

  const assignTx = db.transaction((eventId: string, installId: string, now: number): AssignResult => {
    const lookup = batchLookup();
    if (!lookup.isActiveInstall(installId)) return { ok: false, reason: 'unknown_install' };
    const row = q.unassignedRow.get(eventId) as { payment_intent: string | null } | undefined;
    if (!row) return { ok: false, reason: 'not_unassigned' };
    q.deleteUnassigned.run(eventId);
    const seqs = seqWriter(now);
    const deliveries = [seqs.deliver(installId, eventId)];
    const pi = row.payment_intent;
    if (pi) {
      // The admin's choice teaches the PaymentIntent's owner, so its other waiting events follow.
      q.upsertRoute.run(pi, installId, now);
      for (const other of lookup.unassignedForPaymentIntent(pi)) {
        q.deleteUnassigned.run(other);
        deliveries.push(seqs.deliver(installId, other));
      }
    }
    seqs.finish();
    return { ok: true, deliveries };
  });

  const pruneDeliveriesTx = db.transaction((cutoff: number, maxRows: number): number => {
    let deleted = 0;
    for (const i of q.installAcks.all() as { id: string; acked_seq: number }[]) {
      if (deleted >= maxRows) break;
      deleted += q.pruneDeliveries.run({ id: i.id, acked: i.acked_seq, cutoff, limit: maxRows - deleted }).changes;
    }
    return deleted;
  });

  let closed = false;
  const watchers = new Set<(c: StoreChange) => void>();
  let watchTimer: NodeJS.Timeout | null = null;
  let dataVersion = db.pragma('data_version', { simple: true }) as number;
  const startWatching = () => {
    if (watchTimer || opts.path === ':memory:') return;
    // data_version moves only when ANOTHER connection commits: the admin CLI, not our own writes.
    watchTimer = setInterval(() => {
      if (closed) return;
      const v = db.pragma('data_version', { simple: true }) as number;
      opts.onWatchPoll?.();
      if (v === dataVersion) return;
      dataVersion = v;
      // Another process committed (and synced, but maybe not yet): read its seqs, sync, then show them.
      const snapshot = q.allLastSeqs.all() as { id: string; last_seq: number }[];
      void durable().then(
        () => {
          for (const r of snapshot) if ((visible.get(r.id) ?? 0) < r.last_seq) visible.set(r.id, r.last_seq);
          for (const w of watchers) w({ kind: 'unknown' });
        },
        () => {},
      );
    }, opts.watchEveryMs ?? 500);
    watchTimer.unref();
  };

  const store: RelayStore = {
    kind: 'sqlite',
    walSyncs: () => wal?.syncs() ?? 0,
    ingest: async (events, now) => {
      ensureCheckpointer();
      catchUpWal();
      const outcome = ingestTx(events, now);
      await durable();
      publish(outcome.deliveries);
      return outcome;
    },
    readAfter: async (installId, afterSeq, limit) => {
      let upTo = visible.get(installId);
      if (upTo === undefined) {
        // An install this process has not seen (added by the CLI a moment ago).
        upTo = (q.seqState.get(installId) as { last_seq: number } | undefined)?.last_seq ?? 0;
        visible.set(installId, upTo);
      }
      return q.readAfter.all(installId, afterSeq, upTo, limit) as DeliveryRow[];
    },
    ack: async (installId, upTo) => (q.ack.get(Math.max(0, Math.floor(upTo)), installId) as number | undefined) ?? 0,
    installForTokenHash: async (hash) => {
      const r = q.installByToken.get(hash) as InstallDbRow | undefined;
      return r ? toInstall(r) : undefined;
    },
    getInstall: async (id) => {
      const r = q.installById.get(id) as InstallDbRow | undefined;
      return r ? toInstall(r) : undefined;
    },
    addInstall: async (i) => {
      q.addInstall.run(i.id, i.name, i.locationId, i.tokenHash, i.now);
      visible.set(i.id, 0);
      await durable();
    },
    listInstalls: async () =>
      (q.listInstalls.all() as (InstallDbRow & { oldest: number | null })[]).map(
        (r): InstallStats => ({ ...toInstall(r), oldestUnackedAt: r.oldest }),
      ),
    installsOverCap: async (cap) => q.overCap.all(cap) as { id: string; name: string; unacked: number }[],
    revokeInstall: async (id, now) => {
      const changed = q.revoke.run(now, id).changes > 0;
      await durable();
      return changed;
    },
    addAdmin: async (a) => {
      q.addAdmin.run(a.id, a.name, a.tokenHash, a.now);
      await durable();
    },
    adminForTokenHash: async (hash) => q.adminByToken.get(hash) as { id: string; name: string } | undefined,
    listUnassigned: async (limit) => q.listUnassigned.all(limit) as UnassignedRow[],
    countUnassigned: async () => q.countUnassigned.get() as number,
    assign: async (eventId, installId, now) => {
      const r = assignTx(eventId, installId, now);
      if (r.ok) {
        await durable();
        publish(r.deliveries);
      }
      return r;
    },
    knownEventIds: async (ids) => {
      const known = new Set<string>();
      for (let i = 0; i < ids.length; i += 500) {
        for (const id of q.knownIds.all(JSON.stringify(ids.slice(i, i + 500))) as string[]) known.add(id);
      }
      return known;
    },
    prune: async (cutoff, maxRows): Promise<PruneResult> => {
      const deliveries = pruneDeliveriesTx(cutoff, maxRows);
      const events = q.pruneEvents.run({ cutoff, limit: maxRows }).changes;
      return { deliveries, events };
    },
    getMeta: async (key) => q.getMeta.get(key) as string | undefined,
    setMeta: async (key, value) => {
      q.setMeta.run(key, value);
      await durable();
    },
    ping: async () => {
      db.prepare('SELECT 1').get();
    },
    watch: (onChange) => {
      watchers.add(onChange);
      startWatching();
      return () => {
        watchers.delete(onChange);
        if (watchers.size === 0 && watchTimer) {
          clearInterval(watchTimer);
          watchTimer = null;
        }
      };
    },
    close: async () => {
      if (closed) return;
      closed = true;
      if (watchTimer) clearInterval(watchTimer);
      watchers.clear();
      await checkpointer?.stop();
      await wal?.close();
      db.close();
    },
  };
  return store;
}
