import { describe, expect, it } from 'vitest';
import { dbAt, insertBooking, insertCustomer, insertLocation, insertVehicle, migrateTo } from './testHelpers';

describe('migration 0160 quote tax name', () => {
  it('leaves quotes already stored without a tax name (they used the card’s) and refuses an empty one', () => {
    const db = dbAt(150);
    insertLocation(db);
    insertVehicle(db);
    insertCustomer(db);
    insertBooking(db);
    const quote = (id: string) =>
      `INSERT INTO booking_quotes (id, booking_id, reason, rate_card_id, rate_card_version, currency, tax_mode, tax_rate_bp, time_zone, rental_days, late_minutes, subtotal, discount_total, tax_total, total, computed_at, install_id, created_at, updated_at)
       VALUES ('${id}', 'B1', 'create', 'card', 1, 'EUR', 'exclusive', 2100, 'Europe/Amsterdam', 1, 0, 100, 0, 21, 121, 'now', 'I', 'now', 'now')`;
    db.prepare(quote('Q1')).run();
    migrateTo(db, 160);
    expect(db.prepare('SELECT tax_name FROM booking_quotes').get()).toEqual({ tax_name: null });
    db.prepare(quote('Q2')).run();
    expect(() => db.prepare("INSERT INTO booking_quotes SELECT id || 'x', booking_id, reason, rate_card_id, rate_card_version, currency, tax_mode, tax_rate_bp, time_zone, rental_days, late_minutes, subtotal, discount_total, tax_total, total, computed_at, install_id, version, created_at, updated_at, '' FROM booking_quotes WHERE id = 'Q2'").run()).toThrow(/CHECK/);
  });
});
