import type { SqliteMigration } from '../sqliteMigrations';

/** Events, per-install deliveries with their seqs, installs and tokens, routing tables. */
export const sqlite0010Initial: SqliteMigration = {
  version: 10,
  name: 'initial',
  up: (db) => {
    db.exec(`
      CREATE TABLE installs (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        location_id TEXT,
        token_hash TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER,
        last_seq INTEGER NOT NULL DEFAULT 0,
        acked_seq INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX installs_location ON installs (location_id) WHERE location_id IS NOT NULL;

      CREATE TABLE admin_tokens (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      ) STRICT;

      -- no: a local number in arrival order, so the tables that point at events (deliveries)
      -- grow at their end instead of touching a random page per event as a Stripe id would.
      CREATE TABLE events (
        no INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        created INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('webhook', 'backfill')),
        payment_intent TEXT,
        location_id TEXT,
        payload TEXT NOT NULL
      ) STRICT;
      CREATE INDEX events_received ON events (received_at);

      CREATE TABLE deliveries (
        install_id TEXT NOT NULL REFERENCES installs (id),
        seq INTEGER NOT NULL,
        event_no INTEGER NOT NULL REFERENCES events (no),
        created_at INTEGER NOT NULL,
        PRIMARY KEY (install_id, seq)
      ) STRICT, WITHOUT ROWID;
      -- Pruning deletes events only when no delivery points at them; the FK check needs this index.
      CREATE INDEX deliveries_event ON deliveries (event_no);

      CREATE TABLE payment_intent_routes (
        payment_intent TEXT PRIMARY KEY,
        install_id TEXT NOT NULL REFERENCES installs (id),
        learned_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE unassigned (
        event_id TEXT PRIMARY KEY REFERENCES events (id),
        payment_intent TEXT,
        location_id TEXT,
        received_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX unassigned_payment_intent ON unassigned (payment_intent) WHERE payment_intent IS NOT NULL;

      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `);
  },
};
