import { afterEach, describe, expect, it } from 'vitest';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';

let shop: TestShop;
afterEach(() => shop.close());

const at = (day: number, hh: number) => `2025-06-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:00:00+02:00`;

describe('the price of a change, before it is confirmed', () => {
  it('quotes an extension on the booking’s own rate card, exactly what the extension then charges', async () => {
    shop = await openTestShop();
    const v = await shop.vehicle({ class: 'midsize' });
    const c = await shop.customer();
    const b = await shop.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: at(2, 9), returnAt: at(4, 9) });
    // The shop raises its prices after the booking was made.
    const { raw } = await shop.ok('rates.get', {});
    const card = structuredClone(raw);
    card.classes.midsize!.dailyRate = 9000;
    await shop.ok('rates.update', { card }, shop.manager);

    const change = { customerId: c.id, vehicleId: v.id, pickupAt: at(2, 9), returnAt: at(5, 9) };
    const preview = (await shop.ok('bookings.quote', { ...change, bookingId: b.id })).quote;
    const today = (await shop.ok('bookings.quote', change)).quote;
    expect(preview.total.amount).not.toBe(today.total.amount);
    const extended = await shop.ok('bookings.extend', { id: b.id, returnAt: at(5, 9) });
    expect(extended.total).toEqual(preview.total);
  });
});
