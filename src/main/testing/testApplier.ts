import { openDatabase } from '../db/connection';
import type { RelayEvent } from '../services/sync/streamClient';

/**
 * Example applier for tests and the benchmark (the app's real one comes with the sync
 * service): each batch is ONE transaction that stores the events, ignoring ids already seen,
 * and records the cursor. `applied_log` keeps every event `apply` was handed, so a test can
 * prove each was delivered exactly once and in order.
 */
export function createTestApplier(path = ':memory:') {
  const db = openDatabase(path);
  db.exec(`
    CREATE TABLE IF NOT EXISTS relay_cursor (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL) STRICT;
    CREATE TABLE IF NOT EXISTS stripe_events (id TEXT PRIMARY KEY, type TEXT NOT NULL, seq INTEGER NOT NULL, payload TEXT NOT NULL) STRICT;
    CREATE TABLE IF NOT EXISTS applied_log (n INTEGER PRIMARY KEY, seq INTEGER NOT NULL, event_id TEXT NOT NULL) STRICT;
  `);
  const insertEvent = db.prepare('INSERT INTO stripe_events (id, type, seq, payload) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING');
  const insertLog = db.prepare('INSERT INTO applied_log (seq, event_id) VALUES (?, ?)');
  const setCursor = db.prepare('INSERT INTO relay_cursor (id, seq) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq');
  const getCursor = db.prepare('SELECT seq FROM relay_cursor WHERE id = 1').pluck();
  const applyTx = db.transaction((batch: readonly RelayEvent[], upTo: number) => {
    for (const e of batch) {
      insertEvent.run(e.event.id, e.event.type, e.seq, JSON.stringify(e.event));
      insertLog.run(e.seq, e.event.id);
    }
    setCursor.run(upTo);
  });
  /** Called after each commit (benchmarks time the commit here). */
  let onCommitted: ((batch: readonly RelayEvent[]) => void) | null = null;
  return {
    db,
    apply: (batch: readonly RelayEvent[], upTo: number) => {
      applyTx(batch, upTo);
      onCommitted?.(batch);
    },
    loadCursor: () => (getCursor.get() as number | undefined) ?? 0,
    set onCommitted(fn: ((batch: readonly RelayEvent[]) => void) | null) {
      onCommitted = fn;
    },
    /** Every delivery apply saw, in order. */
    log: () => db.prepare('SELECT seq, event_id AS eventId FROM applied_log ORDER BY n').all() as { seq: number; eventId: string }[],
    count: () => db.prepare('SELECT count(*) FROM stripe_events').pluck().get() as number,
    close: () => db.close(),
  };
}

export type TestApplier = ReturnType<typeof createTestApplier>;
