import type { Migration } from '../migrate';

/**
 * A phone's digits and every suffix of at least 4 digits, so a prefix search finds a number
 * typed whole, without its country code, or by its last digits ("0123").
 */
function phoneTokens(digits: string): string {
  const parts = [digits];
  for (let k = 1; k <= 12; k++) parts.push(`iif(length(${digits}) - ${k} >= 4, substr(${digits}, ${k + 1}), '')`);
  return `trim(${parts.join(` || ' ' || `)})`;
}

/** Plates and licences also as one compact token: "GH-123-K" is found by "GH123". */
const compact = (col: string) => `${col} || ' ' || replace(replace(${col}, '-', ''), ' ', '')`;

const name = (c: string) => `${c}.first_name || ' ' || ${c}.last_name`;

/**
 * The UTC dates a booking picks up and returns on, as tokens ("zd20250604"), so "which of today's
 * bookings match" is an AND with a small doclist instead of a check per booking. Not searchable
 * by what a clerk types (queries never produce these tokens) and weighted 0 in ranking.
 */
const days = (b: string) => `'zd' || replace(substr(${b}.pickup_at, 1, 10), '-', '') || ' zd' || replace(substr(${b}.return_at, 1, 10), '-', '')`;

/**
 * Full-text search (FTS5) over bookings (ref, customer name, email, phone, licence, plate) and
 * customers. Triggers keep both indexes in step with the tables inside the writer's own
 * transaction, so search never shows a booking that was rolled back. The booking index stores
 * the ref's code without "KD-" (every ref has it; indexing it would make every ref match).
 */
export const m0040Search: Migration = {
  version: 40,
  name: 'search',
  up(db) {
    const bookingRow = (b: string) => `
      SELECT ${b}.seq, substr(${b}.ref, 4), ${name('c')}, c.email, ${phoneTokens('c.phone_digits')}, ${compact('c.licence_number')}, ${compact('v.plate')}, ${days(b)}
      FROM customers c, vehicles v WHERE c.id = ${b}.customer_id AND v.id = ${b}.vehicle_id`;
    db.exec(`
      CREATE VIRTUAL TABLE bookings_fts USING fts5 (
        ref, name, email, phone, licence, plate, days,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4'
      );
      CREATE VIRTUAL TABLE customers_fts USING fts5 (
        name, email, phone, licence,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4'
      );

      CREATE TRIGGER bookings_fts_insert AFTER INSERT ON bookings BEGIN
        INSERT INTO bookings_fts (rowid, ref, name, email, phone, licence, plate, days) ${bookingRow('NEW')};
      END;
      CREATE TRIGGER bookings_fts_update AFTER UPDATE OF ref, customer_id, vehicle_id, pickup_at, return_at ON bookings BEGIN
        DELETE FROM bookings_fts WHERE rowid = OLD.seq;
        INSERT INTO bookings_fts (rowid, ref, name, email, phone, licence, plate, days) ${bookingRow('NEW')};
      END;
      CREATE TRIGGER bookings_fts_delete AFTER DELETE ON bookings BEGIN
        DELETE FROM bookings_fts WHERE rowid = OLD.seq;
      END;

      CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers BEGIN
        INSERT INTO customers_fts (rowid, name, email, phone, licence)
        VALUES (NEW.seq, ${name('NEW')}, NEW.email, ${phoneTokens('NEW.phone_digits')}, ${compact('NEW.licence_number')});
      END;
      CREATE TRIGGER customers_fts_update AFTER UPDATE OF first_name, last_name, email, phone, licence_number ON customers BEGIN
        UPDATE customers_fts SET name = ${name('NEW')}, email = NEW.email, phone = ${phoneTokens('NEW.phone_digits')}, licence = ${compact('NEW.licence_number')}
        WHERE rowid = NEW.seq;
        UPDATE bookings_fts SET name = ${name('NEW')}, email = NEW.email, phone = ${phoneTokens('NEW.phone_digits')}, licence = ${compact('NEW.licence_number')}
        WHERE rowid IN (SELECT seq FROM bookings WHERE customer_id = NEW.id);
      END;
      CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers BEGIN
        DELETE FROM customers_fts WHERE rowid = OLD.seq;
      END;

      CREATE TRIGGER vehicles_fts_update AFTER UPDATE OF plate ON vehicles BEGIN
        UPDATE bookings_fts SET plate = ${compact('NEW.plate')}
        WHERE rowid IN (SELECT seq FROM bookings WHERE vehicle_id = NEW.id);
      END;
    `);
    // Rows written before this migration (none on a fresh install, but a hotfix may reorder).
    db.exec(REBUILD_SEARCH_SQL);
  },
};

/**
 * Refills both search indexes from the tables in one pass: used by this migration, and by bulk
 * loads that switch the row triggers off (indexing row by row costs ~10× more in one big load).
 */
export const REBUILD_SEARCH_SQL: string = `
  DELETE FROM customers_fts;
  DELETE FROM bookings_fts;
  INSERT INTO customers_fts (rowid, name, email, phone, licence)
    SELECT seq, ${name('customers')}, email, ${phoneTokens('phone_digits')}, ${compact('licence_number')} FROM customers;
  INSERT INTO bookings_fts (rowid, ref, name, email, phone, licence, plate, days)
    SELECT b.seq, substr(b.ref, 4), ${name('c')}, c.email, ${phoneTokens('c.phone_digits')}, ${compact('c.licence_number')}, ${compact('v.plate')}, ${days('b')}
    FROM bookings b JOIN customers c ON c.id = b.customer_id JOIN vehicles v ON v.id = b.vehicle_id;
`;
