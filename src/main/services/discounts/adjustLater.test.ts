import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';

/**
 * Discounts and drivers after the reservation: a second driver at pickup or while the car is
 * out, a goodwill discount at the return; the money follows (balance, credit, refund).
 */
let shop: TestShop;
afterEach(() => shop.close());
const at = (day: number, hh: number, mm = 0) => `2025-06-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00+02:00`;
const driver = { name: 'Sam Young', licenceNumber: 'nl1', licenceExpiry: '2030-01-01', dateOfBirth: '2003-01-01' };

async function booked(s: TestShop) {
  const v = await s.vehicle({ class: 'compact', odometer: 20_000 });
  const c = await s.customer();
  return s.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: at(2, 9), returnAt: at(5, 9) });
}

async function out(s: TestShop) {
  const b = await booked(s);
  s.clock.now = new Date(at(2, 9, 5));
  await s.ok('bookings.checkOut', { id: b.id, odometer: 20_010, fuelEighths: 8 });
  return b;
}

type Damage = { description: string; amount: number; currency: 'EUR' };
async function returned(s: TestShop, readings: { fuelEighths?: number; returnedAt?: string; newDamage?: Damage[] } = {}, booking?: { id: string }) {
  const b = booking ?? (await booked(s));
  s.clock.now = new Date(at(2, 9, 5));
  await s.ok('bookings.checkOut', { id: b.id, odometer: 20_010, fuelEighths: 8 });
  s.clock.now = new Date(at(5, 12));
  return s.ok('bookings.checkIn', { id: b.id, odometer: 20_300, fuelEighths: readings.fuelEighths ?? 8, returnedAt: readings.returnedAt ?? at(5, 9), newDamage: readings.newDamage ?? [] });
}

describe('drivers and discounts after the reservation', () => {
  it('a second driver is added while the car is out, priced for the whole rental; not once it is back', async () => {
    shop = await openTestShop();
    const b = await out(shop);
    const added = await shop.ok('bookings.drivers.add', { bookingId: b.id, ...driver });
    expect(added.status).toBe('checked_out');
    // Three days of the young-driver fee (15.00 a day on the demo card), tax on top.
    expect(added.total.amount).toBeGreaterThan(b.total.amount + 3 * 1500 - 1);
    const detail = await shop.ok('bookings.get', { id: b.id });
    expect(detail.quote.rateCardVersion).toBe(b.quote.rateCardVersion);
    expect(detail.quote.lines.some((l) => /young/i.test(l.description))).toBe(true);
    shop.clock.now = new Date(at(5, 9, 30));
    await shop.ok('bookings.checkIn', { id: b.id, odometer: 20_300, fuelEighths: 8, returnedAt: at(5, 9) });
    const quotes = shop.count('booking_quotes');
    const late = await shop.fail('bookings.drivers.add', { bookingId: b.id, ...driver, name: 'Kim' });
    expect(late).toMatchObject({ code: 'conflict', fields: { bookingId: expect.stringMatching(/is returned; drivers can be added or removed only while it is reserved or the car is out/) } });
    expect(shop.count('booking_quotes')).toBe(quotes);
    expect(shop.count('booking_drivers')).toBe(1);
  });

  it('a goodwill discount at the return keeps the return charges, and removing it restores the price exactly', async () => {
    shop = await openTestShop();
    // Two eighths of fuel missing, two hours late, a scratch.
    const back = await returned(shop, { fuelEighths: 6, returnedAt: at(5, 11), newDamage: [{ description: 'Scratch on the bumper', amount: 8000, currency: 'EUR' }] });
    const kinds = back.quote.lines.map((l) => l.kind);
    expect(kinds).toEqual(expect.arrayContaining(['late_return', 'fuel', 'damage']));
    const given = await shop.ok('bookings.discounts.add', { bookingId: back.id, kind: 'percent', percentBp: 500, reason: 'Goodwill: slow desk' });
    expect(given.total.amount).toBe(Math.round(back.total.amount * 0.95));
    const detail = await shop.ok('bookings.get', { id: back.id });
    expect(detail.status).toBe('returned');
    expect(detail.quote.lines.map((l) => l.kind)).toEqual(expect.arrayContaining(['late_return', 'fuel', 'damage', 'discount']));
    expect(detail.quote.rateCardVersion).toBe(back.quote.rateCardVersion);
    const removed = await shop.ok('bookings.discounts.remove', { bookingId: back.id, discountId: given.discounts[0]?.id ?? '' });
    expect(removed.total).toEqual(back.total);
  });

  it('a discount after payment leaves a credit: the balance says so, the refund returns it, and the booking closes', async () => {
    shop = await openTestShop();
    const b = await booked(shop);
    await shop.ok('payments.cash', { bookingId: b.id, tendered: b.total.amount });
    const back = await returned(shop, {}, b);
    expect(back.balanceDue.amount).toBe(0);
    const payment = (await shop.ok('payments.forBooking', { bookingId: b.id })).payments[0];
    // 20.00 off before tax: 24.00 off the total at the test card's 20 % tax.
    const given = await shop.ok('bookings.discounts.add', { bookingId: b.id, kind: 'fixed', amount: 2000, reason: 'Goodwill: car not cleaned' }, shop.manager);
    expect(given).toMatchObject({ total: { amount: b.total.amount - 2400 }, paid: { amount: b.total.amount }, balanceDue: { amount: -2400 }, canDiscount: true, canChangeDrivers: false });
    expect((await shop.ok('bookings.get', { id: b.id })).balanceDue.amount).toBe(-2400);
    // Closing now would hide the credit: the booking shows it owed until it is refunded.
    await shop.ok('refunds.create', { paymentId: payment?.id ?? '', amount: 2400, reasonCode: 'goodwill' }, shop.manager);
    expect((await shop.ok('bookings.adjustments', { bookingId: b.id })).balanceDue.amount).toBe(0);
    const closed = await shop.ok('bookings.close', { id: b.id });
    expect(closed.status).toBe('closed');
    // Closed: no more discounts, nothing written.
    const quotes = shop.count('booking_quotes');
    const refused = await shop.fail('bookings.discounts.add', { bookingId: b.id, kind: 'fixed', amount: 100, reason: 'More' }, shop.manager);
    expect(refused).toMatchObject({ code: 'conflict', message: expect.stringMatching(/is closed; discounts can be given or removed only until the booking is closed/) });
    expect(shop.count('booking_quotes')).toBe(quotes);
    expect(shop.count('booking_discounts')).toBe(1);
  });

  it('a cancelled booking takes no discount and no driver', async () => {
    shop = await openTestShop();
    const b = await booked(shop);
    await shop.ok('bookings.cancel', { id: b.id, reason: 'Plans changed' });
    const d = await shop.fail('bookings.discounts.add', { bookingId: b.id, kind: 'percent', percentBp: 500, reason: 'x' });
    expect(d.fields?.bookingId).toMatch(/is cancelled; discounts/);
    expect((await shop.fail('bookings.drivers.add', { bookingId: b.id, ...driver })).fields?.bookingId).toMatch(/is cancelled; drivers/);
    expect(shop.count('booking_discounts') + shop.count('booking_drivers')).toBe(0);
  });

  it('discounts given at the same moment never stack beyond the price', async () => {
    shop = await openTestShop();
    const b = await booked(shop);
    const pin = { managerId: shop.manager.staffId ?? '', managerPin: '1234' };
    // 60 % of the price before tax (the engine takes a fixed discount off before tax).
    const sixty = Math.round((b.quote.subtotal.amount * 6) / 10);
    // A clerk with a manager's PIN: each call awaits the PIN check, so both pass their first look at the price.
    const results = await Promise.all([1, 2, 3].map((n) => shop.b.call(shop.clerk, 'bookings.discounts.add', { bookingId: b.id, kind: 'fixed', amount: sixty, reason: `Goodwill ${n}`, ...pin })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results) if (!r.ok) expect(r.error.fields?.amount).toMatch(/more than the price/);
    const after = await shop.ok('bookings.adjustments', { bookingId: b.id });
    expect(after.discounts).toHaveLength(1);
    expect(after.total.amount).toBe(Math.round(((b.quote.subtotal.amount - sixty) * 12) / 10));

    // Small discounts by a clerk, each under the limit, cannot add up past it without a PIN.
    // (6 % and then 6 % of the rest is 11.64 % of the price, above the shop's 10 %.)
    const other = await booked(shop);
    const small = await Promise.all([1, 2].map((n) => shop.b.call(shop.clerk, 'bookings.discounts.add', { bookingId: other.id, kind: 'percent', percentBp: 600, reason: `Small ${n}` })));
    expect(small.filter((r) => r.ok)).toHaveLength(1);
    const asked = small.find((r) => !r.ok);
    expect(asked && !asked.ok && asked.error).toMatchObject({ code: 'forbidden', fields: { managerPin: expect.stringMatching(/above 10 % of the price/) } });
  });
});

describe('two counters on one database file', () => {
  it('give discounts to one booking at once: they never stack beyond the price', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kd-disc-'));
    const dbPath = join(dir, 'shop.sqlite');
    shop = await openTestShop({ dbPath });
    const other = await openTestShop({ dbPath });
    try {
      const b = await booked(shop);
      const pin = { managerId: shop.manager.staffId ?? '', managerPin: '1234' };
      const sixty = Math.round((b.quote.subtotal.amount * 6) / 10);
      for (let round = 0; round < 3; round++) {
        const results = await Promise.all([shop, other, shop, other].map((s, n) => s.b.call(s.clerk, 'bookings.discounts.add', { bookingId: b.id, kind: 'fixed', amount: sixty, reason: `Round ${round} counter ${n}`, ...pin })));
        expect(results.filter((r) => r.ok)).toHaveLength(round === 0 ? 1 : 0);
        const now = await other.ok('bookings.adjustments', { bookingId: b.id });
        expect(now.discounts).toHaveLength(1);
        expect(now.total.amount).toBe(Math.round(((b.quote.subtotal.amount - sixty) * 12) / 10));
      }
    } finally {
      other.close();
    }
  });
});

describe('the PIN threshold for discounts is a shop setting', () => {
  it('changing it changes when a clerk is asked for a PIN; bad values are refused, naming the field, and nothing is written', async () => {
    shop = await openTestShop();
    const b = await booked(shop);
    const fifteen = { bookingId: b.id, kind: 'percent' as const, percentBp: 1500, reason: 'Loyal customer' };
    expect((await shop.ok('settings.get', {})).discountPinThresholdBp).toBe(1000);
    expect((await shop.fail('bookings.discounts.add', fifteen)).fields?.managerPin).toMatch(/above 10 % of the price/);

    const audits = shop.count("audit_log WHERE action = 'settings.update'");
    for (const [value, message] of [[10_001, /above 100 %/], [-1, /below 0 %/], [12.345, /two decimals/]] as const) {
      const err = await shop.fail('settings.update', { discountPinThresholdBp: value }, shop.manager);
      expect(err.code).toBe('invalid_input');
      expect(err.fields?.discountPinThresholdBp).toMatch(message);
    }
    expect(await shop.fail('settings.update', { discountPinThresholdBp: 2000 }, shop.clerk)).toMatchObject({ code: 'forbidden' });
    expect(shop.count("audit_log WHERE action = 'settings.update'")).toBe(audits);

    await shop.ok('settings.update', { discountPinThresholdBp: 2000 }, shop.manager);
    const row = shop.b.db.prepare("SELECT actor_id, before_json, after_json FROM audit_log WHERE action = 'settings.update' ORDER BY seq DESC LIMIT 1").get() as { actor_id: string; before_json: string; after_json: string };
    expect(row.actor_id).toBe(shop.manager.staffId);
    expect(JSON.parse(row.before_json)).toEqual({ discountPinThresholdBp: 1000 });
    expect(JSON.parse(row.after_json)).toEqual({ discountPinThresholdBp: 2000 });
    expect((await shop.ok('bookings.discounts.add', fifteen)).discounts[0]?.approvedBy).toBeNull();

    // At 0 % every discount a clerk gives needs a manager.
    await shop.ok('settings.update', { discountPinThresholdBp: 0 }, shop.manager);
    expect((await shop.fail('bookings.discounts.add', { bookingId: b.id, kind: 'fixed', amount: 1, reason: 'Rounding' })).fields?.managerPin).toMatch(/Every discount given by a clerk needs a manager's PIN/);
    // A manager's own discount needs no PIN.
    expect((await shop.ok('bookings.discounts.add', { bookingId: b.id, kind: 'fixed', amount: 1, reason: 'Rounding' }, shop.manager)).discounts).toHaveLength(2);
  });
});
