import type Stripe from 'stripe';
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

const params: Stripe.PaymentIntentCreateParams = { amount: 4200, currency: 'usd', allowed_payment_method_types: ['card'], payment_method: 'pm_card_visa', confirm: true };

async function post(path: string, body: string, key: string): Promise<Response> {
  return fetch(`${h.emulator.url}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${h.emulator.apiKey}`, 'Content-Type': 'application/x-www-form-urlencoded', 'Idempotency-Key': key },
    body,
  });
}

describe('Idempotency-Key', () => {
  it('the same key and parameters replay the first response (Idempotent-Replayed: true) without charging twice', async () => {
    const first = await stripe.paymentIntents.create(params, { idempotencyKey: 'booking-1-charge' });
    const second = await stripe.paymentIntents.create(params, { idempotencyKey: 'booking-1-charge' });
    expect(second.id).toBe(first.id);
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect((await stripe.paymentIntents.list()).data).toHaveLength(1);
    expect((await stripe.charges.list()).data).toHaveLength(1);
  });

  it('parameter order does not matter; different parameters give idempotency_error (400)', async () => {
    const a = await post('/v1/customers', 'name=A&email=a%40x.io', 'k1');
    const b = await post('/v1/customers', 'email=a%40x.io&name=A', 'k1');
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    expect(((await b.json()) as { id: string }).id).toBe(((await a.json()) as { id: string }).id);
    await stripe.paymentIntents.create(params, { idempotencyKey: 'k2' });
    const err = await stripeError(stripe.paymentIntents.create({ ...params, amount: 4300 }, { idempotencyKey: 'k2' }));
    expect([err.type, err.rawType, err.statusCode]).toEqual(['StripeIdempotencyError', 'idempotency_error', 400]);
    const otherPath = await stripeError(stripe.customers.create({ name: 'x' }, { idempotencyKey: 'k2' }));
    expect(otherPath.type).toBe('StripeIdempotencyError');
  });

  it('a declined confirm is saved too: the replay is the same 402 with the same PaymentIntent', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', allowed_payment_method_types: ['card'] });
    const one = await stripeError(stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_chargeDeclined' }, { idempotencyKey: 'decline-1' }));
    const two = await stripeError(stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_chargeDeclined' }, { idempotencyKey: 'decline-1' }));
    expect([two.type, two.code, two.statusCode]).toEqual(['StripeCardError', 'card_declined', 402]);
    expect(two.headers?.['idempotent-replayed']).toBe('true');
    expect(two.charge).toBe(one.charge);
    expect((await stripe.charges.list({ payment_intent: pi.id })).data).toHaveLength(1);
  });

  it('keys expire after 24 hours of emulator time', async () => {
    const first = await stripe.paymentIntents.create(params, { idempotencyKey: 'day-old' });
    h.emulator.advanceClock(24 * 3600 - 10);
    expect((await stripe.paymentIntents.create(params, { idempotencyKey: 'day-old' })).id).toBe(first.id);
    h.emulator.advanceClock(20);
    expect((await stripe.paymentIntents.create(params, { idempotencyKey: 'day-old' })).id).not.toBe(first.id);
  });

  it('never saves a 404 for an unknown route, a validation error, or an injected 500', async () => {
    const unknown = await post('/v1/nothing_here', 'a=1', 'route-key');
    expect(unknown.status).toBe(404);
    const again = await post('/v1/nothing_here', 'a=1', 'route-key');
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    const invalid = await stripeError(stripe.customers.create({ bogus: 1 } as Stripe.CustomerCreateParams, { idempotencyKey: 'v1' }));
    expect(invalid.code).toBe('parameter_unknown');
    expect((await stripe.customers.create({}, { idempotencyKey: 'v1' })).object).toBe('customer');
    h.emulator.setFaults({ kind: 'error500', count: 1 });
    const e500 = await stripeError(stripe.customers.create({ name: 'q' }, { idempotencyKey: 'f1' }));
    expect(e500.statusCode).toBe(500);
    const ok = await stripe.customers.create({ name: 'q' }, { idempotencyKey: 'f1' });
    expect(ok.lastResponse.headers['idempotent-replayed']).toBeUndefined();
  });

  it('the store is bounded: past its capacity the oldest keys are forgotten', async () => {
    const small = await startHarness({ idempotencyCapacity: 3 });
    try {
      const first = await small.stripe.customers.create({}, { idempotencyKey: 'c0' });
      for (let i = 1; i <= 3; i++) await small.stripe.customers.create({}, { idempotencyKey: `c${i}` });
      const replayLatest = await small.stripe.customers.create({}, { idempotencyKey: 'c3' });
      expect(replayLatest.lastResponse.headers['idempotent-replayed']).toBe('true');
      expect((await small.stripe.customers.create({}, { idempotencyKey: 'c0' })).id).not.toBe(first.id);
    } finally {
      await small.close();
    }
  });
});
