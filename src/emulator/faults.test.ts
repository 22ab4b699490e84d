import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, stripeError, type EmulatorHarness } from './testHarness';

let h: EmulatorHarness;
let stripe: Stripe;
beforeAll(async () => {
  h = await startHarness();
  stripe = h.stripe;
});
afterAll(() => h.close());
beforeEach(() => h.emulator.reset());

function client(options: Partial<Stripe.StripeConfig>): Stripe {
  return new Stripe(h.emulator.apiKey, { ...h.emulator.stripeOptions, telemetry: false, ...options });
}

describe('fault injection', () => {
  it('429: StripeRateLimitError with rate_limit_error/rate_limit and Stripe-Should-Retry', async () => {
    h.emulator.setFaults({ kind: 'rateLimit' });
    const err = await stripeError(stripe.customers.list());
    expect([err.type, err.rawType, err.code, err.statusCode]).toEqual(['StripeRateLimitError', 'rate_limit_error', 'rate_limit', 429]);
    expect(err.headers?.['stripe-should-retry']).toBe('false');
  });

  it('500: StripeAPIError (wrapped api_error), then normal service once the counted fault is used up', async () => {
    h.emulator.setFaults({ kind: 'error500', count: 1 });
    const err = await stripeError(stripe.customers.create({}));
    expect([err.type, err.rawType, err.statusCode]).toEqual(['StripeAPIError', 'api_error', 500]);
    expect(err.requestId).toMatch(/^req_/);
    expect((await stripe.customers.create({})).object).toBe('customer');
  });

  it('network down: StripeConnectionError for every API call until cleared; admin routes still answer', async () => {
    h.emulator.setFaults({ kind: 'networkDown' });
    const err = await stripeError(stripe.customers.list());
    expect(err.type).toBe('StripeConnectionError');
    expect(err).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    const admin = await fetch(`${h.emulator.url}/_emulator/faults`);
    expect(((await admin.json()) as { faults: { kind: string }[] }).faults.map((f) => f.kind)).toEqual(['networkDown']);
    h.emulator.clearFaults();
    expect((await stripe.customers.list()).object).toBe('list');
  });

  it('a response lost after the charge went through is recovered by the retry with the same key: one charge', async () => {
    h.emulator.setFaults({ kind: 'drop', after: true, pathPrefix: '/v1/payment_intents', count: 1 });
    const retrying = client({ maxNetworkRetries: 2 });
    const pi = await retrying.paymentIntents.create({ amount: 900, currency: 'usd', allowed_payment_method_types: ['card'], payment_method: 'pm_card_visa', confirm: true });
    expect(pi.status).toBe('succeeded');
    expect(pi.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect((await stripe.paymentIntents.list()).data).toHaveLength(1);
    expect((await stripe.charges.list()).data).toHaveLength(1);
  });

  it('scoped by path prefix and count; 500 and 429 via the admin endpoint', async () => {
    const res = await fetch(`${h.emulator.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ faults: [{ kind: 'error500', pathPrefix: '/v1/refunds', count: 2 }] }),
    });
    expect(res.status).toBe(200);
    expect((await stripe.customers.create({})).object).toBe('customer');
    for (let i = 0; i < 2; i++) expect((await stripeError(stripe.refunds.list())).type).toBe('StripeAPIError');
    expect((await stripe.refunds.list()).object).toBe('list');
    const bad = await fetch(`${h.emulator.url}/_emulator/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ kind: 'meteor' }) });
    expect(bad.status).toBe(400);
  });

  it('latency delays answers; a client timeout shorter than it gives StripeConnectionError', async () => {
    h.emulator.setFaults({ kind: 'latency', latencyMs: 150 });
    const t0 = performance.now();
    await stripe.customers.list();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    const impatient = client({ maxNetworkRetries: 0, timeout: 50 });
    const err = await stripeError(impatient.customers.list());
    expect(err.type).toBe('StripeConnectionError');
    expect(err.message).toMatch(/timeout/);
  });
});
