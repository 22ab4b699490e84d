import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection';
import { dbAt, insertBooking, insertCustomer, insertLocation, insertVehicle } from '../../db/migrations/testHelpers';
import { verifyAuditChain } from '../../core/audit';
import { createStripeEventApplier } from './stripeEventApplier';

const T = '2026-11-23T10:00:00.000Z';

function shop(): Db {
  const db = dbAt(60);
  insertLocation(db);
  insertVehicle(db);
  insertCustomer(db);
  insertBooking(db);
  db.prepare(
    `INSERT INTO payments (id, booking_id, kind, method, status, amount, currency, idempotency_key, stripe_payment_intent_id, install_id, created_at, updated_at)
     VALUES ('P1', 'B1', 'charge', 'card_present', 'pending', 5000, 'EUR', 'pay:P1', 'pi_1', 'I', ?, ?)`,
  ).run(T, T);
  return db;
}

let n = 0;
function event(type: string, object: Record<string, unknown>, created = 1_700_000_000 + n) {
  n++;
  return { id: `evt_${type.replace(/\W/g, '')}_${n}`, object: 'event', type, created, livemode: false, data: { object } };
}

const pi = (status: string, extra: Record<string, unknown> = {}) => ({ id: 'pi_1', object: 'payment_intent', status, amount: 5000, amount_received: status === 'succeeded' ? 5000 : 0, latest_charge: 'ch_1', ...extra });
const payment = (db: Db) => db.prepare("SELECT status, amount_captured, stripe_charge_id, card_last4, error_code FROM payments WHERE id = 'P1'").get();

describe('stripe event applier', () => {
  it('marks a payment paid when Stripe says the PaymentIntent succeeded, once', () => {
    const db = shop();
    const applier = createStripeEventApplier(db, 'I');
    const succeeded = event('payment_intent.succeeded', pi('succeeded'));
    expect(applier.apply('relay', [{ seq: 1, event: succeeded }])).toMatchObject({ applied: 1, duplicates: 0, lastSeq: 1 });
    expect(payment(db)).toMatchObject({ status: 'succeeded', amount_captured: 5000, stripe_charge_id: 'ch_1' });
    // The same event again (a replay, a relay resend) changes nothing and audits nothing more.
    const audits = db.prepare('SELECT count(*) AS n FROM audit_log').get();
    expect(applier.apply('relay', [{ seq: 2, event: succeeded }])).toMatchObject({ applied: 0, duplicates: 1, lastSeq: 2 });
    expect(db.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual(audits);
    expect(applier.cursor('relay')).toBe(2);
    expect(verifyAuditChain(db)).toBeNull();
  });

  it('never moves a final payment back when events arrive out of order', () => {
    const db = shop();
    const applier = createStripeEventApplier(db, 'I');
    applier.apply('relay', [
      { seq: 1, event: event('payment_intent.succeeded', pi('succeeded')) },
      { seq: 2, event: event('payment_intent.processing', pi('processing')) },
      { seq: 3, event: event('payment_intent.payment_failed', pi('requires_payment_method', { last_payment_error: { code: 'card_declined', decline_code: 'insufficient_funds' } })) },
    ]);
    expect(payment(db)).toMatchObject({ status: 'succeeded', amount_captured: 5000 });
  });

  it('records a decline with its reason, and a later success on the same PaymentIntent', () => {
    const db = shop();
    const applier = createStripeEventApplier(db, 'I');
    applier.apply('relay', [{ seq: 1, event: event('payment_intent.payment_failed', pi('requires_payment_method', { last_payment_error: { code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' } })) }]);
    expect(payment(db)).toMatchObject({ status: 'failed', error_code: 'insufficient_funds' });
    applier.apply('relay', [{ seq: 2, event: event('payment_intent.succeeded', pi('succeeded')) }]);
    expect(payment(db)).toMatchObject({ status: 'succeeded', error_code: null });
  });

  it('learns a refund made elsewhere, and its failure flags the booking for a manager', () => {
    const db = shop();
    const applier = createStripeEventApplier(db, 'I');
    applier.apply('relay', [
      { seq: 1, event: event('payment_intent.succeeded', pi('succeeded')) },
      { seq: 2, event: event('refund.created', { id: 're_1', object: 'refund', amount: 1500, currency: 'eur', status: 'pending', payment_intent: 'pi_1', charge: 'ch_1', reason: 'requested_by_customer' }) },
      { seq: 3, event: event('refund.failed', { id: 're_1', object: 'refund', amount: 1500, currency: 'eur', status: 'failed', failure_reason: 'expired_or_canceled_card', payment_intent: 'pi_1', charge: 'ch_1' }) },
    ]);
    expect(db.prepare("SELECT amount, currency, status, booking_id FROM refunds WHERE stripe_refund_id = 're_1'").get()).toEqual({ amount: 1500, currency: 'EUR', status: 'failed', booking_id: 'B1' });
    expect(db.prepare("SELECT kind, booking_id FROM booking_flags WHERE resolved_at IS NULL").all()).toEqual([{ kind: 'refund_failed', booking_id: 'B1' }]);
  });

  it('flags a dispute on the booking, once', () => {
    const db = shop();
    const applier = createStripeEventApplier(db, 'I');
    applier.apply('relay', [{ seq: 1, event: event('payment_intent.succeeded', pi('succeeded')) }]);
    const dispute = { id: 'dp_1', object: 'dispute', amount: 5000, currency: 'eur', reason: 'fraudulent', charge: 'ch_1', payment_intent: 'pi_1' };
    applier.apply('relay', [{ seq: 2, event: event('charge.dispute.created', dispute) }, { seq: 3, event: event('charge.dispute.created', dispute) }]);
    const flags = db.prepare('SELECT kind, detail FROM booking_flags').all() as { kind: string; detail: string }[];
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ kind: 'dispute' });
    expect(flags[0]?.detail).toMatch(/fraudulent/);
  });

  it('skips malformed events but still advances past them, and rolls a failing batch back whole', () => {
    const db = shop();
    const applier = createStripeEventApplier(db, 'I');
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
