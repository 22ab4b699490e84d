import type { Migration } from '../migrate';

/**
 * The office runs the shop from the app (issue 15):
 * - staff gain the `admin` role and `must_change_pin` (a reset PIN is replaced at next sign-in).
 *   SQLite cannot change a CHECK in place; nothing references `staff`, so the table is rebuilt.
 * - vehicles gain a VIN (unique when given) and `retired_at` (retired vehicles are kept: bookings
 *   reference them). `vehicles` is referenced by bookings, so it is extended, not rebuilt.
 * - `vehicle_downtime`: a vehicle out of service for a date range; availability honours it.
 * - locations gain address, time zone, currency, opening hours, turnaround gap and tax settings.
 * - customers gain `erased_at` (personal data replaced on request) and `merged_into`.
 */
export const m0120OfficeAdmin: Migration = {
  version: 120,
  name: 'office-admin',
  up(db) {
    db.exec(`
      CREATE TABLE staff_new (
        id              TEXT PRIMARY KEY,
        name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
        role            TEXT NOT NULL CHECK (role IN ('clerk', 'manager', 'admin')),
        pin_hash        TEXT NOT NULL,
        failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
        locked_until    TEXT,
        active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        must_change_pin INTEGER NOT NULL DEFAULT 0 CHECK (must_change_pin IN (0, 1)),
        install_id      TEXT NOT NULL,
        version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL
      ) STRICT;
      INSERT INTO staff_new (id, name, role, pin_hash, failed_attempts, locked_until, active, install_id, version, created_at, updated_at)
        SELECT id, name, role, pin_hash, failed_attempts, locked_until, active, install_id, version, created_at, updated_at FROM staff;
      DROP TABLE staff;
      ALTER TABLE staff_new RENAME TO staff;

      ALTER TABLE vehicles ADD COLUMN vin TEXT CHECK (vin IS NULL OR (length(vin) = 17 AND vin NOT GLOB '*[^A-HJ-NPR-Z0-9]*'));
      ALTER TABLE vehicles ADD COLUMN retired_at TEXT;
      CREATE UNIQUE INDEX vehicles_vin ON vehicles (vin) WHERE vin IS NOT NULL;

      CREATE TABLE vehicle_downtime (
        id           TEXT PRIMARY KEY,
        vehicle_id   TEXT NOT NULL REFERENCES vehicles (id),
        starts_at    TEXT NOT NULL,
        ends_at      TEXT NOT NULL CHECK (ends_at > starts_at),
        reason       TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
        cancelled_at TEXT,
        created_by   TEXT,
        install_id   TEXT NOT NULL,
        version      INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL
      ) STRICT;
      CREATE INDEX vehicle_downtime_vehicle ON vehicle_downtime (vehicle_id, ends_at) WHERE cancelled_at IS NULL;

      ALTER TABLE locations ADD COLUMN address TEXT NOT NULL DEFAULT '' CHECK (length(address) <= 300);
      ALTER TABLE locations ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
      ALTER TABLE locations ADD COLUMN currency TEXT NOT NULL DEFAULT '' CHECK (currency = '' OR currency GLOB '[A-Z][A-Z][A-Z]');
      -- [{day:1..7, opens:'HH:MM', closes:'HH:MM'}], Monday = 1; a day not listed is closed.
      ALTER TABLE locations ADD COLUMN opening_hours_json TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(opening_hours_json));
      -- NULL: the shop-wide turnaround gap from settings.
      ALTER TABLE locations ADD COLUMN turnaround_minutes INTEGER CHECK (turnaround_minutes IS NULL OR turnaround_minutes BETWEEN 0 AND 1440);
      ALTER TABLE locations ADD COLUMN tax_name TEXT NOT NULL DEFAULT '';
      -- NULL: the rate card's tax rate.
      ALTER TABLE locations ADD COLUMN tax_rate_bp INTEGER CHECK (tax_rate_bp IS NULL OR tax_rate_bp BETWEEN 0 AND 10000);

      ALTER TABLE customers ADD COLUMN erased_at TEXT;
      ALTER TABLE customers ADD COLUMN merged_into TEXT;
    `);
  },
};
