import type { Migration } from '../migrate';

/**
 * Discounts and additional drivers per booking, and effective dates of rate-card versions (issue 15). A discount is never edited: removing
 * one sets `removed_at`, so the audit trail and any receipt printed with it stay explainable.
 */
export const m0130BookingDiscountsDrivers: Migration = {
  version: 130,
  name: 'booking-discounts-drivers',
  up(db) {
    db.exec(`
      CREATE TABLE booking_discounts (
        id          TEXT PRIMARY KEY,
        booking_id  TEXT NOT NULL REFERENCES bookings (id),
        kind        TEXT NOT NULL CHECK (kind IN ('percent', 'fixed')),
        percent_bp  INTEGER CHECK (percent_bp IS NULL OR percent_bp BETWEEN 1 AND 10000),
        amount      INTEGER CHECK (amount IS NULL OR amount >= 0),
        currency    TEXT NOT NULL CHECK (currency GLOB '[A-Z][A-Z][A-Z]'),
        reason      TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
        approved_by TEXT,
        created_by  TEXT,
        removed_at  TEXT,
        install_id  TEXT NOT NULL,
        version     INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        CHECK ((kind = 'percent' AND percent_bp IS NOT NULL AND amount IS NULL) OR (kind = 'fixed' AND amount IS NOT NULL AND percent_bp IS NULL))
      ) STRICT;
      CREATE INDEX booking_discounts_booking ON booking_discounts (booking_id) WHERE removed_at IS NULL;

      CREATE TABLE booking_drivers (
        id             TEXT PRIMARY KEY,
        booking_id     TEXT NOT NULL REFERENCES bookings (id),
        name           TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
        licence_number TEXT NOT NULL CHECK (length(licence_number) BETWEEN 1 AND 30),
        licence_expiry TEXT NOT NULL CHECK (licence_expiry GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        date_of_birth  TEXT NOT NULL CHECK (date_of_birth GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        removed_at     TEXT,
        install_id     TEXT NOT NULL,
        version        INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at     TEXT NOT NULL,
        updated_at     TEXT NOT NULL
      ) STRICT;
      CREATE INDEX booking_drivers_booking ON booking_drivers (booking_id) WHERE removed_at IS NULL;

      -- When a rate-card version takes effect. A version without a row took effect when saved.
      CREATE TABLE rate_card_schedule (
        id             TEXT NOT NULL,
        version        INTEGER NOT NULL,
        effective_from TEXT NOT NULL,
        created_by     TEXT,
        install_id     TEXT NOT NULL,
        created_at     TEXT NOT NULL,
        PRIMARY KEY (id, version),
        FOREIGN KEY (id, version) REFERENCES rate_cards (id, version)
      ) STRICT;
      CREATE INDEX rate_card_schedule_from ON rate_card_schedule (effective_from);
    `);
  },
};
