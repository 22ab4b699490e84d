import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../core/audit';
import { openPayShop } from '../../testing/paymentsTestKit';
import type { PayShop } from '../../testing/paymentsTestKit';

let shop: PayShop;
afterEach(async () => shop?.shutdown());

const auditActions = (s: PayShop, entityId: string) =>
  (s.b.db.prepare('SELECT action FROM audit_log WHERE entity_id = ? ORDER BY seq').pluck().all(entityId) as string[]);

describe('card on the simulated reader', () => {
  it('charges the balance from main, with metadata, and the booking shows it paid with card details, fee and net', async () => {
    shop = await openPayShop();
    const b = await shop.booking();
    const readerId = await shop.reader();
    const started = await shop.ok('payments.startCard', { bookingId: b.id });
    expect(started).toMatchObject({ status: 'requires_action', amount: b.total, readerId, method: 'card_present' });
    const pi = await shop.stripe.paymentIntents.retrieve(started.stripePaymentIntentId as string);
    expect(pi.metadata).toEqual({
      booking_id: b.id,
      booking_ref: b.ref,
      payment_id: started.id,
      install_id: shop.b.info().installId,
      location_id: b.pickupLocation.id,
      staff_id: shop.clerk.staffId,
    });
    expect(pi.amount).toBe(b.total.amount);
    await shop.ok('readers.simulate', { readerId, outcome: 'approve' });
    const paid = await shop.settled(started.id);
    expect(paid).toMatchObject({ status: 'succeeded', cardBrand: 'visa', cardLast4: '4242', staffName: 'Demo clerk' });
    expect(paid.authCode).toMatch(/\w+/);
    expect(paid.fee?.amount).toBeGreaterThan(0);
    expect(paid.net?.amount).toBe(b.total.amount - (paid.fee?.amount ?? 0));
    expect(paid.attempts.map((a) => a.outcome)).toEqual(['succeeded']);
    const view = await shop.ok('payments.forBooking', { bookingId: b.id });
    expect(view.balanceDue.amount).toBe(0);
    expect(view.handoverAllowed).toBe(true);
    expect((await shop.ok('bookings.get', { id: b.id })).balanceDue.amount).toBe(0);
    expect(await shop.charges(b.id)).toHaveLength(1);
    expect(auditActions(shop, started.id)).toEqual(['payment.start', 'payment.intent_created', 'payment.succeeded']);
    expect(verifyAuditChain(shop.b.db)).toBeNull();
  });

  it('retries a declined card on the same PaymentIntent and charges once', async () => {
    shop = await openPayShop();
    const b = await shop.booking();
    const readerId = await shop.reader();
    const p = await shop.ok('payments.startCard', { bookingId: b.id });
    await shop.ok('readers.simulate', { readerId, outcome: 'insufficient_funds' });
    const declined = await shop.settled(p.id);
    expect(declined).toMatchObject({ status: 'failed', errorCode: 'insufficient_funds' });
    expect(declined.errorMessage).toMatch(/not enough funds.*another card/);
    const again = await shop.ok('payments.retry', { paymentId: p.id });
    expect(again.stripePaymentIntentId).toBe(p.stripePaymentIntentId);
    expect(again.status).toBe('requires_action');
    await shop.ok('readers.simulate', { readerId, outcome: 'approve' });
    const paid = await shop.settled(p.id);
    expect(paid.status).toBe('succeeded');
    expect(paid.attempts.map((a) => [a.outcome, a.code])).toEqual([['declined', 'insufficient_funds'], ['succeeded', null]]);
    expect(await shop.charges(b.id)).toHaveLength(1);
    const all = await shop.stripe.paymentIntents.list({ limit: 100 });
    expect(all.data.filter((x) => x.metadata.booking_id === b.id)).toHaveLength(1);
  });

  it('says card removed, then lets the clerk try again', async () => {
    shop = await openPayShop();
    const b = await shop.booking();
    const readerId = await shop.reader();
    const p = await shop.ok('payments.startCard', { bookingId: b.id });
    await shop.ok('readers.simulate', { readerId, outcome: 'card_removed' });
    const failed = await shop.settled(p.id);
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'card_removed' });
    expect(failed.errorMessage).toMatch(/taken out too soon/);
    expect(await shop.charges(b.id)).toHaveLength(0);
  });

  it("cancels the reader's action when the reader never answers (main's own timeout)", async () => {
    shop = await openPayShop({ payments: { readerTimeoutMs: 300 } });
    const b = await shop.booking();
    const readerId = await shop.reader();
    const p = await shop.ok('payments.startCard', { bookingId: b.id });
    await shop.ok('readers.simulate', { readerId, outcome: 'timeout' });
    const failed = await shop.settled(p.id);
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'reader_timeout' });
    expect(failed.attempts.map((a) => a.outcome)).toEqual(['timed_out']);
    const reader = await shop.stripe.terminal.readers.retrieve(readerId);
    expect('action' in reader ? reader.action : 'deleted').toBeNull();
  });

  it('lets the clerk cancel while the reader waits: action and PaymentIntent cancelled, nothing charged', async () => {
    shop = await openPayShop();
    const b = await shop.booking();
    const readerId = await shop.reader();
    const p = await shop.ok('payments.startCard', { bookingId: b.id });
    const c = await shop.ok('payments.cancel', { paymentId: p.id });
    expect(c.status).toBe('canceled');
    const pi = await shop.stripe.paymentIntents.retrieve(p.stripePaymentIntentId as string);
    expect(pi.status).toBe('canceled');
    const reader = await shop.stripe.terminal.readers.retrieve(readerId);
    expect('action' in reader ? reader.action : 'deleted').toBeNull();
    expect((await shop.ok('payments.forBooking', { bookingId: b.id })).balanceDue).toEqual(b.total);
  });

  it('takes a part on the card and the rest in cash; the booking closes only at zero', async () => {
    shop = await openPayShop();
    const b = await shop.booking();
    const readerId = await shop.reader();
    const half = Math.floor(b.total.amount / 2);
    const p = await shop.ok('payments.startCard', { bookingId: b.id, amount: half });
    expect(p.amount.amount).toBe(half);
    // While the card is in flight, its part of the balance is held: cash cannot take it too.
    const tooMuch = await shop.fail('payments.cash', { bookingId: b.id, tendered: b.total.amount * 2, amount: b.total.amount - half + 1 });
    expect(tooMuch.message).toMatch(/more than the .* still due \(.* is in progress\)/);
    await shop.ok('readers.simulate', { readerId, outcome: 'approve' });
    await shop.settled(p.id);
    const rest = b.total.amount - half;
    const cash = await shop.ok('payments.cash', { bookingId: b.id, tendered: rest + 1_000 });
    expect(cash.payment.amount.amount).toBe(rest);
    expect(cash.change.amount).toBe(1_000);
    expect(cash.balanceDue.amount).toBe(0);
    expect(cash.shiftOpenedImplicitly).toBe(true);
    const view = await shop.ok('payments.forBooking', { bookingId: b.id });
    expect(view.payments.map((x) => [x.method, x.status])).toEqual([['card_present', 'succeeded'], ['cash', 'succeeded']]);
    const receipt = await shop.ok('receipts.get', { bookingId: b.id });
    expect(receipt.payments).toHaveLength(2);
    expect(receipt.payments[0]).toMatchObject({ cardBrand: 'visa', cardLast4: '4242', stripeId: p.stripePaymentIntentId });
    expect(receipt.payments[1]?.change?.amount).toBe(1_000);
    expect(receipt.balanceDue.amount).toBe(0);
    expect(shop.count('cash_movements')).toBe(1);
  });
});

describe('bad input: a sentence, nothing charged, nothing written but the audit row', () => {
  it('refuses above the balance, zero, negative, fractional, and a cancelled booking', async () => {
    shop = await openPayShop();
    const b = await shop.booking();
    await shop.reader();
    const audits = () => shop.count('audit_log');
    for (const [amount, pattern] of [
      [b.total.amount + 1, /more than the/],
      [0, /more than zero/],
      [-5, /cannot be negative/],
    ] as const) {
      const before = audits();
      const e = await shop.fail('payments.startCard', { bookingId: b.id, amount });
      expect(e.message).toMatch(pattern);
      expect(audits()).toBe(before + 1);
    }
    const frac = await shop.fail('payments.startCard', { bookingId: b.id, amount: 10.5 });
    expect(JSON.stringify(frac.fields)).toMatch(/whole number/);
    expect(shop.count('payments')).toBe(0);
    // Cancelled late, it owes only the rate card's late-cancellation fee (€25 + VAT): no more may be taken.
    const c = await shop.ok('bookings.cancel', { id: b.id, reason: 'Changed plans' });
    expect(c.balanceDue.amount).toBe(3000);
    const cancelled = await shop.fail('payments.cash', { bookingId: b.id, amount: 3001, tendered: 5000 });
    expect(cancelled.message).toMatch(/more than the €30.00 still due/);
    expect(shop.count('payments')).toBe(0);
    expect((await shop.stripe.paymentIntents.list({ limit: 10 })).data).toHaveLength(0);
  });

  it('refuses a second charge while the reader is busy, and a payment of another till', async () => {
    shop = await openPayShop();
    const b1 = await shop.booking();
    const b2 = await shop.booking();
    await shop.reader();
    const p = await shop.ok('payments.startCard', { bookingId: b1.id });
    const busy = await shop.fail('payments.startCard', { bookingId: b2.id });
    expect(busy.message).toMatch(/reader is busy/);
    expect(shop.count('payments')).toBe(1);
    shop.b.db.prepare("UPDATE payments SET install_id = 'other-till' WHERE id = ?").run(p.id);
    const other = await shop.fail('payments.cancel', { paymentId: p.id });
    expect(other.message).toMatch(/another counter/);
  });

  it('refuses cash handed over below the amount', async () => {
    shop = await openPayShop();
    const b = await shop.booking();
    const e = await shop.fail('payments.cash', { bookingId: b.id, tendered: 100 });
    expect(e.message).toMatch(/less than the/);
    expect(shop.count('payments')).toBe(0);
  });

  it('two card charges at once on one booking: one wins, the other is refused', async () => {
    shop = await openPayShop();
    const b = await shop.booking();
    await shop.reader();
    const results = await Promise.all([shop.b.call(shop.clerk, 'payments.startCard', { bookingId: b.id }), shop.b.call(shop.clerk, 'payments.startCard', { bookingId: b.id })]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(shop.count('payments')).toBe(1);
  });
});

describe('handover', () => {
  it('refuses check-out with a balance due until paid or a manager approves with PIN and reason', async () => {
    shop = await openPayShop();
    const b = await shop.booking();
    const out = { id: b.id, odometer: 10_100, fuelEighths: 8, at: '2025-06-02T09:00:00+02:00' };
    shop.clock.now = new Date('2025-06-02T07:30:00Z');
    const refused = await shop.fail('bookings.checkOut', out);
    expect(refused.message).toMatch(/still due on .* manager/);
    const manager = shop.manager.staffId as string;
    const wrong = await shop.fail('payments.approveUnpaidHandover', { bookingId: b.id, managerId: manager, pin: '9999', reason: 'Regular' });
    expect(wrong.code).toBeDefined();
    const clerkTry = await shop.fail('payments.approveUnpaidHandover', { bookingId: b.id, managerId: shop.clerk.staffId as string, pin: '0000', reason: 'x' });
    expect(clerkTry.message).toMatch(/not a manager/);
    const ok = await shop.ok('payments.approveUnpaidHandover', { bookingId: b.id, managerId: manager, pin: '1234', reason: 'Corporate account, invoiced' });
    expect(ok.handoverOverride).toMatchObject({ by: 'Demo manager', reason: 'Corporate account, invoiced' });
    const done = await shop.ok('bookings.checkOut', out);
    expect(done.status).toBe('checked_out');
    const row = shop.b.db.prepare("SELECT actor_id FROM audit_log WHERE action = 'handover.unpaid_approved'").get() as { actor_id: string };
    expect(row.actor_id).toBe(manager);
  });
});
