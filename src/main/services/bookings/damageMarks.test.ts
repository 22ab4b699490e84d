import { afterEach, describe, expect, it } from 'vitest';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';

let shop: TestShop;
afterEach(() => shop.close());

describe('damage marked on the diagram', () => {
  it('keeps the marks of check-out and check-in with each hand-over, and refuses marks off the diagram', async () => {
    shop = await openTestShop();
    const c = await shop.customer();
    const v = await shop.vehicle();
    const b = await shop.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: '2025-06-02T09:00:00+02:00', returnAt: '2025-06-03T09:00:00+02:00' });
    const off = await shop.fail('bookings.checkOut', { id: b.id, odometer: 20_000, fuelEighths: 8, marks: [{ x: 1001, y: 10, note: 'x' }] });
    expect(off.code).toBe('invalid_input');
    const blank = await shop.fail('bookings.checkOut', { id: b.id, odometer: 20_000, fuelEighths: 8, marks: [{ x: 10, y: 10, note: ' ' }] });
    expect(JSON.stringify(blank.fields)).toMatch(/Damage note/);
    const scratch = { x: 120, y: 300, note: 'Scratch on front left door' };
    const out = await shop.ok('bookings.checkOut', { id: b.id, odometer: 20_000, fuelEighths: 8, marks: [scratch] });
    expect(out.checkOut?.marks).toEqual([scratch]);
    shop.clock.now = new Date('2025-06-03T07:00:00.000Z');
    const dent = { x: 800, y: 700, note: 'Dent in rear bumper' };
    const back = await shop.ok('bookings.checkIn', { id: b.id, odometer: 20_100, fuelEighths: 8, marks: [scratch, dent] });
    expect(back.checkIn?.marks).toEqual([scratch, dent]);
    expect(back.checkOut?.marks).toEqual([scratch]);
  });
});
