import { describe, expect, it } from 'vitest';
import { dbAt, explain, insertBooking, insertCustomer, insertLocation, insertVehicle } from './testHelpers';

describe('migration 0130 booking discounts and drivers', () => {
  it('holds either a percentage or an amount, never both, and indexes live rows by booking', () => {
    const db = dbAt(130);
    insertLocation(db);
    insertVehicle(db);
    insertCustomer(db);
    insertBooking(db);
    const add = db.prepare(
      "INSERT INTO booking_discounts (id, booking_id, kind, percent_bp, amount, currency, reason, install_id, created_at, updated_at) VALUES (?, 'B1', ?, ?, ?, 'EUR', 'loyal', 'I', 't', 't')",
    );
    add.run('D1', 'percent', 1000, null);
    add.run('D2', 'fixed', null, 500);
    expect(() => add.run('D3', 'fixed', 1000, 500)).toThrow(/CHECK/);
    expect(() => add.run('D4', 'fixed', null, -1)).toThrow(/CHECK/);
    expect(explain(db, "SELECT * FROM booking_discounts WHERE booking_id = 'B1' AND removed_at IS NULL")).toMatch(/booking_discounts_booking/);
    expect(() =>
      db.prepare("INSERT INTO booking_drivers (id, booking_id, name, licence_number, licence_expiry, date_of_birth, install_id, created_at, updated_at) VALUES ('R1', 'B9', 'X', 'L', '2030-01-01', '2000-01-01', 'I', 't', 't')").run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it('schedules only a stored rate-card version', () => {
    const db = dbAt(130);
    expect(() =>
      db.prepare("INSERT INTO rate_card_schedule (id, version, effective_from, install_id, created_at) VALUES ('std', 9, '2026-01-01T00:00:00Z', 'I', 't')").run(),
    ).toThrow(/FOREIGN KEY/);
    expect(explain(db, "SELECT * FROM rate_card_schedule WHERE effective_from > 'x'")).toMatch(/rate_card_schedule_from/);
  });
});
