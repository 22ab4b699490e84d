import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, stripeError, type EmulatorHarness } from './testHarness';

let h: EmulatorHarness;
let stripe: Stripe;
beforeAll(async () => {
  h = await startHarness({ refundFailureDelaySeconds: 60 });
  stripe = h.stripe;
});
afterAll(() => h.close());
beforeEach(() => h.emulator.reset());

async function paid(amount = 5000, payment_method = 'pm_card_visa'): Promise<Stripe.PaymentIntent> {
  return stripe.paymentIntents.create({ amount, currency: 'gbp', allowed_payment_method_types: ['card'], payment_method, confirm: true });
}

describe('refunds', () => {
  it('partial refunds by payment_intent and by charge, then the rest; refunding more is refused', async () => {
    const pi = await paid(5000);
    const first = await stripe.refunds.create({ payment_intent: pi.id, amount: 1000, reason: 'requested_by_customer', metadata: { line: 'fuel' } });
    expect(first).toMatchObject({ amount: 1000, status: 'succeeded', reason: 'requested_by_customer', payment_intent: pi.id, charge: pi.latest_charge, metadata: { line: 'fuel' } });
    const txn = await stripe.balanceTransactions.retrieve(first.balance_transaction as string);
    expect([txn.amount, txn.type, txn.source]).toEqual([-1000, 'refund', first.id]);

    const tooMuch = await stripeError(stripe.refunds.create({ charge: pi.latest_charge as string, amount: 4001 }));
    expect([tooMuch.type, tooMuch.code, tooMuch.param, tooMuch.statusCode]).toEqual(['StripeInvalidRequestError', 'amount_too_large', 'amount', 400]);

    const rest = await stripe.refunds.create({ charge: pi.latest_charge as string });
    expect(rest.amount).toBe(4000);
    const charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expect([charge.amount_refunded, charge.refunded]).toEqual([5000, true]);
    expect(charge.refunds?.data.map((r) => r.id)).toEqual([rest.id, first.id]);

    const again = await stripeError(stripe.refunds.create({ payment_intent: pi.id }));
    expect([again.type, again.code, again.statusCode]).toEqual(['StripeInvalidRequestError', 'charge_already_refunded', 400]);

    const events = (await stripe.events.list({ types: ['refund.created', 'charge.refunded'] })).data;
    expect(events.map((e) => e.type)).toEqual(['charge.refunded', 'refund.created', 'charge.refunded', 'refund.created']);
    expect(events[0]?.data.previous_attributes).toMatchObject({ amount_refunded: 1000, refunded: false });
  });

  it('an uncaptured PaymentIntent cannot be refunded (it must be cancelled)', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 5000, currency: 'gbp', allowed_payment_method_types: ['card'], capture_method: 'manual', payment_method: 'pm_card_visa', confirm: true });
    const err = await stripeError(stripe.refunds.create({ payment_intent: pi.id }));
    expect([err.type, err.code, err.statusCode, err.param]).toEqual(['StripeInvalidRequestError', undefined, 400, 'payment_intent']);
    expect(err.message).toBe(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`);
    const byCharge = await stripeError(stripe.refunds.create({ charge: pi.latest_charge as string }));
    expect([byCharge.type, byCharge.statusCode]).toEqual(['StripeInvalidRequestError', 400]);
    const missing = await stripeError(stripe.refunds.create({}));
    expect([missing.code, missing.statusCode]).toEqual(['parameter_missing', 400]);
  });

  it('after a partial capture only the captured amount can be refunded', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 10000, currency: 'gbp', allowed_payment_method_types: ['card'], capture_method: 'manual', payment_method: 'pm_card_visa', confirm: true });
    await stripe.paymentIntents.capture(pi.id, { amount_to_capture: 6000 });
    const over = await stripeError(stripe.refunds.create({ payment_intent: pi.id, amount: 6001 }));
    expect(over.code).toBe('amount_too_large');
    expect((await stripe.refunds.create({ payment_intent: pi.id })).amount).toBe(6000);
  });

  it('refund_fail card: the refund is pending, then fails with failure_reason, refund.updated and refund.failed', async () => {
    const pi = await paid(3000, 'pm_card_refundFail');
    const refund = await stripe.refunds.create({ payment_intent: pi.id });
    expect(refund.status).toBe('pending');
    expect((await stripe.charges.retrieve(pi.latest_charge as string)).amount_refunded).toBe(3000);
    h.emulator.advanceClock(61);
    const failed = await stripe.refunds.retrieve(refund.id);
    expect(failed.status).toBe('failed');
    expect(failed.failure_reason).toBe('expired_or_canceled_card');
    const back = await stripe.balanceTransactions.retrieve(failed.failure_balance_transaction as string);
    expect([back.amount, back.type]).toEqual([3000, 'refund_failure']);
    const charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expect([charge.amount_refunded, charge.refunded]).toEqual([0, false]);
    const updated = (await stripe.events.list({ type: 'refund.updated' })).data[0];
    expect(updated?.data.previous_attributes).toMatchObject({ status: 'pending' });
    expect(updated?.request?.id).toBeNull();
    expect((await stripe.events.list({ type: 'refund.failed' })).data).toHaveLength(1);
    // The money is refundable again once the refund has failed.
    expect((await stripe.refunds.create({ payment_intent: pi.id, amount: 100 })).status).toBe('pending');
  });

  it('pendingRefund card: the refund is pending, then succeeds with refund.updated and charge.refund.updated', async () => {
    const pi = await paid(2500, 'pm_card_pendingRefund');
    const refund = await stripe.refunds.create({ payment_intent: pi.id, amount: 2000 });
    expect(refund.status).toBe('pending');
    h.emulator.advanceClock(30);
    expect((await stripe.refunds.retrieve(refund.id)).status).toBe('pending');
    h.emulator.advanceClock(31);
    const done = await stripe.refunds.retrieve(refund.id);
    expect([done.status, done.failure_reason ?? null]).toEqual(['succeeded', null]);
    const charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expect([charge.amount_refunded, charge.refunded]).toEqual([2000, false]);
    for (const type of ['refund.updated', 'charge.refund.updated'] as const) {
      const ev = (await stripe.events.list({ type })).data.find((e) => (e.data.object as { id: string }).id === refund.id);
      expect(ev?.data.previous_attributes).toEqual({ status: 'pending' });
    }
    // Applied once: a later clock move changes nothing more.
    h.emulator.advanceClock(600);
    expect((await stripe.events.list({ type: 'refund.updated' })).data.filter((e) => (e.data.object as { id: string }).id === refund.id)).toHaveLength(1);
  });

  it('pm_card_refundFail by card number: a real timer fails the refund without a clock advance', async () => {
    const quick = await startHarness({ refundFailureDelaySeconds: 1 });
    try {
      const pm = await quick.stripe.paymentMethods.create({ type: 'card', card: { number: '4000000000005126', exp_month: 1, exp_year: 2040 } });
      const pi = await quick.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', allowed_payment_method_types: ['card'], payment_method: pm.id, confirm: true });
      const refund = await quick.stripe.refunds.create({ payment_intent: pi.id });
      expect(refund.status).toBe('pending');
      let status = refund.status;
      for (let i = 0; i < 40 && status === 'pending'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = (await quick.stripe.refunds.retrieve(refund.id)).status;
      }
      expect(status).toBe('failed');
    } finally {
      await quick.close();
    }
  });

  it('update metadata, list by payment_intent, and cancel is refused for a card refund', async () => {
    const a = await paid(2000);
    const b = await paid(2000);
    const ra = await stripe.refunds.create({ payment_intent: a.id, amount: 500 });
    await stripe.refunds.create({ payment_intent: b.id, amount: 700 });
    const updated = await stripe.refunds.update(ra.id, { metadata: { ticket: 'T-9' } });
    expect(updated.metadata).toEqual({ ticket: 'T-9' });
    const event = (await stripe.events.list({ type: 'refund.updated' })).data[0];
    expect(event?.data.previous_attributes).toEqual({ metadata: { ticket: null } });
    const listed = await stripe.refunds.list({ payment_intent: a.id });
    expect(listed.data.map((r) => r.id)).toEqual([ra.id]);
    expect((await stripe.refunds.list()).data).toHaveLength(2);
    const cancel = await stripeError(stripe.refunds.cancel(ra.id));
    expect([cancel.type, cancel.code, cancel.statusCode]).toEqual(['StripeInvalidRequestError', undefined, 400]);
    const missing = await stripeError(stripe.refunds.retrieve('re_missing'));
    expect([missing.code, missing.statusCode]).toEqual(['resource_missing', 404]);
  });
});
