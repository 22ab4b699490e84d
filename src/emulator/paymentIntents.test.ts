import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, stripeError, type EmulatorHarness } from './testHarness';
import { fakeStripeKey } from '../../test/support/fakeStripeKey';

let h: EmulatorHarness;
let stripe: Stripe;
beforeAll(async () => {
  h = await startHarness();
  stripe = h.stripe;
});
afterAll(() => h.close());
beforeEach(() => h.emulator.reset());

const card = (extra: Partial<Stripe.PaymentIntentCreateParams> = {}): Stripe.PaymentIntentCreateParams => ({
  amount: 2000,
  currency: 'usd',
  allowed_payment_method_types: ['card'],
  ...extra,
});

describe('authentication and error envelope', () => {
  it('refuses a request without a key or with a live key (401, StripeAuthenticationError)', async () => {
    const res = await fetch(`${h.emulator.url}/v1/payment_intents`);
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toMatch(/did not provide an API key/);
    const Stripe = (await import('stripe')).default;
    const live = new Stripe(fakeStripeKey('sk_live', '123456789'), { ...h.emulator.stripeOptions, maxNetworkRetries: 0 });
    const err = await stripeError(live.paymentIntents.list());
    expect(err.type).toBe('StripeAuthenticationError');
    expect(err.statusCode).toBe(401);
  });

  it('wraps an unknown route as a 404 invalid_request_error with Request-Id and echoes Stripe-Version', async () => {
    const res = await fetch(`${h.emulator.url}/v1/no_such_thing`, { headers: { Authorization: `Bearer ${h.emulator.apiKey}`, 'Stripe-Version': '2024-06-20' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    expect(res.headers.get('stripe-version')).toBe('2024-06-20');
    const body = (await res.json()) as { error: { type: string; message: string; request_log_url: string } };
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toMatch(/Unrecognized request URL \(GET: \/v1\/no_such_thing\)/);
    expect(body.error.request_log_url).toContain(res.headers.get('request-id'));
  });

  it('answers an unknown id with resource_missing (404) and an unknown parameter with parameter_unknown (400)', async () => {
    const missing = await stripeError(stripe.paymentIntents.retrieve('pi_nope'));
    expect([missing.type, missing.code, missing.statusCode, missing.param]).toEqual(['StripeInvalidRequestError', 'resource_missing', 404, 'intent']);
    const unknown = await stripeError(stripe.paymentIntents.create({ ...card(), colour: 'red' } as Stripe.PaymentIntentCreateParams));
    expect([unknown.type, unknown.code, unknown.statusCode, unknown.param]).toEqual(['StripeInvalidRequestError', 'parameter_unknown', 400, 'colour']);
    const missingParam = await stripeError(stripe.paymentIntents.create({ currency: 'usd' } as Stripe.PaymentIntentCreateParams));
    expect([missingParam.code, missingParam.param]).toEqual(['parameter_missing', 'amount']);
    const small = await stripeError(stripe.paymentIntents.create(card({ amount: 10 })));
    expect([small.code, small.param, small.statusCode]).toEqual(['amount_too_small', 'amount', 400]);
  });
});

describe('status machine', () => {
  it('create → requires_payment_method → requires_confirmation → succeeded, with a client secret and events', async () => {
    const pi = await stripe.paymentIntents.create(card({ metadata: { booking_id: 'B1' }, description: 'Rental', receipt_email: 'r@example.com' }));
    expect(pi.status).toBe('requires_payment_method');
    expect(pi.client_secret).toMatch(new RegExp(`^${pi.id}_secret_`));
    expect(pi.metadata).toEqual({ booking_id: 'B1' });
    const withPm = await stripe.paymentIntents.update(pi.id, { payment_method: 'pm_card_visa' });
    expect(withPm.status).toBe('requires_confirmation');
    const done = await stripe.paymentIntents.confirm(pi.id);
    expect(done.status).toBe('succeeded');
    expect(done.amount_received).toBe(2000);
    const charge = await stripe.charges.retrieve(done.latest_charge as string);
    expect(charge).toMatchObject({ amount: 2000, amount_captured: 2000, captured: true, paid: true, status: 'succeeded', metadata: { booking_id: 'B1' } });
    expect(charge.payment_method_details?.card?.brand).toBe('visa');
    expect(charge.payment_method_details?.card?.last4).toBe('4242');
    const types = (await stripe.events.list()).data.map((e) => e.type);
    expect(types).toEqual(['payment_intent.succeeded', 'charge.succeeded', 'payment_intent.created']);
  });

  it('accepts the older payment_method_types name and answers with both fields', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method_types: ['card_present'] } as unknown as Stripe.PaymentIntentCreateParams);
    expect([pi.payment_method_types, pi.allowed_payment_method_types]).toEqual([['card_present'], ['card_present']]);
    const auto = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    expect([auto.payment_method_types, auto.allowed_payment_method_types, auto.automatic_payment_methods?.enabled]).toEqual([['card'], null, true]);
    const bad = await stripeError(stripe.paymentIntents.create({ amount: 1000, currency: 'usd', allowed_payment_method_types: ['ideal'] }));
    expect([bad.type, bad.code, bad.param]).toEqual(['StripeInvalidRequestError', 'payment_intent_invalid_parameter', 'allowed_payment_method_types']);
  });

  it('confirm: true in one call, with expand latest_charge.balance_transaction: 2.9% + 30 fee online', async () => {
    const pi = await stripe.paymentIntents.create(card({ amount: 10000, payment_method: 'pm_card_mastercard', confirm: true, expand: ['latest_charge.balance_transaction'] }));
    const charge = pi.latest_charge as Stripe.Charge;
    const txn = charge.balance_transaction as Stripe.BalanceTransaction;
    expect(charge.payment_method_details?.card?.brand).toBe('mastercard');
    expect(txn.id).toMatch(/^txn_/);
    expect([txn.amount, txn.fee, txn.net, txn.type]).toEqual([10000, 320, 9680, 'charge']);
    expect(txn.fee_details[0]?.type).toBe('stripe_fee');
  });

  it('manual capture: requires_capture, partial capture releases the rest, amount_capturable_updated and charge.captured events', async () => {
    const pi = await stripe.paymentIntents.create(card({ capture_method: 'manual', payment_method: 'pm_card_visa', confirm: true }));
    expect(pi.status).toBe('requires_capture');
    expect(pi.amount_capturable).toBe(2000);
    const held = await stripe.charges.retrieve(pi.latest_charge as string);
    expect(held.captured).toBe(false);
    expect(held.balance_transaction).toBeNull();
    const sevenDays = 7 * 24 * 3600;
    expect(held.payment_method_details?.card?.capture_before).toBe(held.created + sevenDays);
    const over = await stripeError(stripe.paymentIntents.capture(pi.id, { amount_to_capture: 2500 }));
    expect([over.type, over.code, over.param]).toEqual(['StripeInvalidRequestError', 'amount_too_large', 'amount_to_capture']);
    const captured = await stripe.paymentIntents.capture(pi.id, { amount_to_capture: 1500 }, { expand: ['latest_charge'] } as Stripe.RequestOptions);
    expect(captured.status).toBe('succeeded');
    expect(captured.amount_received).toBe(1500);
    expect(captured.amount_capturable).toBe(0);
    const charge = await stripe.charges.retrieve(pi.latest_charge as string, { expand: ['balance_transaction'] });
    expect(charge.amount_captured).toBe(1500);
    expect(charge.captured).toBe(true);
    expect((charge.balance_transaction as Stripe.BalanceTransaction).amount).toBe(1500);
    // The uncaptured 500 is released, which Stripe records as refunded.
    expect(charge.amount_refunded).toBe(500);
    expect(charge.refunded).toBe(false);
    const types = (await stripe.events.list({ limit: 10 })).data.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['payment_intent.succeeded', 'charge.captured']);
    expect(types).toContain('payment_intent.amount_capturable_updated');
    const capturedEvent = (await stripe.events.list({ type: 'charge.captured' })).data[0];
    expect(capturedEvent?.data.previous_attributes).toMatchObject({ captured: false, amount_captured: 0 });
  });

  it('invalid transitions give payment_intent_unexpected_state (400) with the PaymentIntent', async () => {
    const fresh = await stripe.paymentIntents.create(card());
    const capture = await stripeError(stripe.paymentIntents.capture(fresh.id));
    expect([capture.type, capture.code, capture.statusCode]).toEqual(['StripeInvalidRequestError', 'payment_intent_unexpected_state', 400]);
    expect((capture.payment_intent as Stripe.PaymentIntent).id).toBe(fresh.id);
    const noPm = await stripeError(stripe.paymentIntents.confirm(fresh.id));
    expect(noPm.code).toBe('payment_intent_unexpected_state');
    const paid = await stripe.paymentIntents.create(card({ payment_method: 'pm_card_visa', confirm: true }));
    for (const call of [stripe.paymentIntents.confirm(paid.id), stripe.paymentIntents.cancel(paid.id), stripe.paymentIntents.update(paid.id, { amount: 3000 })]) {
      const err = await stripeError(call);
      expect([err.code, err.statusCode]).toEqual(['payment_intent_unexpected_state', 400]);
    }
    // Metadata may still change after success.
    expect((await stripe.paymentIntents.update(paid.id, { metadata: { note: 'x' } })).metadata).toEqual({ note: 'x' });
  });

  it('cancel with a reason; an uncaptured authorization is released', async () => {
    const pi = await stripe.paymentIntents.create(card({ capture_method: 'manual', payment_method: 'pm_card_visa', confirm: true }));
    const canceled = await stripe.paymentIntents.cancel(pi.id, { cancellation_reason: 'requested_by_customer' });
    expect(canceled.status).toBe('canceled');
    expect(canceled.cancellation_reason).toBe('requested_by_customer');
    expect(canceled.canceled_at).toBeGreaterThanOrEqual(pi.created);
    expect(canceled.canceled_at).toBeLessThanOrEqual(h.emulator.now());
    const charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge.refunded).toBe(true);
    const types = (await stripe.events.list({ limit: 2 })).data.map((e) => e.type);
    expect(types).toEqual(['payment_intent.canceled', 'charge.refunded']);
    const bad = await stripeError(stripe.paymentIntents.cancel((await stripe.paymentIntents.create(card())).id, { cancellation_reason: 'bored' as 'abandoned' }));
    expect([bad.type, bad.param]).toEqual(['StripeInvalidRequestError', 'cancellation_reason']);
  });

  it('3-D Secure card: requires_action, then the authenticate test helper completes or fails it', async () => {
    const pi = await stripe.paymentIntents.create(card({ payment_method: 'pm_card_authenticationRequired', confirm: true, return_url: 'https://example.com/back' }));
    expect(pi.status).toBe('requires_action');
    expect(pi.next_action?.type).toBe('redirect_to_url');
    const done = (await stripe.rawRequest('POST', `/v1/test_helpers/payment_intents/${pi.id}/authenticate`, {})) as unknown as Stripe.PaymentIntent;
    expect(done.status).toBe('succeeded');
    const other = await stripe.paymentIntents.create(card({ payment_method: 'pm_card_authenticationRequired', confirm: true }));
    const failed = (await stripe.rawRequest('POST', `/v1/test_helpers/payment_intents/${other.id}/authenticate`, { outcome: 'fail' })) as unknown as Stripe.PaymentIntent;
    expect(failed.status).toBe('requires_payment_method');
    expect(failed.last_payment_error?.code).toBe('payment_intent_authentication_failure');
  });
});

describe('declines', () => {
  const cases: [string, string, string, string][] = [
    ['pm_card_chargeDeclined', '4000000000000002', 'card_declined', 'generic_decline'],
    ['pm_card_chargeDeclinedInsufficientFunds', '4000000000009995', 'card_declined', 'insufficient_funds'],
    ['pm_card_chargeDeclinedExpiredCard', '4000000000000069', 'expired_card', 'expired_card'],
    ['pm_card_chargeDeclinedIncorrectCvc', '4000000000000127', 'incorrect_cvc', 'incorrect_cvc'],
    ['pm_card_chargeDeclinedProcessingError', '4000000000000119', 'processing_error', 'processing_error'],
  ];

  it.each(cases)('%s gives a 402 StripeCardError %s/%s and leaves the PaymentIntent retryable', async (token, number, code, declineCode) => {
    const pi = await stripe.paymentIntents.create(card({ metadata: { try: '1' } }));
    const err = await stripeError(stripe.paymentIntents.confirm(pi.id, { payment_method: token }));
    expect([err.type, err.code, err.decline_code, err.statusCode]).toEqual(['StripeCardError', code, declineCode, 402]);
    const inError = err.payment_intent as Stripe.PaymentIntent;
    expect(inError.id).toBe(pi.id);
    expect(inError.status).toBe('requires_payment_method');
    const after = await stripe.paymentIntents.retrieve(pi.id);
    expect(after.status).toBe('requires_payment_method');
    expect(after.last_payment_error).toMatchObject({ type: 'card_error', code, decline_code: declineCode });
    const failedCharge = await stripe.charges.retrieve(after.latest_charge as string);
    expect([failedCharge.status, failedCharge.paid, failedCharge.failure_code]).toEqual(['failed', false, code]);
    const types = (await stripe.events.list({ limit: 2 })).data.map((e) => e.type);
    expect(types).toEqual(['payment_intent.payment_failed', 'charge.failed']);

    // The same card number through a PaymentMethod declines the same way; a good card then succeeds on the same PaymentIntent.
    const pm = await stripe.paymentMethods.create({ type: 'card', card: { number, exp_month: 12, exp_year: 2040, cvc: '123' } });
    const again = await stripeError(stripe.paymentIntents.confirm(pi.id, { payment_method: pm.id }));
    expect([again.code, again.decline_code]).toEqual([code, declineCode]);
    expect((await stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' })).status).toBe('succeeded');
  });

  it('an invalid card number is refused when the PaymentMethod is created (incorrect_number)', async () => {
    const err = await stripeError(stripe.paymentMethods.create({ type: 'card', card: { number: '4242424242424241', exp_month: 1, exp_year: 2040 } }));
    expect([err.type, err.code, err.statusCode]).toEqual(['StripeCardError', 'incorrect_number', 402]);
  });
});

describe('card_present options', () => {
  it('incremental authorization while requires_capture, only when requested', async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 10000,
      currency: 'usd',
      allowed_payment_method_types: ['card_present'],
      capture_method: 'manual',
      payment_method_options: { card_present: { request_incremental_authorization_support: true } },
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    expect(pi.status).toBe('requires_capture');
    const charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge.payment_method_details?.type).toBe('card_present');
    expect(charge.payment_method_details?.card_present?.incremental_authorization_supported).toBe(true);
    const up = await stripe.paymentIntents.incrementAuthorization(pi.id, { amount: 15000 });
    expect([up.amount, up.amount_capturable, up.status]).toEqual([15000, 15000, 'requires_capture']);
    const lower = await stripeError(stripe.paymentIntents.incrementAuthorization(pi.id, { amount: 12000 }));
    expect([lower.type, lower.param]).toEqual(['StripeInvalidRequestError', 'amount']);
    await stripe.paymentIntents.capture(pi.id);
    const after = await stripeError(stripe.paymentIntents.incrementAuthorization(pi.id, { amount: 20000 }));
    expect(after.code).toBe('payment_intent_unexpected_state');

    const plain = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', allowed_payment_method_types: ['card_present'], capture_method: 'manual', payment_method: 'pm_card_visa', confirm: true });
    const unsupported = await stripeError(stripe.paymentIntents.incrementAuthorization(plain.id, { amount: 2000 }));
    expect(unsupported.type).toBe('StripeInvalidRequestError');
  });

  it('card_present fee is 1.4% + 20; a card PaymentMethod is refused by a card_present-only PaymentIntent', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 10000, currency: 'eur', allowed_payment_method_types: ['card_present'], payment_method: 'pm_card_visa', confirm: true, expand: ['latest_charge.balance_transaction'] });
    const txn = (pi.latest_charge as Stripe.Charge).balance_transaction as Stripe.BalanceTransaction;
    expect([txn.fee, txn.net]).toEqual([160, 9840]);
    const pm = await stripe.paymentMethods.create({ type: 'card', card: { number: '4242424242424242', exp_month: 1, exp_year: 2040 } });
    const other = await stripe.paymentIntents.create({ amount: 1000, currency: 'eur', allowed_payment_method_types: ['card_present'] });
    const err = await stripeError(stripe.paymentIntents.confirm(other.id, { payment_method: pm.id }));
    expect([err.type, err.code]).toEqual(['StripeInvalidRequestError', 'payment_intent_incompatible_payment_method']);
  });
});

describe('list and pagination', () => {
  it('lists newest first, filters by customer and created, pages with starting_after / ending_before', async () => {
    const customer = await stripe.customers.create({ name: 'Pat' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await stripe.paymentIntents.create(card({ customer: customer.id }))).id);
    await stripe.paymentIntents.create(card());
    const newest = [...ids].reverse();
    const page1 = await stripe.paymentIntents.list({ customer: customer.id, limit: 2 });
    expect(page1.data.map((p) => p.id)).toEqual(newest.slice(0, 2));
    expect(page1.has_more).toBe(true);
    const page2 = await stripe.paymentIntents.list({ customer: customer.id, limit: 2, starting_after: page1.data[1]?.id });
    expect(page2.data.map((p) => p.id)).toEqual(newest.slice(2, 4));
    const back = await stripe.paymentIntents.list({ customer: customer.id, limit: 2, ending_before: page2.data[0]?.id });
    expect(back.data.map((p) => p.id)).toEqual(newest.slice(0, 2));
    const all: string[] = [];
    for await (const pi of stripe.paymentIntents.list({ customer: customer.id, limit: 2 })) all.push(pi.id);
    expect(all).toEqual(newest);
    h.emulator.advanceClock(100);
    const later = await stripe.paymentIntents.create(card({ customer: customer.id }));
    const recent = await stripe.paymentIntents.list({ customer: customer.id, created: { gte: h.emulator.now() - 10 } });
    expect(recent.data.map((p) => p.id)).toEqual([later.id]);
    const expanded = await stripe.paymentIntents.list({ limit: 1, expand: ['data.customer'] });
    const expandedCustomer = expanded.data[0]?.customer as Stripe.Customer;
    expect([expandedCustomer.object, expandedCustomer.id, expandedCustomer.name]).toEqual(['customer', customer.id, 'Pat']);
  });
});
