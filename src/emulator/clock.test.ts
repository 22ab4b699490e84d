import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, stripeError, type EmulatorHarness } from './testHarness';

const DAY = 24 * 3600;
let h: EmulatorHarness;
let stripe: Stripe;
beforeAll(async () => {
  h = await startHarness();
  stripe = h.stripe;
});
afterAll(() => h.close());
beforeEach(() => h.emulator.reset());

async function hold(types: ('card' | 'card_present')[], options: Stripe.PaymentIntentCreateParams.PaymentMethodOptions = {}): Promise<{ pi: Stripe.PaymentIntent; captureBefore: number }> {
  const pi = await stripe.paymentIntents.create({
    amount: 20000,
    currency: 'usd',
    allowed_payment_method_types: types,
    capture_method: 'manual',
    payment_method_options: options,
    payment_method: 'pm_card_visa',
    confirm: true,
    expand: ['latest_charge'],
  });
  const details = (pi.latest_charge as Stripe.Charge).payment_method_details;
  const captureBefore = (details?.card_present?.capture_before ?? details?.card?.capture_before) as number;
  return { pi, captureBefore };
}

describe('test clock and authorization expiry', () => {
  it('card_present holds last 2 days by default: still capturable just before, cancelled (automatic) just after', async () => {
    const { pi, captureBefore } = await hold(['card_present']);
    expect(captureBefore - pi.created).toBe(2 * DAY);
    h.emulator.advanceClock(2 * DAY - 60);
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe('requires_capture');
    h.emulator.advanceClock(61);
    const expired = await stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge'] });
    expect([expired.status, expired.cancellation_reason, expired.amount_capturable]).toEqual(['canceled', 'automatic', 0]);
    expect((expired.latest_charge as Stripe.Charge).refunded).toBe(true);
    const types = (await stripe.events.list({ limit: 2 })).data;
    expect(types.map((e) => e.type)).toEqual(['payment_intent.canceled', 'charge.expired']);
    expect(types[0]?.request).toEqual({ id: null, idempotency_key: null });
    const late = await stripeError(stripe.paymentIntents.capture(pi.id));
    expect([late.type, late.code, late.statusCode]).toEqual(['StripeInvalidRequestError', 'payment_intent_unexpected_state', 400]);
  });

  it('online card holds last 7 days; extended card_present authorization 30 days', async () => {
    const online = await hold(['card']);
    expect(online.captureBefore - online.pi.created).toBe(7 * DAY);
    const extended = await hold(['card_present'], { card_present: { request_extended_authorization: true } });
    expect(extended.captureBefore - extended.pi.created).toBe(30 * DAY);
    h.emulator.advanceClock(8 * DAY);
    expect((await stripe.paymentIntents.retrieve(online.pi.id)).status).toBe('canceled');
    expect((await stripe.paymentIntents.retrieve(extended.pi.id)).status).toBe('requires_capture');
    h.emulator.advanceClock(22 * DAY + 1);
    expect((await stripe.paymentIntents.retrieve(extended.pi.id)).status).toBe('canceled');
  });

  it('the admin endpoint advances the clock too, and refuses going backwards', async () => {
    const before = h.emulator.now();
    const res = await fetch(`${h.emulator.url}/_emulator/clock/advance`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ seconds: 3600 }) });
    const body = (await res.json()) as { now: number; offset_seconds: number };
    expect(body.offset_seconds).toBe(3600);
    expect(body.now - before).toBeGreaterThanOrEqual(3600);
    const bad = await fetch(`${h.emulator.url}/_emulator/clock/advance`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ seconds: -5 }) });
    expect(bad.status).toBe(400);
    const created = await stripe.customers.create({});
    expect(created.created).toBeGreaterThanOrEqual(before + 3600);
  });

  it('a balance transaction becomes available after two days', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', allowed_payment_method_types: ['card'], payment_method: 'pm_card_visa', confirm: true, expand: ['latest_charge'] });
    const txnId = (pi.latest_charge as Stripe.Charge).balance_transaction as string;
    expect((await stripe.balanceTransactions.retrieve(txnId)).status).toBe('pending');
    h.emulator.advanceClock(2 * DAY);
    expect((await stripe.balanceTransactions.retrieve(txnId)).status).toBe('available');
  });
});
