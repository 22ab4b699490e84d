import { describe, expect, it } from 'vitest';
import { dbAt, explain, migrateTo, insertBooking, insertCustomer, insertLocation, insertVehicle } from './testHelpers';

describe('migration 0100 vehicle turnaround', () => {
  it('adds when each vehicle last came back, filled from the check-ins already recorded', () => {
    const db = dbAt(60);
    insertLocation(db);
    insertVehicle(db);
    insertCustomer(db);
    insertBooking(db);
    const handover = db.prepare(
      `INSERT INTO handovers (id, booking_id, kind, at, odometer, fuel_eighths, damage_notes, damage_json, photos_json, install_id, created_at, updated_at)
       VALUES (?, 'B1', ?, ?, 100, 8, '', '[]', '[]', 'I', 'now', 'now')`,
    );
    handover.run('H1', 'out', '2025-06-01T09:00:00.000Z');
    handover.run('H2', 'in', '2025-06-02T16:53:00.000Z');
    migrateTo(db, 100);
    expect(db.prepare('SELECT returned_at FROM vehicles').get()).toEqual({ returned_at: '2025-06-02T16:53:00.000Z' });
    expect(explain(db, "SELECT id FROM bookings WHERE status = 'returned' ORDER BY return_at")).toMatch(/bookings_returned/);
  });
});
