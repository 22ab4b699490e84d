import type { Migration } from '../migrate';

/**
 * Deposits and pay-by-link (issue #13). The money itself stays in `payments` (kind
 * `deposit_hold`, append-only amounts); these tables say what the counter knows about a hold:
 * - `deposit_policy`: the amount by vehicle class and rental length, with a minimum (one row per
 *   shop, JSON edited in settings, versioned like the rate card);
 * - `deposit_overrides`: a manager's amount for one booking, with the reason (append-only);
 * - `deposit_holds`: one row per hold payment (and per incremental authorization, which is its
 *   own payments row because a row's amount never changes): Stripe's `capture_before`, whether
 *   extended/incremental authorization were granted, the settlement in flight (written before
 *   Stripe is called, so a crash between capture and commit is reconciled to one capture), and
 *   the flag when Stripe let the hold expire or cancelled it before the vehicle came back;
 * - `pay_links`: Checkout Sessions sent to a customer; at most one open link per booking.
 */
export const m0090Deposits: Migration = {
  version: 90,
  name: 'deposits',
  up(db) {
    db.exec(`
      CREATE TABLE deposit_policy (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        policy_json TEXT NOT NULL CHECK (json_valid(policy_json)),
        version     INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
        updated_by  TEXT,
        install_id  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      ) STRICT;

      CREATE TABLE deposit_overrides (
        id          TEXT PRIMARY KEY,
        booking_id  TEXT NOT NULL REFERENCES bookings (id),
        amount      INTEGER NOT NULL CHECK (amount >= 0),
        currency    TEXT NOT NULL CHECK (currency GLOB '[A-Z][A-Z][A-Z]'),
        reason      TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
        approved_by TEXT NOT NULL REFERENCES staff (id),
        install_id  TEXT NOT NULL,
        created_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX deposit_overrides_booking ON deposit_overrides (booking_id, created_at);
      CREATE TRIGGER deposit_overrides_append_only BEFORE UPDATE ON deposit_overrides
      BEGIN SELECT RAISE(ABORT, 'deposit overrides are append-only'); END;

      CREATE TABLE deposit_holds (
        payment_id        TEXT PRIMARY KEY REFERENCES payments (id),
        booking_id        TEXT NOT NULL REFERENCES bookings (id),
        -- An incremental authorization is its own payments row, pointing at the hold it grew.
        parent_payment_id TEXT REFERENCES payments (id),
        state             TEXT NOT NULL CHECK (state IN ('pending', 'held', 'capturing', 'releasing', 'captured', 'released', 'expired', 'failed', 'canceled')),
        capture_before    TEXT,
        extended          INTEGER NOT NULL DEFAULT 0 CHECK (extended IN (0, 1)),
        incremental       INTEGER NOT NULL DEFAULT 0 CHECK (incremental IN (0, 1)),
        -- The settlement asked of Stripe (written before the call; the idempotency key is derived from the row).
        settle_amount     INTEGER CHECK (settle_amount IS NULL OR settle_amount >= 0),
        captured          INTEGER CHECK (captured IS NULL OR captured >= 0),
        released          INTEGER CHECK (released IS NULL OR released >= 0),
        replaced_by       TEXT REFERENCES payments (id),
        flag              TEXT CHECK (flag IS NULL OR length(flag) <= 500),
        flagged_at        TEXT,
        install_id        TEXT NOT NULL,
        version           INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at        TEXT NOT NULL,
        updated_at        TEXT NOT NULL
      ) STRICT;
      CREATE INDEX deposit_holds_booking ON deposit_holds (booking_id);
      CREATE INDEX deposit_holds_open ON deposit_holds (state) WHERE state IN ('pending', 'held', 'capturing', 'releasing');
      CREATE TRIGGER deposit_holds_no_delete BEFORE DELETE ON deposit_holds
      BEGIN SELECT RAISE(ABORT, 'deposit holds are kept for the ledger'); END;

      CREATE TABLE pay_links (
        id                 TEXT PRIMARY KEY,
        booking_id         TEXT NOT NULL REFERENCES bookings (id),
        payment_id         TEXT NOT NULL UNIQUE REFERENCES payments (id),
        amount             INTEGER NOT NULL CHECK (amount > 0),
        currency           TEXT NOT NULL CHECK (currency GLOB '[A-Z][A-Z][A-Z]'),
        status             TEXT NOT NULL CHECK (status IN ('creating', 'open', 'paid', 'expired', 'failed')),
        stripe_session_id  TEXT UNIQUE,
        url                TEXT,
        expires_at         TEXT NOT NULL,
        created_by         TEXT,
        install_id         TEXT NOT NULL,
        version            INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at         TEXT NOT NULL,
        updated_at         TEXT NOT NULL
      ) STRICT;
      -- A link paid twice is impossible: one open link per booking; a new one only after it expired.
      CREATE UNIQUE INDEX pay_links_one_open ON pay_links (booking_id) WHERE status IN ('creating', 'open');
    `);
  },
};
