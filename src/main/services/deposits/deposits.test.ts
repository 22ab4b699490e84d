import { afterEach, describe, expect, it } from 'vitest';
import { JCB, openDepositShop } from '../../testing/depositsTestKit';
import type { DepositShop } from '../../testing/depositsTestKit';

/**
 * Deposits against the emulator through the real stripe client, on the emulator's test clock:
 * the hold at pickup, capture of the return's extras, release, extras above the hold, a hold
 * lapsing before the return, an extension with and without incremental authorization.
 */
let shop: DepositShop;
afterEach(async () => shop?.shutdown());

const at = (day: number, hh: number, mm = 0) => `2025-06-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00+02:00`;

async function pickedUp(s: DepositShop, days = 3, card?: string) {
  const b = await s.rental({ days });
  await s.payRental(b.id);
  const v = await s.hold(b.id, card);
  const out = await s.ok('bookings.checkOut', { id: b.id, odometer: 10_000, fuelEighths: 8 });
  expect(out.status).toBe('checked_out');
  return { b, v };
}

describe('the hold at pickup', () => {
  it('holds the policy amount with the reason, on a manual-capture PaymentIntent; the expiry is Stripe’s capture_before', async () => {
    shop = await openDepositShop();
    const b = await shop.rental({ days: 3 });
    const before = await shop.ok('deposits.forBooking', { bookingId: b.id });
    expect(before.required).toEqual({ amount: 30_000, currency: 'EUR' });
    expect(before.reason).toMatch(/Midsize, 3 days: €300\.00 \(minimum €200\.00\)/);
    const v = await shop.hold(b.id);
    expect(v.active).toMatchObject({ state: 'held', extended: true, incremental: true, authorized: { amount: 30_000 }, cardLast4: '4242' });
    const pi = await shop.stripe.paymentIntents.retrieve(v.holds[0]!.paymentId ? (shop.b.db.prepare('SELECT stripe_payment_intent_id FROM payments WHERE id = ?').pluck().get(v.active!.paymentId) as string) : '', { expand: ['latest_charge'] });
    expect(pi.capture_method).toBe('manual');
    expect(pi.status).toBe('requires_capture');
    const charge = pi.latest_charge as { payment_method_details: { card_present: { capture_before: number } } };
    expect(v.active!.captureBefore).toBe(new Date(charge.payment_method_details.card_present.capture_before * 1000).toISOString());
    // A hold is not a payment towards the rental: the balance is untouched by it.
    expect((await shop.ok('payments.forBooking', { bookingId: b.id })).balanceDue.amount).toBe(b.total.amount);
    // A second hold while one is held is refused.
    expect((await shop.fail('deposits.startHold', { bookingId: b.id })).message).toMatch(/already held/);
  });

  it('a manager overrides the amount for one booking with a reason (audited); a clerk PIN is refused', async () => {
    shop = await openDepositShop();
    const b = await shop.rental();
    const staff = shop.b.db.prepare("SELECT id, role FROM staff").all() as { id: string; role: string }[];
    const clerkId = staff.find((s) => s.role === 'clerk')!.id;
    const managerId = staff.find((s) => s.role === 'manager')!.id;
    const refused = await shop.fail('deposits.override', { bookingId: b.id, amount: 10_000, reason: 'Regular customer', managerId: clerkId, pin: '2222' });
    expect(refused.code).toMatch(/forbidden|invalid_input|not_signed_in/);
    const v = await shop.ok('deposits.override', { bookingId: b.id, amount: 10_000, reason: 'Regular customer', managerId, pin: '1234' });
    expect(v.required.amount).toBe(10_000);
    expect(v.reason).toMatch(/Regular customer/);
    expect(shop.b.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'deposit.override'").pluck().get()).toBe(1);
  });
});

describe('settling at return', () => {
  it('captures the fuel and the late fee from the hold and releases the rest; the release is not a refund in any balance', async () => {
    shop = await openDepositShop();
    const { b } = await pickedUp(shop);
    shop.clock.now = new Date(at(5, 12));
    const back = await shop.ok('bookings.checkIn', { id: b.id, odometer: 10_300, fuelEighths: 6, returnedAt: at(5, 11, 30) });
    const extras = back.total.amount - b.total.amount;
    expect(extras).toBeGreaterThan(0);
    expect(extras).toBeLessThan(30_000);
    const preview = await shop.ok('deposits.forBooking', { bookingId: b.id });
    expect(preview.settlement).toMatchObject({ capture: { amount: extras }, release: { amount: 30_000 - extras }, remaining: { amount: 0 } });
    const v = await shop.ok('deposits.settle', { bookingId: b.id });
    expect(v.holds[0]).toMatchObject({ state: 'captured', captured: { amount: extras }, released: { amount: 30_000 - extras } });
    const pis = await shop.stripe.paymentIntents.list({ limit: 100 });
    const hold = pis.data.find((p) => p.capture_method === 'manual' && p.metadata.booking_id === b.id)!;
    expect(hold.amount_received).toBe(extras);
    // Stripe records the released rest as a refund; the relay brings it in as a release.
    // Stripe records the released rest as a refund on the charge; the refunds capability learns it as a release.
    await shop.relay();
    const refunds = await shop.stripe.refunds.list({ payment_intent: hold.id });
    shop.b.db.transaction(() => refunds.data.forEach((r) => shop.b.refunds.applyStripeRefund(r as unknown as Record<string, unknown>, 'reconcile')))();
    expect(shop.b.db.prepare('SELECT method, amount FROM refunds WHERE booking_id = ?').all(b.id)).toEqual([{ method: 'release', amount: 30_000 - extras }]);
    expect((await shop.ok('payments.forBooking', { bookingId: b.id })).balanceDue.amount).toBe(0);
    const detail = await shop.ok('bookings.get', { id: b.id });
    expect(detail.balanceDue.amount).toBe(0);
    expect(detail.refunded.amount).toBe(0);
    // The receipt tells the deposit's story: held, captured, released (and the captured part is a payment).
    const receipt = await shop.ok('receipts.get', { bookingId: b.id });
    expect(receipt.deposits).toEqual([
      { description: 'Deposit held on VISA •••• 4242', amount: { amount: 30_000, currency: 'EUR' } },
      { description: 'Captured from the deposit', amount: { amount: extras, currency: 'EUR' } },
      { description: 'Released back to the card (never taken)', amount: { amount: 30_000 - extras, currency: 'EUR' } },
    ]);
    expect(receipt.payments.map((p) => p.amount.amount)).toContain(extras);
    expect((await shop.ok('bookings.close', { id: b.id })).status).toBe('closed');
    // Only the captured part can be refunded.
    expect((await shop.fail('refunds.create' as never, { paymentId: v.holds[0]!.paymentId, amount: extras + 1, reasonCode: 'other', reason: 'x', approvals: [] } as never)).code).toBeTruthy();
  });

  it('releases the whole hold when nothing is owed', async () => {
    shop = await openDepositShop();
    const { b } = await pickedUp(shop);
    shop.clock.now = new Date(at(5, 8));
    await shop.ok('bookings.checkIn', { id: b.id, odometer: 10_100, fuelEighths: 8, returnedAt: at(5, 8) });
    const v = await shop.ok('deposits.settle', { bookingId: b.id });
    expect(v.holds[0]).toMatchObject({ state: 'released', released: { amount: 30_000 } });
    const pi = (await shop.stripe.paymentIntents.list({ limit: 100 })).data.find((p) => p.capture_method === 'manual')!;
    expect(pi.status).toBe('canceled');
    expect(pi.amount_received).toBe(0);
    await shop.relay();
    expect((await shop.ok('bookings.get', { id: b.id })).balanceDue.amount).toBe(0);
  });

  it('damage above the hold: captures it all, and the rest is charged as a new payment', async () => {
    shop = await openDepositShop();
    const { b } = await pickedUp(shop);
    shop.clock.now = new Date(at(5, 8));
    const back = await shop.ok('bookings.checkIn', { id: b.id, odometer: 10_100, fuelEighths: 8, returnedAt: at(5, 8), newDamage: [{ description: 'Bumper', amount: 45_000, currency: 'EUR' }] });
    const due = back.total.amount - b.total.amount;
    expect(due).toBeGreaterThan(30_000);
    const v = await shop.ok('deposits.settle', { bookingId: b.id });
    expect(v.holds[0]).toMatchObject({ state: 'captured', captured: { amount: 30_000 }, released: { amount: 0 } });
    expect(v.settlement?.remaining.amount).toBe(due - 30_000);
    const p = await shop.ok('payments.startCard', { bookingId: b.id });
    expect(p.amount.amount).toBe(due - 30_000);
    await shop.ok('readers.simulate', { readerId: await shop.reader(), outcome: 'approve' });
    expect((await shop.settled(p.id)).status).toBe('succeeded');
    expect((await shop.ok('bookings.get', { id: b.id })).balanceDue.amount).toBe(0);
  });
});

describe('holds that lapse before the return', () => {
  it('a 2-day hold on a 5-day rental is listed, expires at Stripe (clock advanced), is flagged, and is re-authorized', async () => {
    shop = await openDepositShop();
    const { b, v } = await pickedUp(shop, 5, JCB);
    expect(v.active).toMatchObject({ state: 'held', extended: false, incremental: false, expiresBeforeReturn: true });
    const list = await shop.ok('deposits.expiring', {}, shop.manager);
    expect(list.map((x) => x.bookingRef)).toEqual([b.ref]);
    // Two days and an hour later, Stripe has let it go; the sweep sees it before the car is back.
    shop.advance(2 * 86_400 + 3_600);
    const swept = await shop.b.deposits.api.reconcile();
    expect(swept.failed).toBe(0);
    const flagged = await shop.ok('deposits.forBooking', { bookingId: b.id });
    expect(flagged.holds[0]).toMatchObject({ state: 'expired' });
    expect(flagged.holds[0]!.flag).toMatch(/expired at Stripe/);
    expect(flagged.held.amount).toBe(0);
    expect((await shop.ok('receipts.get', { bookingId: b.id })).deposits.map((d) => d.description)).toContain('Deposit hold expired (nothing taken)');
    expect((await shop.ok('deposits.expiring', {}, shop.manager)).map((x) => x.hold.state)).toEqual(['expired']);
    // Re-authorize: a new hold (the customer taps again), then the old one is cleared.
    await shop.ok('deposits.reauthorize', { paymentId: flagged.holds[0]!.paymentId }, shop.manager);
    await shop.tap();
    const fresh = await shop.until(b.id, (x) => x.holds.length === 2 && x.holds[1]!.state === 'held' && x.holds[0]!.flag === null);
    expect(fresh.held.amount).toBe(30_000);
    expect(fresh.holds[0]!.replacedBy).toBe(fresh.holds[1]!.paymentId);
    expect(await shop.ok('deposits.expiring', {}, shop.manager)).toEqual([]);
  });

  it('the relay’s payment_intent.canceled flags the hold without waiting for the sweep', async () => {
    shop = await openDepositShop();
    const { b } = await pickedUp(shop, 5, JCB);
    shop.advance(2 * 86_400 + 60);
    await shop.relay();
    const v = await shop.ok('deposits.forBooking', { bookingId: b.id });
    expect(v.holds[0]).toMatchObject({ state: 'expired' });
    expect(v.holds[0]!.flag).toMatch(/expired/);
  });

  it('re-authorizing before expiry releases the old hold once the new one holds', async () => {
    shop = await openDepositShop();
    const { b, v } = await pickedUp(shop, 5, JCB);
    await shop.ok('deposits.reauthorize', { paymentId: v.active!.paymentId }, shop.manager);
    await shop.tap();
    const after = await shop.until(b.id, (x) => x.holds[0]!.state === 'released' && x.holds[1]?.state === 'held');
    expect(after.held.amount).toBe(30_000);
    const manual = (await shop.stripe.paymentIntents.list({ limit: 100 })).data.filter((p) => p.capture_method === 'manual');
    expect(manual.map((p) => p.status).sort()).toEqual(['canceled', 'requires_capture']);
  });
});

describe('an extension', () => {
  it('raises the hold by incremental authorization on a card that supports it; capture spans both parts', async () => {
    shop = await openDepositShop();
    const { b } = await pickedUp(shop, 3);
    await shop.ok('bookings.extend', { id: b.id, returnAt: at(10, 9) });
    const need = await shop.ok('deposits.forBooking', { bookingId: b.id });
    expect(need.required.amount).toBe(40_000);
    const v = await shop.ok('deposits.topUp', { bookingId: b.id });
    expect(v.holds).toHaveLength(1);
    expect(v.held.amount).toBe(40_000);
    const pi = (await shop.stripe.paymentIntents.list({ limit: 100 })).data.find((p) => p.capture_method === 'manual')!;
    expect(pi.amount).toBe(40_000);
    shop.clock.now = new Date(at(10, 8));
    const back = await shop.ok('bookings.checkIn', { id: b.id, odometer: 10_100, fuelEighths: 8, returnedAt: at(10, 8), newDamage: [{ description: 'Mirror', amount: 32_000, currency: 'EUR' }] });
    const due = back.total.amount - (await shop.ok('bookings.get', { id: b.id })).paid.amount;
    const done = await shop.ok('deposits.settle', { bookingId: b.id });
    expect(done.holds[0]).toMatchObject({ state: 'captured', captured: { amount: Math.min(due, 40_000) } });
    expect((await shop.stripe.paymentIntents.retrieve(pi.id)).amount_received).toBe(Math.min(due, 40_000));
    const paid = shop.b.db.prepare("SELECT coalesce(sum(amount_captured), 0) FROM payments WHERE booking_id = ? AND kind = 'deposit_hold'").pluck().get(b.id);
    expect(paid).toBe(Math.min(due, 40_000));
  });

  it('takes a second hold for the difference when the card has no incremental authorization', async () => {
    shop = await openDepositShop();
    const { b } = await pickedUp(shop, 3, JCB);
    await shop.ok('bookings.extend', { id: b.id, returnAt: at(10, 9) });
    await shop.ok('deposits.topUp', { bookingId: b.id });
    await shop.tap(JCB);
    const v = await shop.until(b.id, (x) => x.holds.length === 2 && x.holds[1]!.state === 'held');
    expect(v.holds.map((h) => h.authorized.amount)).toEqual([30_000, 10_000]);
    expect(v.held.amount).toBe(40_000);
  });
});
