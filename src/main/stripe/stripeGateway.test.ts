import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/server';
import type { Emulator } from '../../emulator/server';
import { PosError } from '../../shared/errors';
import { createStripeGateway, idempotencyKey, shouldRetry } from './stripeGateway';
import type { StripeGateway } from './stripeGateway';

let emulator: Emulator;
let g: StripeGateway;
beforeAll(async () => {
  emulator = await startEmulator();
  g = createStripeGateway({ apiKey: emulator.apiKey, ...emulator.stripeOptions }, { backoff: { initialMs: 5, maxMs: 20, factor: 2 } });
});
afterAll(async () => emulator.close());

const key = (step: string) => idempotencyKey(`row${Math.random().toString(36).slice(2)}`, step);

describe('typed Stripe gateway against the emulator', () => {
  it('every mutating call carries the caller’s key: the same key gives the same PaymentIntent', async () => {
    const k = key('create');
    const a = await g.paymentIntents.create({ amount: 1000, currency: 'eur', allowed_payment_method_types: ['card'] }, { idempotencyKey: k });
    const b = await g.paymentIntents.create({ amount: 1000, currency: 'eur', allowed_payment_method_types: ['card'] }, { idempotencyKey: k });
    expect(b.id).toBe(a.id);
    // A missing key is a programming error: it fails loudly, and nothing reaches Stripe.
    await expect(g.paymentIntents.create({ amount: 1000, currency: 'eur' }, { idempotencyKey: '' })).rejects.toThrow(/needs an idempotency key/);
  });

  it('covers the PaymentIntent life: confirm, capture part, cancel, increment, list; refunds; balance transactions; events', async () => {
    const pi = await g.paymentIntents.create(
      { amount: 5000, currency: 'eur', allowed_payment_method_types: ['card'], capture_method: 'manual', payment_method_options: { card: { request_incremental_authorization: 'if_available' } } },
      { idempotencyKey: key('create') },
    );
    const confirmed = await g.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' }, { idempotencyKey: key('confirm') });
    expect(confirmed.status).toBe('requires_capture');
    const captured = await g.paymentIntents.capture(pi.id, { amount_to_capture: 4000 }, { idempotencyKey: key('capture') });
    expect(captured.amount_received).toBe(4000);
    const full = await g.paymentIntents.retrieve(pi.id, { expand: ['latest_charge.balance_transaction'] });
    const charge = full.latest_charge as { balance_transaction: { id: string; fee: number } };
    const bt = await g.balanceTransactions.retrieve(charge.balance_transaction.id);
    expect(bt.fee).toBe(charge.balance_transaction.fee);
    const refund = await g.refunds.create({ payment_intent: pi.id, amount: 1000 }, { idempotencyKey: key('refund') });
    expect((await g.refunds.retrieve(refund.id)).amount).toBe(1000);
    // The uncaptured 10.00 shows as a release (a reversal), as at Stripe; ours is the other one.
    expect((await g.refunds.list({ payment_intent: pi.id })).data.map((r) => r.id)).toContain(refund.id);
    const other = await g.paymentIntents.create({ amount: 700, currency: 'eur', allowed_payment_method_types: ['card'] }, { idempotencyKey: key('create') });
    expect((await g.paymentIntents.cancel(other.id, {}, { idempotencyKey: key('cancel') })).status).toBe('canceled');
    expect((await g.paymentIntents.list({ limit: 100 })).data.map((x) => x.id)).toEqual(expect.arrayContaining([pi.id, other.id]));
    expect((await g.events.list({ limit: 5 })).data.length).toBeGreaterThan(0);
  });

  it('covers Terminal: location, reader, display, process, present a test card, cancel, connection token; and Checkout Sessions', async () => {
    const loc = await g.locations.create({ display_name: 'Shop', address: { line1: 'x', city: 'y', country: 'NL', postal_code: '1000 AA' } }, { idempotencyKey: key('loc') });
    const reader = await g.readers.register({ registration_code: 'simulated-wpe', location: loc.id }, { idempotencyKey: key('reader') });
    await g.readers.setDisplay(reader.id, { type: 'cart', cart: { currency: 'eur', line_items: [{ description: 'Rental', amount: 900, quantity: 1 }], total: 900 } }, { idempotencyKey: key('display') });
    const pi = await g.paymentIntents.create({ amount: 900, currency: 'eur', allowed_payment_method_types: ['card_present'] }, { idempotencyKey: key('create') });
    const busy = await g.readers.processPaymentIntent(reader.id, { payment_intent: pi.id }, { idempotencyKey: key('process') });
    expect(busy.action?.status).toBe('in_progress');
    // A second action while busy: one sentence for the clerk.
    const refused = await g.readers.setDisplay(reader.id, { type: 'cart', cart: { currency: 'eur', line_items: [], total: 0 } }, { idempotencyKey: key('display') }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PosError);
    expect((refused as PosError).message).toMatch(/reader is busy/);
    await g.readers.cancelAction(reader.id, { idempotencyKey: key('cancel_action') });
    await g.readers.processPaymentIntent(reader.id, { payment_intent: pi.id }, { idempotencyKey: key('process') });
    await g.readers.presentTestCard(reader.id, { type: 'card_present', card_present: { number: '4242424242424242' } }, { idempotencyKey: key('present') });
    expect((await g.paymentIntents.retrieve(pi.id)).status).toBe('succeeded');
    const pi2 = await g.paymentIntents.create({ amount: 900, currency: 'eur', allowed_payment_method_types: ['card_present'] }, { idempotencyKey: key('create') });
    await g.readers.processPaymentIntent(reader.id, { payment_intent: pi2.id }, { idempotencyKey: key('process') });
    const removed = await g.readers.failTestAction(reader.id, 'card_removed', { idempotencyKey: key('fail') });
    expect(removed.action).toMatchObject({ status: 'failed', failure_code: 'card_removed' });
    expect((await g.connectionTokens.create({ location: loc.id }, { idempotencyKey: key('ct') })).secret).toMatch(/^pst_test_/);
    const session = await g.checkoutSessions.create(
      { mode: 'payment', success_url: 'https://example.com/ok', line_items: [{ price_data: { currency: 'eur', unit_amount: 1500, product_data: { name: 'Deposit' } }, quantity: 1 }] },
      { idempotencyKey: key('session') },
    );
    expect((await g.checkoutSessions.retrieve(session.id)).id).toBe(session.id);
    expect((await g.checkoutSessions.expire(session.id, { idempotencyKey: key('expire') })).status).toBe('expired');
  });
});

describe('retries', () => {
  it('retries a dropped connection and a 500 with the same key (one PaymentIntent), and a 429 only when Stripe says so', async () => {
    emulator.setFaults([{ kind: 'drop', after: true, pathPrefix: '/v1/payment_intents', method: 'POST', count: 1 }, { kind: 'error500', pathPrefix: '/v1/payment_intents', method: 'POST', count: 1 }]);
    const k = key('create');
    const pi = await g.paymentIntents.create({ amount: 1234, currency: 'eur', allowed_payment_method_types: ['card'] }, { idempotencyKey: k });
    expect((await g.paymentIntents.list({ limit: 100 })).data.filter((x) => x.amount === 1234)).toHaveLength(1);
    expect(pi.amount).toBe(1234);

    emulator.setFaults({ kind: 'rateLimit', shouldRetry: true, pathPrefix: '/v1/payment_intents', count: 2 });
    await expect(g.paymentIntents.retrieve(pi.id)).resolves.toMatchObject({ id: pi.id });
    emulator.setFaults({ kind: 'rateLimit', pathPrefix: '/v1/payment_intents', count: 1 });
    const e = await g.paymentIntents.retrieve(pi.id).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PosError);
    expect((e as PosError).code).toBe('rate_limited');
    emulator.clearFaults();
  });

  it('gives up after its bounded retries with the clerk’s sentence', async () => {
    emulator.setFaults({ kind: 'networkDown' });
    const e = await g.events.list({ limit: 1 }).catch((x: unknown) => x);
    emulator.clearFaults();
    expect(e).toBeInstanceOf(PosError);
    expect((e as PosError).message).toMatch(/cannot reach Stripe/);
  });

  it('reads Stripe-Should-Retry before the status', () => {
    expect(shouldRetry({ statusCode: 429, headers: { 'stripe-should-retry': 'false' } })).toBe(false);
    expect(shouldRetry({ statusCode: 400, headers: { 'stripe-should-retry': 'true' } })).toBe(true);
    expect(shouldRetry({ statusCode: 429, headers: {} })).toBe(true);
    expect(shouldRetry({ statusCode: 402, headers: {} })).toBe(false);
    expect(shouldRetry({ type: 'StripeConnectionError' })).toBe(true);
  });
});
