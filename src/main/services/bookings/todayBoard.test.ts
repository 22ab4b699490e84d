import { afterEach, describe, expect, it } from 'vitest';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';

let shop: TestShop;
afterEach(() => shop.close());

const at = (day: number, hh: number) => `2025-06-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:00:00+02:00`;

describe("today's board", () => {
  it('keeps a booking returned on an earlier day with a balance due on the board until it is settled', async () => {
    shop = await openTestShop({ now: '2025-06-02T06:00:00.000Z' });
    const c = await shop.customer();
    const v = await shop.vehicle();
    const b = await shop.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: at(2, 9), returnAt: at(3, 9) });
    shop.clock.now = new Date(at(2, 9));
    await shop.ok('bookings.checkOut', { id: b.id, odometer: 10_000, fuelEighths: 8 });
    shop.clock.now = new Date(at(3, 9));
    await shop.ok('bookings.checkIn', { id: b.id, odometer: 10_100, fuelEighths: 8 });

    // Two days later, nothing of it is due today, but the money is still owed.
    shop.clock.now = new Date(at(5, 10));
    const board = await shop.ok('counter.today', {});
    expect(board.returns).toEqual([]);
    expect(board.unsettled.map((x) => [x.ref, x.balanceDue.amount > 0])).toEqual([[b.ref, true]]);

    // Settled and closed: off the board.
    shop.b.db.prepare("UPDATE bookings SET status = 'closed', version = version + 1 WHERE id = ?").run(b.id);
    expect((await shop.ok('counter.today', {})).unsettled).toEqual([]);
  });
});
