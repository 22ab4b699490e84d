import type { Migration } from '../migrate';

/**
 * Bookings and their price snapshots. A booking points at its current quote; every quote and its
 * lines are kept unchanged (re-pricing adds a quote), so a later rate change never alters a price
 * already given. Times are ISO strings in UTC ("…Z"), which compare and sort as text.
 */
export const m0030Bookings: Migration = {
  version: 30,
  name: 'bookings',
  up(db) {
    db.exec(`
      CREATE TABLE bookings (
        seq                INTEGER PRIMARY KEY,
        id                 TEXT NOT NULL UNIQUE,
        ref                TEXT NOT NULL UNIQUE,
        status             TEXT NOT NULL CHECK (status IN ('reserved', 'checked_out', 'returned', 'closed', 'cancelled', 'no_show')),
        customer_id        TEXT NOT NULL REFERENCES customers (id),
        vehicle_id         TEXT NOT NULL REFERENCES vehicles (id),
        vehicle_class      TEXT NOT NULL,
        pickup_location_id TEXT NOT NULL REFERENCES locations (id),
        return_location_id TEXT NOT NULL REFERENCES locations (id),
        pickup_at          TEXT NOT NULL,
        return_at          TEXT NOT NULL CHECK (return_at > pickup_at),
        extras_json        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(extras_json)),
        fees_json          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(fees_json)),
        notes              TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
        -- Current price snapshot; total/currency copy it for lists.
        quote_id           TEXT REFERENCES booking_quotes (id) DEFERRABLE INITIALLY DEFERRED,
        total              INTEGER NOT NULL CHECK (total >= 0),
        currency           TEXT NOT NULL CHECK (currency GLOB '[A-Z][A-Z][A-Z]'),
        cancelled_at       TEXT,
        cancelled_by       TEXT,
        cancel_reason      TEXT CHECK (cancel_reason IS NULL OR length(cancel_reason) <= 500),
        closed_at          TEXT,
        created_by         TEXT,
        install_id         TEXT NOT NULL,
        version            INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at         TEXT NOT NULL,
        updated_at         TEXT NOT NULL
      ) STRICT;
      -- Availability: a vehicle's bookings that end after a given instant.
      CREATE INDEX bookings_vehicle_return ON bookings (vehicle_id, return_at);
      -- Vehicles out now (also overdue rentals, which block their vehicle past return_at).
      CREATE INDEX bookings_out ON bookings (vehicle_id) WHERE status = 'checked_out';
      CREATE INDEX bookings_customer ON bookings (customer_id, pickup_at);
      CREATE INDEX bookings_pickup ON bookings (pickup_at);
      CREATE INDEX bookings_return ON bookings (return_at);
      -- Child key of a deferred foreign key: without it, every quote written makes SQLite scan
      -- all bookings to settle the pending check (quadratic bulk inserts).
      CREATE INDEX bookings_quote ON bookings (quote_id);

      CREATE TABLE booking_quotes (
        id                TEXT PRIMARY KEY,
        booking_id        TEXT NOT NULL REFERENCES bookings (id),
        reason            TEXT NOT NULL CHECK (reason IN ('create', 'modify', 'extend', 'check_in', 'seed')),
        rate_card_id      TEXT NOT NULL,
        rate_card_version INTEGER NOT NULL,
        currency          TEXT NOT NULL CHECK (currency GLOB '[A-Z][A-Z][A-Z]'),
        tax_mode          TEXT NOT NULL CHECK (tax_mode IN ('exclusive', 'inclusive')),
        tax_rate_bp       INTEGER NOT NULL CHECK (tax_rate_bp BETWEEN 0 AND 10000),
        time_zone         TEXT NOT NULL,
        rental_days       INTEGER NOT NULL CHECK (rental_days >= 1),
        late_minutes      INTEGER NOT NULL CHECK (late_minutes >= 0),
        subtotal          INTEGER NOT NULL,
        discount_total    INTEGER NOT NULL CHECK (discount_total <= 0),
        tax_total         INTEGER NOT NULL CHECK (tax_total >= 0),
        total             INTEGER NOT NULL CHECK (total >= 0),
        computed_at       TEXT NOT NULL,
        install_id        TEXT NOT NULL,
        version           INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at        TEXT NOT NULL,
        updated_at        TEXT NOT NULL
      ) STRICT;
      CREATE INDEX booking_quotes_booking ON booking_quotes (booking_id);

      CREATE TABLE booking_lines (
        id              TEXT PRIMARY KEY,
        quote_id        TEXT NOT NULL REFERENCES booking_quotes (id),
        booking_id      TEXT NOT NULL REFERENCES bookings (id),
        line_no         INTEGER NOT NULL CHECK (line_no >= 0),
        kind            TEXT NOT NULL,
        code            TEXT NOT NULL,
        description     TEXT NOT NULL,
        quantity        INTEGER NOT NULL CHECK (quantity >= 0),
        quantity_scale  INTEGER NOT NULL CHECK (quantity_scale IN (1, 1000)),
        unit_amount     INTEGER NOT NULL,
        amount          INTEGER NOT NULL,
        currency        TEXT NOT NULL CHECK (currency GLOB '[A-Z][A-Z][A-Z]'),
        taxable         INTEGER NOT NULL CHECK (taxable IN (0, 1)),
        counts_in_total INTEGER NOT NULL CHECK (counts_in_total IN (0, 1)),
        install_id      TEXT NOT NULL,
        version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL,
        UNIQUE (quote_id, line_no)
      ) STRICT;

      CREATE TRIGGER booking_quotes_no_update BEFORE UPDATE ON booking_quotes
      BEGIN SELECT RAISE(ABORT, 'price snapshots are kept unchanged; re-price with a new quote'); END;
      CREATE TRIGGER booking_quotes_no_delete BEFORE DELETE ON booking_quotes
      BEGIN SELECT RAISE(ABORT, 'price snapshots are kept unchanged; re-price with a new quote'); END;
      CREATE TRIGGER booking_lines_no_update BEFORE UPDATE ON booking_lines
      BEGIN SELECT RAISE(ABORT, 'price snapshots are kept unchanged; re-price with a new quote'); END;
      CREATE TRIGGER booking_lines_no_delete BEFORE DELETE ON booking_lines
      BEGIN SELECT RAISE(ABORT, 'price snapshots are kept unchanged; re-price with a new quote'); END;

      -- Vehicle handovers: one 'out' (check-out) and one 'in' (check-in) per booking.
      CREATE TABLE handovers (
        id            TEXT PRIMARY KEY,
        booking_id    TEXT NOT NULL REFERENCES bookings (id),
        kind          TEXT NOT NULL CHECK (kind IN ('out', 'in')),
        at            TEXT NOT NULL,
        odometer      INTEGER NOT NULL CHECK (odometer >= 0),
        fuel_eighths  INTEGER NOT NULL CHECK (fuel_eighths BETWEEN 0 AND 8),
        damage_notes  TEXT NOT NULL DEFAULT '' CHECK (length(damage_notes) <= 2000),
        -- [{description, amount, currency}] assessed at check-in.
        damage_json   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(damage_json)),
        photos_json   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(photos_json)),
        -- Path (relative to the data folder) of the signature image, never the image itself.
        signature_ref TEXT CHECK (signature_ref IS NULL OR length(signature_ref) <= 300),
        staff_id      TEXT,
        install_id    TEXT NOT NULL,
        version       INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        UNIQUE (booking_id, kind)
      ) STRICT;
    `);
  },
};
