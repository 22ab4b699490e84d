import type { Migration } from '../migrate';

/**
 * What the sync client needs: where this till is in the relay's stream, and flags that put a
 * booking in front of a manager (a dispute opened at Stripe, a refund that failed…).
 */
export const m0060Sync: Migration = {
  version: 60,
  name: 'sync',
  up(db) {
    db.exec(`
      -- One row per relay stream this till reads; the sequence commits with the events it covers.
      CREATE TABLE sync_cursor (
        stream      TEXT PRIMARY KEY,
        last_seq    INTEGER NOT NULL CHECK (last_seq >= 0),
        updated_at  TEXT NOT NULL
      ) STRICT;

      CREATE TABLE booking_flags (
        id           TEXT PRIMARY KEY,
        booking_id   TEXT NOT NULL REFERENCES bookings (id),
        kind         TEXT NOT NULL CHECK (kind IN ('dispute', 'refund_failed', 'payment_failed')),
        stripe_id    TEXT NOT NULL,
        detail       TEXT NOT NULL DEFAULT '' CHECK (length(detail) <= 1000),
        resolved_at  TEXT,
        resolved_by  TEXT,
        install_id   TEXT NOT NULL,
        version      INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        UNIQUE (kind, stripe_id)
      ) STRICT;
      CREATE INDEX booking_flags_open ON booking_flags (booking_id) WHERE resolved_at IS NULL;
    `);
  },
};
