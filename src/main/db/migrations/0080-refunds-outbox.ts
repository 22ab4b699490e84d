import type { Migration } from '../migrate';

/**
 * Offline-first refunds (issue 16). Rebuilds `refunds` (SQLite cannot widen a CHECK) with the
 * states a clerk sees (queued → sending → pending at Stripe → succeeded | failed, or cancelled),
 * a reason code, the approvers and the limit override; rebuilds `outbox` (empty until now) with
 * cancel, the "needs attention" reason and action, and when it was first sent (Stripe forgets an
 * idempotency key after 24 h). Adds the refund policy: approval amounts and fraud limits.
 */
export const m0080RefundsOutbox: Migration = {
  version: 80,
  name: 'refunds-outbox',
  up(db) {
    db.exec(`
      CREATE TABLE refunds_new (
        id               TEXT PRIMARY KEY,
        payment_id       TEXT NOT NULL REFERENCES payments (id),
        booking_id       TEXT NOT NULL REFERENCES bookings (id),
        amount           INTEGER NOT NULL CHECK (amount > 0),
        currency         TEXT NOT NULL CHECK (currency GLOB '[A-Z][A-Z][A-Z]'),
        -- How the money goes back: to the card at Stripe, out of the drawer, or an uncaptured hold released.
        method           TEXT NOT NULL DEFAULT 'card' CHECK (method IN ('card', 'cash', 'release')),
        reason_code      TEXT NOT NULL DEFAULT 'other'
                         CHECK (reason_code IN ('customer_request', 'duplicate', 'damage_waived', 'early_return', 'goodwill', 'other')),
        reason           TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
        status           TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'pending', 'succeeded', 'failed', 'canceled')),
        idempotency_key  TEXT NOT NULL UNIQUE,
        stripe_refund_id TEXT UNIQUE,
        shift_id         TEXT REFERENCES shifts (id),
        approved_by      TEXT,
        approved_by_2    TEXT,
        override_reason  TEXT CHECK (override_reason IS NULL OR length(override_reason) BETWEEN 1 AND 500),
        error_code       TEXT,
        error_message    TEXT,
        created_by       TEXT,
        install_id       TEXT NOT NULL,
        version          INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at       TEXT NOT NULL,
        updated_at       TEXT NOT NULL,
        CHECK (approved_by_2 IS NULL OR approved_by_2 IS NOT approved_by)
      ) STRICT;
      INSERT INTO refunds_new (id, payment_id, booking_id, amount, currency, reason, status, idempotency_key, stripe_refund_id,
                               approved_by, error_code, error_message, created_by, install_id, version, created_at, updated_at)
        SELECT id, payment_id, booking_id, amount, currency, reason, status, idempotency_key, stripe_refund_id,
               approved_by, error_code, error_message, created_by, install_id, version, created_at, updated_at FROM refunds;
      DROP TABLE refunds;
      ALTER TABLE refunds_new RENAME TO refunds;
      CREATE INDEX refunds_payment ON refunds (payment_id);
      CREATE INDEX refunds_booking ON refunds (booking_id);
      -- Limits: refunds by one member of staff in the last hour, and today's total.
      CREATE INDEX refunds_created ON refunds (created_at);
      CREATE TRIGGER refunds_amounts_immutable BEFORE UPDATE ON refunds
        WHEN OLD.amount IS NOT NEW.amount OR OLD.currency IS NOT NEW.currency OR OLD.payment_id IS NOT NEW.payment_id
          OR OLD.booking_id IS NOT NEW.booking_id OR OLD.idempotency_key IS NOT NEW.idempotency_key OR OLD.method IS NOT NEW.method
      BEGIN SELECT RAISE(ABORT, 'refunds amounts are append-only; record a correction as a new row'); END;
      CREATE TRIGGER refunds_no_delete BEFORE DELETE ON refunds
      BEGIN SELECT RAISE(ABORT, 'refunds rows are kept for the ledger'); END;

      DROP TABLE outbox;
      CREATE TABLE outbox (
        id               TEXT PRIMARY KEY,
        kind             TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 100),
        entity_type      TEXT NOT NULL,
        entity_id        TEXT NOT NULL,
        payload_json     TEXT NOT NULL CHECK (json_valid(payload_json)),
        idempotency_key  TEXT NOT NULL UNIQUE CHECK (length(idempotency_key) <= 255),
        -- pending: waiting for its next try; in_flight: being sent; done; failed: needs a person; canceled.
        status           TEXT NOT NULL CHECK (status IN ('pending', 'in_flight', 'done', 'failed', 'canceled')),
        attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at  TEXT NOT NULL,
        first_sent_at    TEXT,
        last_error       TEXT,
        attention_reason TEXT,
        attention_action TEXT,
        result_json      TEXT CHECK (result_json IS NULL OR json_valid(result_json)),
        install_id       TEXT NOT NULL,
        created_at       TEXT NOT NULL,
        updated_at       TEXT NOT NULL
      ) STRICT;
      CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status IN ('pending', 'in_flight');
      CREATE INDEX outbox_entity ON outbox (entity_type, entity_id);
      CREATE INDEX outbox_attention ON outbox (updated_at) WHERE status = 'failed';

      -- One row: amounts in the shop's minor units (0 = no limit / never).
      CREATE TABLE refund_policy (
        id                     INTEGER PRIMARY KEY CHECK (id = 1),
        pin_above              INTEGER NOT NULL CHECK (pin_above >= 0),
        two_managers_above     INTEGER NOT NULL CHECK (two_managers_above >= 0),
        per_staff_per_hour     INTEGER NOT NULL CHECK (per_staff_per_hour >= 0),
        till_daily_cap         INTEGER NOT NULL CHECK (till_daily_cap >= 0),
        shop_daily_cap         INTEGER NOT NULL CHECK (shop_daily_cap >= 0),
        updated_at             TEXT NOT NULL,
        updated_by             TEXT
      ) STRICT;
      INSERT INTO refund_policy VALUES (1, 5000, 50000, 10, 200000, 500000, '1970-01-01T00:00:00.000Z', NULL);
    `);
  },
};
