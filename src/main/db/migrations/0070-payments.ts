import type { Migration } from '../migrate';

/**
 * What taking payments at the counter needs beyond 0050's payments table (issue #12):
 * - on the payment: the issuer's auth code and the reader (receipts), cash tendered and change
 *   given, and the balance transaction the fee and net came from;
 * - every try of a card on a payment (a decline retried on the same PaymentIntent is a second
 *   attempt), append-only;
 * - the till's paired readers and which one it uses (one selected per install);
 * - a manager's approval to hand the keys over with a balance due (audited as well).
 */
export const m0070Payments: Migration = {
  version: 70,
  name: 'payments',
  up(db) {
    db.exec(`
      ALTER TABLE payments ADD COLUMN auth_code TEXT;
      ALTER TABLE payments ADD COLUMN reader_id TEXT;
      ALTER TABLE payments ADD COLUMN tendered INTEGER CHECK (tendered IS NULL OR tendered > 0);
      ALTER TABLE payments ADD COLUMN change_given INTEGER CHECK (change_given IS NULL OR change_given >= 0);
      ALTER TABLE payments ADD COLUMN balance_transaction_id TEXT;
      CREATE INDEX payments_reader_active ON payments (reader_id) WHERE status IN ('pending', 'requires_action', 'processing');

      CREATE TABLE payment_attempts (
        id          TEXT PRIMARY KEY,
        payment_id  TEXT NOT NULL REFERENCES payments (id),
        outcome     TEXT NOT NULL CHECK (outcome IN ('succeeded', 'declined', 'failed', 'canceled', 'timed_out')),
        code        TEXT,
        message     TEXT CHECK (message IS NULL OR length(message) <= 500),
        card_brand  TEXT,
        card_last4  TEXT CHECK (card_last4 IS NULL OR length(card_last4) = 4),
        install_id  TEXT NOT NULL,
        created_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX payment_attempts_payment ON payment_attempts (payment_id);
      CREATE TRIGGER payment_attempts_append_only BEFORE UPDATE ON payment_attempts
      BEGIN SELECT RAISE(ABORT, 'payment attempts are append-only'); END;
      CREATE TRIGGER payment_attempts_no_delete BEFORE DELETE ON payment_attempts
      BEGIN SELECT RAISE(ABORT, 'payment attempts are kept for the ledger'); END;

      CREATE TABLE terminal_readers (
        id                 TEXT PRIMARY KEY,
        label              TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
        device_type        TEXT NOT NULL,
        stripe_location_id TEXT,
        selected           INTEGER NOT NULL DEFAULT 0 CHECK (selected IN (0, 1)),
        install_id         TEXT NOT NULL,
        created_at         TEXT NOT NULL,
        updated_at         TEXT NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX terminal_readers_one_selected ON terminal_readers (install_id) WHERE selected = 1;

      CREATE TABLE handover_overrides (
        id           TEXT PRIMARY KEY,
        booking_id   TEXT NOT NULL REFERENCES bookings (id),
        approved_by  TEXT NOT NULL REFERENCES staff (id),
        requested_by TEXT,
        reason       TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
        amount_due   INTEGER NOT NULL,
        currency     TEXT NOT NULL CHECK (currency GLOB '[A-Z][A-Z][A-Z]'),
        install_id   TEXT NOT NULL,
        created_at   TEXT NOT NULL
      ) STRICT;
      CREATE INDEX handover_overrides_booking ON handover_overrides (booking_id);
    `);
  },
};
