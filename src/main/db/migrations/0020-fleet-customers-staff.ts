import type { Migration } from '../migrate';

/** Digits of a phone number as entered ("+31 (6) 12-34" → "316 1234"): phone input allows only these separators. */
const PHONE_DIGITS = `replace(replace(replace(replace(replace(replace(replace(phone, ' ', ''), '+', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', '')`;

const ISO_DATE = `GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'`;

/**
 * Shared records (locations, vehicles, customers, staff) carry the install that created them and
 * a version, so counters can later merge them through the office server. Times are ISO strings in
 * UTC; dates (birthday, licence expiry) are YYYY-MM-DD.
 */
export const m0020FleetCustomersStaff: Migration = {
  version: 20,
  name: 'fleet-customers-staff',
  up(db) {
    db.exec(`
      CREATE TABLE locations (
        id         TEXT PRIMARY KEY,
        code       TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 40),
        name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
        is_home    INTEGER NOT NULL DEFAULT 0 CHECK (is_home IN (0, 1)),
        install_id TEXT NOT NULL,
        version    INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      -- At most one home location: the default for pickups and returns.
      CREATE UNIQUE INDEX locations_one_home ON locations (is_home) WHERE is_home = 1;

      CREATE TABLE staff (
        id              TEXT PRIMARY KEY,
        name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
        role            TEXT NOT NULL CHECK (role IN ('clerk', 'manager')),
        -- scrypt$N$r$p$salt$hash (base64); never leaves main.
        pin_hash        TEXT NOT NULL,
        failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
        locked_until    TEXT,
        active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        install_id      TEXT NOT NULL,
        version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL
      ) STRICT;

      CREATE TABLE vehicles (
        id           TEXT PRIMARY KEY,
        plate        TEXT NOT NULL UNIQUE CHECK (length(plate) BETWEEN 2 AND 12),
        make         TEXT NOT NULL,
        model        TEXT NOT NULL,
        colour       TEXT NOT NULL DEFAULT '',
        year         INTEGER,
        class        TEXT NOT NULL,
        odometer     INTEGER NOT NULL CHECK (odometer >= 0),
        fuel_eighths INTEGER NOT NULL CHECK (fuel_eighths BETWEEN 0 AND 8),
        tank_litres  INTEGER NOT NULL DEFAULT 50 CHECK (tank_litres > 0),
        status       TEXT NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'on_rent', 'in_service')),
        location_id  TEXT REFERENCES locations (id),
        notes        TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
        install_id   TEXT NOT NULL,
        version      INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL
      ) STRICT;
      CREATE INDEX vehicles_class_status ON vehicles (class, status);

      -- seq is the stable rowid the search index points at (a TEXT primary key's rowid can change on VACUUM).
      CREATE TABLE customers (
        seq            INTEGER PRIMARY KEY,
        id             TEXT NOT NULL UNIQUE,
        first_name     TEXT NOT NULL CHECK (length(first_name) BETWEEN 1 AND 60),
        last_name      TEXT NOT NULL CHECK (length(last_name) BETWEEN 1 AND 60),
        email          TEXT NOT NULL DEFAULT '',
        phone          TEXT NOT NULL,
        phone_digits   TEXT NOT NULL GENERATED ALWAYS AS (${PHONE_DIGITS}) STORED,
        licence_number TEXT NOT NULL,
        licence_expiry TEXT NOT NULL CHECK (licence_expiry ${ISO_DATE}),
        date_of_birth  TEXT NOT NULL CHECK (date_of_birth ${ISO_DATE}),
        notes          TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
        install_id     TEXT NOT NULL,
        version        INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at     TEXT NOT NULL,
        updated_at     TEXT NOT NULL
      ) STRICT;

      -- Each version of a rate card is kept unchanged, so a booking can always be re-priced with
      -- the card it was quoted on; a change is a new version.
      CREATE TABLE rate_cards (
        id         TEXT NOT NULL,
        version    INTEGER NOT NULL CHECK (version >= 1),
        name       TEXT NOT NULL,
        currency   TEXT NOT NULL CHECK (currency GLOB '[A-Z][A-Z][A-Z]'),
        card_json  TEXT NOT NULL CHECK (json_valid(card_json)),
        install_id TEXT NOT NULL,
        created_by TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (id, version)
      ) STRICT;
      CREATE TRIGGER rate_cards_no_update BEFORE UPDATE ON rate_cards
      BEGIN SELECT RAISE(ABORT, 'rate card versions are immutable; save a new version'); END;
      CREATE TRIGGER rate_cards_no_delete BEFORE DELETE ON rate_cards
      BEGIN SELECT RAISE(ABORT, 'rate card versions are kept for the bookings priced with them'); END;
    `);
  },
};
