import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../core/audit';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';

let shop: TestShop;
afterEach(() => shop.close());

// Monday 2 June 2025 08:00 in Amsterdam is the test clock's start; the demo card frees
// cancellations 24 h or more before pickup, else €25 + 20 % VAT; a no-show pays €50 + VAT.
const at = (day: number, hh: number) => `2025-06-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:00:00+02:00`;

async function reserve(s: TestShop, from: string, to: string) {
  const c = await s.customer();
  const v = await s.vehicle({ class: 'economy' });
  return s.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: from, returnAt: to });
}

describe('cancellation and no-show fees', () => {
  it('cancels free more than a day ahead; the booking owes nothing', async () => {
    shop = await openTestShop();
    const b = await reserve(shop, at(4, 9), at(5, 9));
    const preview = await shop.ok('bookings.endFee', { id: b.id, kind: 'cancel' });
    expect(preview).toMatchObject({ fee: { amount: 0, currency: 'EUR' }, quote: null });
    expect(preview.rule).toMatch(/Free: cancelled more than 24 hours before pickup/);
    const d = await shop.ok('bookings.cancel', { id: b.id, reason: 'Plans changed' });
    expect(d.status).toBe('cancelled');
    expect(d.owed.amount).toBe(0);
    expect(d.balanceDue.amount).toBe(0);
    expect((await shop.fail('payments.cash', { bookingId: b.id, tendered: 100 })).message).toMatch(/is cancelled; nothing can be charged/);
  });

  it('charges the late fee as a booking line, shown first, then due and payable', async () => {
    shop = await openTestShop();
    const b = await reserve(shop, at(2, 18), at(3, 18));
    const preview = await shop.ok('bookings.endFee', { id: b.id, kind: 'cancel' });
    expect(preview.fee).toEqual({ amount: 3000, currency: 'EUR' });
    expect(preview.quote?.lines.map((l) => [l.kind, l.description, l.amount.amount])).toEqual([
      ['fee', 'Late cancellation fee (less than 24 h before pickup)', 2500],
      ['tax', 'VAT 20% of €25.00', 500],
    ]);
    const before = shop.count('booking_quotes');
    const d = await shop.ok('bookings.cancel', { id: b.id, reason: 'Flight cancelled' });
    expect(shop.count('booking_quotes')).toBe(before + 1);
    expect(d.quote.lines.map((l) => l.amount.amount)).toEqual([2500, 500]);
    expect([d.total.amount, d.owed.amount, d.balanceDue.amount]).toEqual([3000, 3000, 3000]);
    expect(d.audit.at(-1)?.action).toBe('booking.cancel');

    // The fee is taken through payments like any balance; more than the fee is refused.
    const tooMuch = await shop.fail('payments.cash', { bookingId: b.id, amount: 3001, tendered: 5000 });
    expect(tooMuch.message).toMatch(/more than the €30.00 still due/);
    await shop.ok('payments.cash', { bookingId: b.id, amount: 3000, tendered: 3000 });
    const paid = await shop.ok('bookings.get', { id: b.id });
    expect(paid.balanceDue.amount).toBe(0);
    expect(verifyAuditChain(shop.b.db)).toBeNull();
  });

  it('charges the no-show fee after the pickup time; a booking paid in full is owed the rest back', async () => {
    shop = await openTestShop();
    const b = await reserve(shop, at(2, 9), at(3, 9));
    await shop.ok('payments.cash', { bookingId: b.id, amount: b.total.amount, tendered: b.total.amount });
    shop.clock.now = new Date(at(2, 12));
    expect((await shop.ok('bookings.endFee', { id: b.id, kind: 'no_show' })).fee.amount).toBe(6000);
    const d = await shop.ok('bookings.noShow', { id: b.id, reason: '' });
    expect(d.status).toBe('no_show');
    expect(d.quote.lines[0]).toMatchObject({ kind: 'fee', description: 'No-show fee' });
    expect(d.balanceDue.amount).toBe(6000 - b.total.amount);
  });

  it('charges nothing on a card written before fees existed (no endFees on it)', async () => {
    shop = await openTestShop();
    const { raw } = await shop.ok('rates.get', {});
    const card = structuredClone(raw);
    delete card.endFees;
    await shop.ok('rates.update', { card }, shop.manager);
    const b = await reserve(shop, at(2, 18), at(3, 18));
    const preview = await shop.ok('bookings.endFee', { id: b.id, kind: 'cancel' });
    expect(preview.fee.amount).toBe(0);
    expect(preview.rule).toMatch(/has no cancellation or no-show fee/);
    expect((await shop.ok('bookings.cancel', { id: b.id, reason: 'x' })).balanceDue.amount).toBe(0);
  });

  it('two counters cancelling at once: one fee, one refusal', async () => {
    shop = await openTestShop();
    const b = await reserve(shop, at(2, 18), at(3, 18));
    const results = await Promise.all([
      shop.b.call(shop.clerk, 'bookings.cancel', { id: b.id, expectedVersion: b.version, reason: 'a' }),
      shop.b.call(shop.clerk, 'bookings.cancel', { id: b.id, expectedVersion: b.version, reason: 'b' }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(shop.b.db.prepare("SELECT count(*) AS n FROM booking_lines WHERE booking_id = ? AND kind = 'fee'").get(b.id)).toEqual({ n: 1 });
  });
});
