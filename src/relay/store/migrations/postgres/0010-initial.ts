import type { PostgresMigration } from '../postgresMigrations';

/** Same tables as SQLite's 0010; BIGINT for seqs and unix-ms times. */
export const postgres0010Initial: PostgresMigration = {
  version: 10,
  name: 'initial',
  sql: `
    CREATE TABLE installs (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      location_id TEXT,
      token_hash TEXT NOT NULL UNIQUE,
      created_at BIGINT NOT NULL,
      revoked_at BIGINT,
      last_seq BIGINT NOT NULL DEFAULT 0,
      acked_seq BIGINT NOT NULL DEFAULT 0
    );
    CREATE INDEX installs_location ON installs (location_id) WHERE location_id IS NOT NULL;

    CREATE TABLE admin_tokens (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      token_hash TEXT NOT NULL UNIQUE,
      created_at BIGINT NOT NULL,
      revoked_at BIGINT
    );

    -- no: a local number in arrival order (see the SQLite migration).
    CREATE TABLE events (
      no BIGSERIAL PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      type TEXT NOT NULL,
      created BIGINT NOT NULL,
      received_at BIGINT NOT NULL,
      source TEXT NOT NULL CHECK (source IN ('webhook', 'backfill')),
      payment_intent TEXT,
      location_id TEXT,
      payload TEXT NOT NULL
    );
    CREATE INDEX events_received ON events (received_at);

    CREATE TABLE deliveries (
      install_id TEXT NOT NULL REFERENCES installs (id),
      seq BIGINT NOT NULL,
      event_no BIGINT NOT NULL REFERENCES events (no),
      created_at BIGINT NOT NULL,
      PRIMARY KEY (install_id, seq)
    );
    -- Pruning deletes events only when no delivery points at them; the FK check needs this index.
    CREATE INDEX deliveries_event ON deliveries (event_no);

    CREATE TABLE payment_intent_routes (
      payment_intent TEXT PRIMARY KEY,
      install_id TEXT NOT NULL REFERENCES installs (id),
      learned_at BIGINT NOT NULL
    );

    CREATE TABLE unassigned (
      event_id TEXT PRIMARY KEY REFERENCES events (id),
      payment_intent TEXT,
      location_id TEXT,
      received_at BIGINT NOT NULL
    );
    CREATE INDEX unassigned_payment_intent ON unassigned (payment_intent) WHERE payment_intent IS NOT NULL;

    CREATE TABLE meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
  `,
};
