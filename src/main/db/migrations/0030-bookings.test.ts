import { describe, expect, it } from 'vitest';
import { CONFLICTS_SQL } from '../../services/bookings/bookingsRepo';
import { AVAILABLE_SQL } from '../../services/fleet/fleetRepo';
import { dbAt, explain, insertBooking, insertCustomer, insertLocation, insertVehicle, migrateTo } from './testHelpers';

const window = { vehicleId: 'V1', start: '2025-06-02T01:00:00.000Z', startG: '2025-06-02T00:00:00.000Z', ownStartG: '2025-06-02T00:00:00.000Z', endG: '2025-06-03T00:00:00.000Z', shopGap: 60, now: '2025-06-01T00:00:00.000Z', excludeId: null };

describe('migration 0030 bookings and price snapshots', () => {
  it('keeps fleet and customers from 0020 and takes bookings that point at them', () => {
    const db = dbAt(20);
    insertLocation(db);
    insertVehicle(db);
    insertCustomer(db);
    migrateTo(db, 30);
    insertBooking(db);
    expect(db.prepare('SELECT b.ref, v.plate, c.last_name FROM bookings b JOIN vehicles v ON v.id = b.vehicle_id JOIN customers c ON c.id = b.customer_id').get()).toEqual({
      ref: 'KD-7F3K9',
      plate: 'GH-123-K',
      last_name: 'Jansen',
    });
    expect(() => insertBooking(db, 'B2', 'KD-22222', '2025-06-03T08:00:00.000Z', '2025-06-03T08:00:00.000Z')).toThrow(/CHECK/);
    expect(() => insertBooking(db, 'B3', 'KD-7F3K9', '2025-06-05T08:00:00.000Z', '2025-06-06T08:00:00.000Z')).toThrow(/UNIQUE/);
    expect(() => insertBooking(db, 'B4', 'KD-33333', '2025-06-05T08:00:00.000Z', '2025-06-06T08:00:00.000Z', 'NOPE')).toThrow(/FOREIGN KEY/);
  });

  it('keeps price snapshots unchanged', () => {
    const db = dbAt(30);
    insertLocation(db);
    insertVehicle(db);
    insertCustomer(db);
    insertBooking(db);
    db.prepare(
      `INSERT INTO booking_quotes (id, booking_id, reason, rate_card_id, rate_card_version, currency, tax_mode, tax_rate_bp, time_zone, rental_days, late_minutes, subtotal, discount_total, tax_total, total, computed_at, install_id, created_at, updated_at)
       VALUES ('Q1', 'B1', 'create', 'demo', 1, 'EUR', 'exclusive', 2000, 'Europe/Amsterdam', 1, 0, 4500, 0, 900, 5400, 't', 'I', 't', 't')`,
    ).run();
    db.prepare(
      `INSERT INTO booking_lines (id, quote_id, booking_id, line_no, kind, code, description, quantity, quantity_scale, unit_amount, amount, currency, taxable, counts_in_total, install_id, created_at, updated_at)
       VALUES ('L1', 'Q1', 'B1', 0, 'rental_days', 'compact', 'Compact, 1 day', 1, 1, 4500, 4500, 'EUR', 1, 1, 'I', 't', 't')`,
    ).run();
    expect(() => db.prepare('UPDATE booking_lines SET amount = 1').run()).toThrow(/kept unchanged/);
    expect(() => db.prepare('DELETE FROM booking_quotes').run()).toThrow(/kept unchanged/);
    // The booking's pointer to its current quote is checked at commit (deferred), so both can be written in one transaction.
    expect(() => db.transaction(() => db.prepare("UPDATE bookings SET quote_id = 'NOPE'").run())()).toThrow(/FOREIGN KEY/);
    db.transaction(() => db.prepare("UPDATE bookings SET quote_id = 'Q1'").run())();
  });

  it('answers the availability checks from the vehicle/time index, never by scanning bookings', () => {
    const db = dbAt(Infinity); // AVAILABLE_SQL also reads vehicle_downtime (0120)
    const conflicts = explain(db, CONFLICTS_SQL, window);
    // From 0190 the planner prefers the live-bookings copy of this index (fewer rows).
    expect(conflicts).toMatch(/SEARCH b USING INDEX bookings_(live_)?vehicle_return \(vehicle_id=\? AND return_at>\?\)/);
    expect(conflicts).toMatch(/SEARCH b USING INDEX bookings_out \(vehicle_id=\?\)/);
    expect(conflicts).not.toMatch(/SCAN b\b/);
    const available = explain(db, AVAILABLE_SQL, { ...window, class: null });
    expect(available).toMatch(/bookings_vehicle_return/);
    expect(available).toMatch(/bookings_out/);
    expect(available).not.toMatch(/SCAN b\b/);
    expect(explain(db, 'SELECT id FROM bookings WHERE pickup_at >= @a AND pickup_at < @b', { a: 'x', b: 'y' })).toMatch(/USING INDEX bookings_pickup/);
    expect(explain(db, "SELECT id FROM bookings WHERE status = 'checked_out' AND return_at < @now", { now: 'x' })).toMatch(/bookings_out|bookings_return/);
  });
});
