import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FaultRule } from './faults';
import { startHarness, stripeError, type EmulatorHarness } from './testHarness';

let h: EmulatorHarness;
let stripe: Stripe;
beforeAll(async () => {
  h = await startHarness();
  stripe = h.stripe;
});
afterAll(() => h.close());
beforeEach(() => h.emulator.reset());

function retrying(): Stripe {
  return new Stripe(h.emulator.apiKey, { ...h.emulator.stripeOptions, telemetry: false, maxNetworkRetries: 2 });
}

describe('Stripe-Should-Retry on injected faults, as Stripe sends it', () => {
  const cases: [FaultRule, number, string, string | undefined, string][] = [
    [{ kind: 'rateLimit' }, 429, 'rate_limit_error', 'rate_limit', 'false'],
    [{ kind: 'rateLimit', shouldRetry: true }, 429, 'rate_limit_error', 'rate_limit', 'true'],
    [{ kind: 'lockTimeout' }, 429, 'invalid_request_error', 'lock_timeout', 'true'],
    [{ kind: 'conflict' }, 409, 'idempotency_error', 'idempotency_key_in_use', 'true'],
    [{ kind: 'error500' }, 500, 'api_error', undefined, 'true'],
    [{ kind: 'error500', shouldRetry: false }, 500, 'api_error', undefined, 'false'],
  ];
  for (const [rule, status, rawType, code, header] of cases) {
    it(`${rule.kind}${rule.shouldRetry === undefined ? '' : ` shouldRetry=${rule.shouldRetry}`}: ${status} ${rawType}, Stripe-Should-Retry: ${header}`, async () => {
      h.emulator.setFaults(rule);
      const err = await stripeError(stripe.customers.create({ name: 'x' }));
      expect([err.statusCode, err.rawType, err.code, err.headers?.['stripe-should-retry']]).toEqual([status, rawType, code, header]);
    });
  }

  it('stripe-node follows the header: a lock timeout is retried and goes through once; a 500 marked false is not retried', async () => {
    const client = retrying();
    h.emulator.setFaults({ kind: 'lockTimeout', count: 1, pathPrefix: '/v1/customers' });
    const c = await client.customers.create({ name: 'after lock' });
    expect(c.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect((await stripe.customers.list()).data.map((x) => x.id)).toEqual([c.id]);

    // With count 1, a retry would have succeeded: the failure shows stripe-node did not retry.
    h.emulator.setFaults({ kind: 'error500', shouldRetry: false, count: 1 });
    expect((await stripeError(client.customers.create({ name: 'no retry' }))).statusCode).toBe(500);
    h.emulator.setFaults({ kind: 'rateLimit', count: 1 });
    expect((await stripeError(client.customers.create({ name: 'no retry' }))).statusCode).toBe(429);
    expect((await stripe.customers.list()).data).toHaveLength(1);
  });
});

describe('refunds for the refunds outbox', () => {
  async function paid(amount: number): Promise<Stripe.PaymentIntent> {
    return stripe.paymentIntents.create({ amount, currency: 'eur', allowed_payment_method_types: ['card'], payment_method: 'pm_card_visa', confirm: true });
  }

  it('metadata given at creation is kept; GET /v1/refunds?payment_intent= lists only that PaymentIntent\'s refunds, newest first', async () => {
    const a = await paid(5000);
    const b = await paid(5000);
    const r1 = await stripe.refunds.create({ payment_intent: a.id, amount: 1000, metadata: { refund_id: 'rf_local_1', booking_id: 'B-7' } });
    const r2 = await stripe.refunds.create({ payment_intent: a.id, amount: 500, metadata: { refund_id: 'rf_local_2' } });
    await stripe.refunds.create({ payment_intent: b.id, amount: 700, metadata: { refund_id: 'rf_local_3' } });
    expect(r1.metadata).toEqual({ refund_id: 'rf_local_1', booking_id: 'B-7' });
    const listed = await stripe.refunds.list({ payment_intent: a.id });
    expect(listed.data.map((r) => [r.id, r.metadata?.refund_id, r.payment_intent])).toEqual([
      [r2.id, 'rf_local_2', a.id],
      [r1.id, 'rf_local_1', a.id],
    ]);
    expect((await stripe.refunds.retrieve(r1.id)).metadata).toEqual({ refund_id: 'rf_local_1', booking_id: 'B-7' });
    const paged = await stripe.refunds.list({ payment_intent: a.id, limit: 1 });
    expect([paged.data[0]?.id, paged.has_more]).toEqual([r2.id, true]);
    expect((await stripe.refunds.list({ payment_intent: 'pi_unknown' })).data).toEqual([]);
  });

  it('a refund retried with the same idempotency key after a lost response is one refund, found by payment_intent', async () => {
    const pi = await paid(3000);
    h.emulator.setFaults({ kind: 'drop', after: true, pathPrefix: '/v1/refunds', method: 'POST', count: 1 });
    const refund = await retrying().refunds.create({ payment_intent: pi.id, amount: 1200, metadata: { refund_id: 'rf_once' } }, { idempotencyKey: 'refund-rf_once' });
    expect(refund.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect((await stripe.refunds.list({ payment_intent: pi.id })).data.map((r) => r.metadata?.refund_id)).toEqual(['rf_once']);
  });
});
