import { describe, expect, it } from 'vitest';
import { dbAt, insertBooking, insertCustomer, insertLocation, insertVehicle, migrateTo } from './testHelpers';

describe('migration 0140 end fees', () => {
  it('adds an empty fee to bookings already stored and refuses a negative one', () => {
    const db = dbAt(130);
    insertLocation(db);
    insertVehicle(db);
    insertCustomer(db);
    insertBooking(db);
    migrateTo(db, 140);
    expect(db.prepare('SELECT end_fee FROM bookings').get()).toEqual({ end_fee: null });
    db.prepare('UPDATE bookings SET end_fee = 2500').run();
    expect(() => db.prepare('UPDATE bookings SET end_fee = -1').run()).toThrow(/CHECK/);
  });
});
