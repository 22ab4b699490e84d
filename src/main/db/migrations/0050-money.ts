import type { Migration } from '../migrate';

const CURRENCY = `CHECK (currency GLOB '[A-Z][A-Z][A-Z]')`;

/** Refuses any change to the listed columns once a row exists: a correction is a new row. */
function immutable(table: string, columns: string[]): string {
  const changed = columns.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ');
  return `
    CREATE TRIGGER ${table}_amounts_immutable BEFORE UPDATE ON ${table} WHEN ${changed}
    BEGIN SELECT RAISE(ABORT, '${table} amounts are append-only; record a correction as a new row'); END;
    CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
    BEGIN SELECT RAISE(ABORT, '${table} rows are kept for the ledger'); END;`;
}

/**
 * Money tables (DESIGN §4, §5). They stay empty until checkout, deposits, refunds and shifts
 * land; the columns are fixed now so those issues only add behaviour. Amounts are integer minor
 * units with their currency on the same row, and are never updated (triggers): only the status,
 * Stripe ids, errors and timestamps of a payment or refund move on.
 */
export const m0050Money: Migration = {
  version: 50,
  name: 'money',
  up(db) {
    db.exec(`
      CREATE TABLE shifts (
        id              TEXT PRIMARY KEY,
        location_id     TEXT REFERENCES locations (id),
        status          TEXT NOT NULL CHECK (status IN ('open', 'closed')),
        opened_by       TEXT NOT NULL,
        opened_at       TEXT NOT NULL,
        opening_float   INTEGER NOT NULL CHECK (opening_float >= 0),
        closed_by       TEXT,
        closed_at       TEXT,
        -- Written once, at close.
        counted_cash    INTEGER CHECK (counted_cash IS NULL OR counted_cash >= 0),
        expected_cash   INTEGER,
        currency        TEXT NOT NULL ${CURRENCY},
        notes           TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
        install_id      TEXT NOT NULL,
        version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL
      ) STRICT;
      -- One open shift per install.
      CREATE UNIQUE INDEX shifts_one_open ON shifts (install_id) WHERE status = 'open';
      CREATE TRIGGER shifts_amounts_immutable BEFORE UPDATE ON shifts
        WHEN OLD.opening_float IS NOT NEW.opening_float OR OLD.currency IS NOT NEW.currency
          OR (OLD.counted_cash IS NOT NULL AND OLD.counted_cash IS NOT NEW.counted_cash)
          OR (OLD.expected_cash IS NOT NULL AND OLD.expected_cash IS NOT NEW.expected_cash)
      BEGIN SELECT RAISE(ABORT, 'shift amounts are written once'); END;

      CREATE TABLE payments (
        id                TEXT PRIMARY KEY,
        booking_id        TEXT NOT NULL REFERENCES bookings (id),
        shift_id          TEXT REFERENCES shifts (id),
        kind              TEXT NOT NULL CHECK (kind IN ('charge', 'deposit_hold')),
        method            TEXT NOT NULL CHECK (method IN ('card_present', 'card', 'cash')),
        status            TEXT NOT NULL CHECK (status IN ('pending', 'requires_action', 'processing', 'authorized', 'succeeded', 'failed', 'canceled')),
        amount            INTEGER NOT NULL CHECK (amount > 0),
        -- What was actually taken: the amount for a charge, part or all of a hold when captured. Set once.
        amount_captured   INTEGER CHECK (amount_captured IS NULL OR amount_captured BETWEEN 0 AND amount),
        currency          TEXT NOT NULL ${CURRENCY},
        idempotency_key   TEXT NOT NULL UNIQUE,
        stripe_payment_intent_id TEXT UNIQUE,
        stripe_charge_id  TEXT,
        hold_expires_at   TEXT,
        fee               INTEGER CHECK (fee IS NULL OR fee >= 0),
        net               INTEGER,
        card_brand        TEXT,
        card_last4        TEXT CHECK (card_last4 IS NULL OR length(card_last4) = 4),
        error_code        TEXT,
        error_message     TEXT,
        created_by        TEXT,
        install_id        TEXT NOT NULL,
        version           INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at        TEXT NOT NULL,
        updated_at        TEXT NOT NULL
      ) STRICT;
      CREATE INDEX payments_booking ON payments (booking_id);
      -- Startup reconciliation: every payment not in a final state.
      CREATE INDEX payments_unsettled ON payments (status) WHERE status NOT IN ('succeeded', 'failed', 'canceled');
      CREATE INDEX payments_holds ON payments (hold_expires_at) WHERE kind = 'deposit_hold' AND status = 'authorized';
      CREATE TRIGGER payments_amounts_immutable BEFORE UPDATE ON payments
        WHEN OLD.amount IS NOT NEW.amount OR OLD.currency IS NOT NEW.currency OR OLD.booking_id IS NOT NEW.booking_id
          OR OLD.kind IS NOT NEW.kind OR OLD.idempotency_key IS NOT NEW.idempotency_key
          OR (OLD.amount_captured IS NOT NULL AND OLD.amount_captured IS NOT NEW.amount_captured)
          OR (OLD.fee IS NOT NULL AND OLD.fee IS NOT NEW.fee)
      BEGIN SELECT RAISE(ABORT, 'payments amounts are append-only; record a correction as a new row'); END;
      CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
      BEGIN SELECT RAISE(ABORT, 'payments rows are kept for the ledger'); END;

      CREATE TABLE refunds (
        id               TEXT PRIMARY KEY,
        payment_id       TEXT NOT NULL REFERENCES payments (id),
        booking_id       TEXT NOT NULL REFERENCES bookings (id),
        amount           INTEGER NOT NULL CHECK (amount > 0),
        currency         TEXT NOT NULL ${CURRENCY},
        reason           TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
        status           TEXT NOT NULL CHECK (status IN ('pending', 'queued', 'succeeded', 'failed', 'canceled')),
        idempotency_key  TEXT NOT NULL UNIQUE,
        stripe_refund_id TEXT UNIQUE,
        approved_by      TEXT,
        error_code       TEXT,
        error_message    TEXT,
        created_by       TEXT,
        install_id       TEXT NOT NULL,
        version          INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at       TEXT NOT NULL,
        updated_at       TEXT NOT NULL
      ) STRICT;
      CREATE INDEX refunds_payment ON refunds (payment_id);
      CREATE INDEX refunds_booking ON refunds (booking_id);
      ${immutable('refunds', ['amount', 'currency', 'payment_id', 'booking_id', 'idempotency_key'])}

      CREATE TABLE cash_movements (
        id          TEXT PRIMARY KEY,
        shift_id    TEXT NOT NULL REFERENCES shifts (id),
        kind        TEXT NOT NULL CHECK (kind IN ('float', 'sale', 'refund', 'payout', 'drop', 'correction')),
        -- Signed: into the drawer positive, out negative.
        amount      INTEGER NOT NULL,
        currency    TEXT NOT NULL ${CURRENCY},
        payment_id  TEXT REFERENCES payments (id),
        refund_id   TEXT REFERENCES refunds (id),
        reason      TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
        created_by  TEXT,
        install_id  TEXT NOT NULL,
        version     INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX cash_movements_shift ON cash_movements (shift_id);
      ${immutable('cash_movements', ['amount', 'currency', 'shift_id', 'kind', 'payment_id', 'refund_id'])}

      -- Durable queue of Stripe calls (e.g. an offline refund), written in the same transaction as its record.
      CREATE TABLE outbox (
        id              TEXT PRIMARY KEY,
        kind            TEXT NOT NULL,
        entity_type     TEXT NOT NULL,
        entity_id       TEXT NOT NULL,
        payload_json    TEXT NOT NULL CHECK (json_valid(payload_json)),
        idempotency_key TEXT NOT NULL UNIQUE,
        status          TEXT NOT NULL CHECK (status IN ('pending', 'in_flight', 'done', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at TEXT NOT NULL,
        last_error      TEXT,
        install_id      TEXT NOT NULL,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL
      ) STRICT;
      CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status IN ('pending', 'in_flight');

      -- Every Stripe event seen (relay or backfill), deduplicated by Stripe's event id.
      CREATE TABLE stripe_events (
        id            TEXT PRIMARY KEY,
        type          TEXT NOT NULL,
        api_created   INTEGER NOT NULL,
        livemode      INTEGER NOT NULL CHECK (livemode IN (0, 1)),
        payload_json  TEXT NOT NULL CHECK (json_valid(payload_json)),
        source        TEXT NOT NULL CHECK (source IN ('relay', 'backfill', 'poll')),
        received_at   TEXT NOT NULL,
        processed_at  TEXT,
        process_error TEXT,
        install_id    TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
      ) STRICT;
      CREATE INDEX stripe_events_unprocessed ON stripe_events (received_at) WHERE processed_at IS NULL;
    `);
  },
};
