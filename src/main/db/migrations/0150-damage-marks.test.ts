import { describe, expect, it } from 'vitest';
import { dbAt, insertBooking, insertCustomer, insertLocation, insertVehicle, migrateTo } from './testHelpers';

describe('migration 0150 damage marks', () => {
  it('gives hand-overs already stored no marks (refusing marks that are not JSON) and bookings already stored their car', () => {
    const db = dbAt(140);
    insertLocation(db);
    insertVehicle(db);
    insertCustomer(db);
    insertBooking(db);
    db.prepare(
      `INSERT INTO handovers (id, booking_id, kind, at, odometer, fuel_eighths, damage_notes, damage_json, photos_json, install_id, created_at, updated_at)
       VALUES ('H1', 'B1', 'out', '2025-06-02T08:00:00.000Z', 100, 8, '', '[]', '[]', 'I', 'now', 'now')`,
    ).run();
    migrateTo(db, 150);
    expect(db.prepare('SELECT marks_json FROM handovers').get()).toEqual({ marks_json: '[]' });
    expect(() => db.prepare("UPDATE handovers SET marks_json = 'nope'").run()).toThrow(/CHECK/);
    // Bookings already stored have their car.
    expect(db.prepare('SELECT car_assigned FROM bookings').get()).toEqual({ car_assigned: 1 });
  });
});
