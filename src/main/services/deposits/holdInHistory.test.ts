import { afterEach, describe, expect, it } from 'vitest';
import { openDepositShop } from '../../testing/depositsTestKit';
import type { DepositShop } from '../../testing/depositsTestKit';

// The booking's payment history (payments.forBooking) tells a deposit hold from a rental payment:
// it carries the hold's own numbers (held, captured, released) from the deposits capability.
let shop: DepositShop;
afterEach(async () => shop?.shutdown());

const at = (day: number, hh: number, mm = 0) => `2025-06-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00+02:00`;

describe('a deposit hold in the payment history', () => {
  it('shows €300 held at pickup, then what was captured and released at return; the rental payment stays a charge', async () => {
    shop = await openDepositShop();
    const b = await shop.rental({ days: 3 });
    await shop.payRental(b.id);
    await shop.hold(b.id);
    const held = await shop.ok('payments.forBooking', { bookingId: b.id });
    const [rental, hold] = held.payments;
    expect(rental).toMatchObject({ kind: 'charge', method: 'card_present', status: 'succeeded', hold: null });
    expect(hold).toMatchObject({ kind: 'deposit_hold', status: 'authorized', hold: { state: 'held', authorized: { amount: 30_000, currency: 'EUR' }, captured: null, released: null, topUpOf: null } });

    await shop.ok('bookings.checkOut', { id: b.id, odometer: 10_000, fuelEighths: 8 });
    shop.clock.now = new Date(at(5, 12));
    const back = await shop.ok('bookings.checkIn', { id: b.id, odometer: 10_300, fuelEighths: 6, returnedAt: at(5, 11, 30) });
    const extras = back.total.amount - b.total.amount;
    await shop.ok('deposits.settle', { bookingId: b.id });
    const settled = await shop.ok('payments.forBooking', { bookingId: b.id });
    expect(settled.payments.find((p) => p.kind === 'deposit_hold')?.hold).toEqual({
      state: 'captured',
      authorized: { amount: 30_000, currency: 'EUR' },
      captured: { amount: extras, currency: 'EUR' },
      released: { amount: 30_000 - extras, currency: 'EUR' },
      topUpOf: null,
    });
  });

  it('a hold released with nothing owed says so', async () => {
    shop = await openDepositShop();
    const b = await shop.rental({ days: 3 });
    await shop.payRental(b.id);
    await shop.hold(b.id);
    await shop.ok('bookings.checkOut', { id: b.id, odometer: 10_000, fuelEighths: 8 });
    shop.clock.now = new Date(at(5, 8));
    await shop.ok('bookings.checkIn', { id: b.id, odometer: 10_100, fuelEighths: 8, returnedAt: at(5, 8) });
    await shop.ok('deposits.settle', { bookingId: b.id });
    const v = await shop.ok('payments.forBooking', { bookingId: b.id });
    expect(v.payments.find((p) => p.kind === 'deposit_hold')?.hold).toMatchObject({ state: 'released', captured: null, released: { amount: 30_000 } });
  });
});
