import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../core/audit';
import { appApplier } from '../../testing/paymentsTestKit';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';
import { createStripeEventApplier } from './stripeEventApplier';
import type { ApplierHooks } from './stripeEventApplier';

// The applier on a test shop, wired to the payments, deposits and refunds hooks as backend.ts
// wires it. The payment here was started at another counter (so this till never drives it).
let shop: TestShop;
afterEach(() => shop?.close());

async function openShop(): Promise<{ db: TestShop['b']['db']; bookingId: string }> {
  shop = await openTestShop();
  const v = await shop.vehicle();
  const c = await shop.customer();
  const b = await shop.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: '2025-06-03T09:00:00+02:00', returnAt: '2025-06-04T09:00:00+02:00' });
  shop.b.db
    .prepare(
      `INSERT INTO payments (id, booking_id, kind, method, status, amount, currency, idempotency_key, stripe_payment_intent_id, install_id, created_at, updated_at)
       VALUES ('P1', ?, 'charge', 'card_present', 'pending', 5000, 'EUR', 'pay:P1', 'pi_1', 'another-till', 'now', 'now')`,
    )
    .run(b.id);
  return { db: shop.b.db, bookingId: b.id };
}

let n = 0;
function event(type: string, object: Record<string, unknown>, created = 1_700_000_000 + n) {
  n++;
  return { id: `evt_${type.replace(/\W/g, '')}_${n}`, object: 'event', type, created, livemode: false, data: { object } };
}

const pi = (status: string, extra: Record<string, unknown> = {}) => ({ id: 'pi_1', object: 'payment_intent', status, amount: 5000, amount_received: status === 'succeeded' ? 5000 : 0, latest_charge: 'ch_1', ...extra });
const payment = (db: TestShop['b']['db']) => db.prepare("SELECT status, amount_captured, stripe_charge_id, card_last4, error_code, version FROM payments WHERE id = 'P1'").get() as Record<string, unknown>;
const count = (db: TestShop['b']['db'], sql: string, ...args: unknown[]) => db.prepare(sql).pluck().get(...args) as number;

/** The app's hooks, counted: proof that each write went through its owner. */
function countedHooks(): { hooks: ApplierHooks; calls: { payment: string[]; refund: string[] } } {
  const calls = { payment: [] as string[], refund: [] as string[] };
  const b = shop.b;
  return {
    calls,
    hooks: {
      payment: (type, obj) => {
        calls.payment.push(type);
        return b.deposits.api.applyStripeEvent(type, obj) ?? b.payments.api.applyStripeEvent(type, obj);
      },
      refund: (r, via) => {
        calls.refund.push(String(r.id));
        return b.refunds.applyStripeRefund(r, via);
      },
    },
  };
}

describe('stripe event applier', () => {
  it('applies a payment_intent.succeeded for a payment the till knows exactly once, through the payments hook', async () => {
    const { db, bookingId } = await openShop();
    const { hooks, calls } = countedHooks();
    const applier = createStripeEventApplier(db, shop.b.info().installId, () => shop.clock.now, hooks);
    const succeeded = event('payment_intent.succeeded', pi('succeeded'));
    expect(applier.apply('relay', [{ seq: 1, event: succeeded }])).toMatchObject({ applied: 1, duplicates: 0, lastSeq: 1, bookingIds: [bookingId] });
    expect(payment(db)).toMatchObject({ status: 'succeeded', amount_captured: 5000, stripe_charge_id: 'ch_1', version: 2 });
    expect(calls.payment).toEqual(['payment_intent.succeeded']);
    expect(count(db, "SELECT count(*) FROM audit_log WHERE action = 'payment.stripe_update' AND entity_id = 'P1'")).toBe(1);
    // The same event again (a replay, a relay resend) never reaches the hook, changes nothing and audits nothing more.
    const audits = count(db, 'SELECT count(*) FROM audit_log');
    expect(applier.apply('relay', [{ seq: 2, event: succeeded }])).toMatchObject({ applied: 0, duplicates: 1, lastSeq: 2 });
    expect(calls.payment).toHaveLength(1);
    expect(payment(db)).toMatchObject({ version: 2 });
    expect(count(db, 'SELECT count(*) FROM audit_log')).toBe(audits);
    expect(applier.cursor('relay')).toBe(2);
    expect(verifyAuditChain(db)).toBeNull();
  });

  it('records an event about a PaymentIntent no capability knows, and changes nothing else', async () => {
    const { db } = await openShop();
    const applier = appApplier(shop);
    const before = { payments: count(db, 'SELECT count(*) FROM payments'), refunds: count(db, 'SELECT count(*) FROM refunds'), audit: count(db, 'SELECT count(*) FROM audit_log'), p1: payment(db) };
    const unknown = (type: string, object: Record<string, unknown>) => event(type, object);
    const out = applier.apply('relay', [
      { seq: 1, event: unknown('payment_intent.succeeded', { ...pi('succeeded'), id: 'pi_elsewhere', latest_charge: 'ch_elsewhere' }) },
      { seq: 2, event: unknown('charge.succeeded', { id: 'ch_elsewhere', object: 'charge', payment_intent: 'pi_elsewhere', payment_method_details: { card_present: { brand: 'visa', last4: '4242' } } }) },
      { seq: 3, event: unknown('refund.created', { id: 're_elsewhere', object: 'refund', amount: 500, currency: 'eur', status: 'succeeded', payment_intent: 'pi_elsewhere' }) },
      { seq: 4, event: unknown('charge.dispute.created', { id: 'dp_elsewhere', object: 'dispute', amount: 500, currency: 'eur', reason: 'fraudulent', charge: 'ch_elsewhere', payment_intent: 'pi_elsewhere' }) },
    ]);
    expect(out).toMatchObject({ applied: 4, rejected: 0, bookingIds: [] });
    expect(db.prepare("SELECT type, process_error FROM stripe_events WHERE id LIKE 'evt_%' ORDER BY type").all()).toEqual([
      { type: 'charge.dispute.created', process_error: null },
      { type: 'charge.succeeded', process_error: null },
      { type: 'payment_intent.succeeded', process_error: null },
      { type: 'refund.created', process_error: null },
    ]);
    expect({ payments: count(db, 'SELECT count(*) FROM payments'), refunds: count(db, 'SELECT count(*) FROM refunds'), audit: count(db, 'SELECT count(*) FROM audit_log'), p1: payment(db) }).toEqual(before);
    expect(count(db, 'SELECT count(*) FROM booking_flags')).toBe(0);
  });

  it('a refund on a known payment (charge.refunded, charge.refund.updated) goes to the refunds hook only; the payment row is not written', async () => {
    const { db } = await openShop();
    const { hooks, calls } = countedHooks();
    const applier = createStripeEventApplier(db, shop.b.info().installId, () => shop.clock.now, hooks);
    applier.apply('relay', [{ seq: 1, event: event('payment_intent.succeeded', pi('succeeded')) }]);
    const paid = payment(db);
    const refund = { id: 're_1', object: 'refund', amount: 1500, currency: 'eur', status: 'pending', payment_intent: 'pi_1', charge: 'ch_1' };
    applier.apply('relay', [
      { seq: 2, event: event('charge.refunded', { id: 'ch_1', object: 'charge', payment_intent: 'pi_1', amount_refunded: 1500, refunds: { object: 'list', data: [refund] }, payment_method_details: { card_present: { brand: 'visa', last4: '4242' } } }) },
      { seq: 3, event: event('charge.refund.updated', { ...refund, status: 'succeeded' }) },
    ]);
    expect(payment(db)).toEqual(paid);
    expect(calls.refund).toEqual(['re_1', 're_1']);
    expect(db.prepare("SELECT amount, status FROM refunds WHERE stripe_refund_id = 're_1'").all()).toEqual([{ amount: 1500, status: 'succeeded' }]);
  });

  it('never moves a final payment back when events arrive out of order', async () => {
    const { db } = await openShop();
    const applier = appApplier(shop);
    applier.apply('relay', [
      { seq: 1, event: event('payment_intent.succeeded', pi('succeeded')) },
      { seq: 2, event: event('payment_intent.processing', pi('processing')) },
      { seq: 3, event: event('payment_intent.payment_failed', pi('requires_payment_method', { last_payment_error: { code: 'card_declined', decline_code: 'insufficient_funds' } })) },
    ]);
    expect(payment(db)).toMatchObject({ status: 'succeeded', amount_captured: 5000 });
  });

  it('records a decline with its reason, and a later success on the same PaymentIntent', async () => {
    const { db } = await openShop();
    const applier = appApplier(shop);
    applier.apply('relay', [{ seq: 1, event: event('payment_intent.payment_failed', pi('requires_payment_method', { last_payment_error: { code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' } })) }]);
    expect(payment(db)).toMatchObject({ status: 'failed', error_code: 'insufficient_funds' });
    applier.apply('relay', [{ seq: 2, event: event('payment_intent.succeeded', pi('succeeded')) }]);
    expect(payment(db)).toMatchObject({ status: 'succeeded', error_code: null });
  });

  it('learns a refund made elsewhere, and its failure flags the booking for a manager', async () => {
    const { db, bookingId } = await openShop();
    const applier = appApplier(shop);
    applier.apply('relay', [
      { seq: 1, event: event('payment_intent.succeeded', pi('succeeded')) },
      { seq: 2, event: event('refund.created', { id: 're_1', object: 'refund', amount: 1500, currency: 'eur', status: 'pending', payment_intent: 'pi_1', charge: 'ch_1', reason: 'requested_by_customer' }) },
      { seq: 3, event: event('refund.failed', { id: 're_1', object: 'refund', amount: 1500, currency: 'eur', status: 'failed', failure_reason: 'expired_or_canceled_card', payment_intent: 'pi_1', charge: 'ch_1' }) },
    ]);
    expect(db.prepare("SELECT amount, currency, status, booking_id FROM refunds WHERE stripe_refund_id = 're_1'").get()).toEqual({ amount: 1500, currency: 'EUR', status: 'failed', booking_id: bookingId });
    expect(db.prepare('SELECT kind, booking_id FROM booking_flags WHERE resolved_at IS NULL').all()).toEqual([{ kind: 'refund_failed', booking_id: bookingId }]);
  });

  it('flags a dispute on the booking, once', async () => {
    const { db } = await openShop();
    const applier = appApplier(shop);
    applier.apply('relay', [{ seq: 1, event: event('payment_intent.succeeded', pi('succeeded')) }]);
    const dispute = { id: 'dp_1', object: 'dispute', amount: 5000, currency: 'eur', reason: 'fraudulent', charge: 'ch_1', payment_intent: 'pi_1' };
    applier.apply('relay', [{ seq: 2, event: event('charge.dispute.created', dispute) }, { seq: 3, event: event('charge.dispute.created', dispute) }]);
    const flags = db.prepare('SELECT kind, detail FROM booking_flags').all() as { kind: string; detail: string }[];
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ kind: 'dispute' });
    expect(flags[0]?.detail).toMatch(/fraudulent/);
  });

  it('skips malformed events but still advances past them, and rolls a failing batch back whole', async () => {
    const { db } = await openShop();
    const applier = appApplier(shop);
    expect(applier.apply('relay', [{ seq: 1, event: { hello: 'world' } }, { seq: 2, event: null }])).toMatchObject({ rejected: 2, lastSeq: 2 });
    expect(applier.cursor('relay')).toBe(2);
    db.exec("CREATE TRIGGER boom BEFORE INSERT ON stripe_events WHEN NEW.type = 'customer.created' BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    expect(() =>
      applier.apply('relay', [
        { seq: 3, event: event('payment_intent.succeeded', pi('succeeded')) },
        { seq: 4, event: event('customer.created', { id: 'cus_1', object: 'customer' }) },
      ]),
    ).toThrow(/disk full/);
    // Nothing of the batch stuck: the payment, the event record and the cursor are as before.
    expect(payment(db)).toMatchObject({ status: 'pending' });
    expect(applier.cursor('relay')).toBe(2);
  });
});
