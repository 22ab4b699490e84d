import { afterEach, describe, expect, it } from 'vitest';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';

let shop: TestShop;
afterEach(() => shop.close());
const at = (day: number, hh: number) => `2025-06-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:00:00+02:00`;

async function reserved(s: TestShop) {
  const v = await s.vehicle({ class: 'compact' });
  const c = await s.customer();
  return s.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: at(10, 9), returnAt: at(13, 9) });
}

describe('discounts', () => {
  it('a percentage discount re-prices the booking with its own card version, and later changes keep it', async () => {
    shop = await openTestShop();
    const b = await reserved(shop);
    const res = await shop.ok('bookings.discounts.add', { bookingId: b.id, kind: 'percent', percentBp: 500, reason: 'Returning customer' });
    expect(res.total.amount).toBe(Math.round(b.total.amount * 0.95));
    const detail = await shop.ok('bookings.get', { id: b.id });
    expect(detail.quote.lines.some((l) => l.kind === 'discount' && l.description === 'Returning customer')).toBe(true);
    expect(detail.quote.rateCardVersion).toBe(b.quote.rateCardVersion);
    // Extending the booking re-prices it: the discount stays.
    const longer = await shop.ok('bookings.modify', { id: b.id, returnAt: at(14, 9) });
    expect(longer.quote.lines.some((l) => l.kind === 'discount')).toBe(true);
    const removed = await shop.ok('bookings.discounts.remove', { bookingId: b.id, discountId: res.discounts[0]?.id ?? '' });
    expect(removed.discounts).toEqual([]);
    expect(removed.total.amount).toBeGreaterThan(longer.total.amount);
    expect((await shop.ok('bookings.get', { id: b.id })).quote.discountTotal.amount).toBe(0);
  });

  it('refuses a fixed discount above the price, and asks a clerk for a manager PIN above the limit', async () => {
    shop = await openTestShop();
    const b = await reserved(shop);
    const quotes = shop.count('booking_quotes');
    const above = await shop.fail('bookings.discounts.add', { bookingId: b.id, kind: 'fixed', amount: b.total.amount + 1, reason: 'Goodwill' }, shop.manager);
    expect(above).toMatchObject({ code: 'invalid_input', fields: { amount: expect.stringContaining('more than the price') } });
    const noPin = await shop.fail('bookings.discounts.add', { bookingId: b.id, kind: 'percent', percentBp: 2000, reason: 'Goodwill' });
    expect(noPin).toMatchObject({ code: 'forbidden', fields: { managerPin: expect.any(String) } });
    const wrongPin = await shop.fail('bookings.discounts.add', { bookingId: b.id, kind: 'percent', percentBp: 2000, reason: 'Goodwill', managerId: shop.manager.staffId ?? '', managerPin: '9999' });
    expect(wrongPin.fields?.managerPin).toMatch(/^Wrong PIN\. 4 tries left/);
    const clerkPin = await shop.fail('bookings.discounts.add', { bookingId: b.id, kind: 'percent', percentBp: 2000, reason: 'Goodwill', managerId: shop.clerk.staffId ?? '', managerPin: '0000' });
    expect(clerkPin.code).toBe('forbidden');
    expect(shop.count('booking_quotes')).toBe(quotes);
    expect(shop.count('booking_discounts')).toBe(0);
    const ok = await shop.ok('bookings.discounts.add', { bookingId: b.id, kind: 'percent', percentBp: 2000, reason: 'Goodwill', managerId: shop.manager.staffId ?? '', managerPin: '1234' });
    expect(ok.discounts[0]?.approvedBy).toBe(shop.manager.staffId);
    // Small discounts need no PIN.
    expect((await shop.ok('bookings.discounts.add', { bookingId: b.id, kind: 'fixed', amount: 100, reason: 'Rounding' })).discounts).toHaveLength(2);
  });
});

describe('additional drivers', () => {
  it('prices the young-driver fee for each young driver and refuses one under the minimum age', async () => {
    shop = await openTestShop();
    const b = await reserved(shop);
    const one = await shop.ok('bookings.drivers.add', { bookingId: b.id, name: 'Sam Young', licenceNumber: 'nl1', licenceExpiry: '2030-01-01', dateOfBirth: '2003-01-01' });
    expect(one.drivers[0]).toMatchObject({ name: 'Sam Young', licenceNumber: 'NL1', ageAtPickup: 22 });
    const two = await shop.ok('bookings.drivers.add', { bookingId: b.id, name: 'Kim Young', licenceNumber: 'nl2', licenceExpiry: '2030-01-01', dateOfBirth: '2002-06-30' });
    const youngLines = (await shop.ok('bookings.get', { id: b.id })).quote.lines.filter((l) => /young/i.test(l.description));
    expect(youngLines.reduce((n, l) => n + l.amount.amount, 0)).toBe(2 * 3 * 1500);
    expect(two.total.amount).toBeGreaterThan(one.total.amount);
    const tooYoung = await shop.fail('bookings.drivers.add', { bookingId: b.id, name: 'Kid', licenceNumber: 'X', licenceExpiry: '2030-01-01', dateOfBirth: '2006-01-01' });
    expect(tooYoung.fields?.dateOfBirth).toBeDefined();
    const expired = await shop.fail('bookings.drivers.add', { bookingId: b.id, name: 'Old', licenceNumber: 'X', licenceExpiry: '2025-06-11', dateOfBirth: '1970-01-01' });
    expect(expired.fields?.licenceExpiry).toMatch(/expires/);
    expect((await shop.ok('bookings.adjustments', { bookingId: b.id })).drivers).toHaveLength(2);
    const back = await shop.ok('bookings.drivers.remove', { bookingId: b.id, driverId: two.drivers[1]?.id ?? '' });
    expect(back.total.amount).toBe(one.total.amount);
  });
});
