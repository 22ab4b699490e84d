import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type EmulatorHarness } from './testHarness';

/**
 * Every key in Stripe's example object (fixtures3.json) must be in ours, recursively wherever both
 * sides hold an object. A null on our side ends the comparison there (Stripe's examples fill in
 * optional sub-objects that are null for card payments). Not compared, because they are polymorphic:
 * - event.data: depends on the event type; each data.object is compared with its own type instead;
 * - a card_present charge's payment_method_details (Stripe's example is an online card charge,
 *   compared on an online charge below);
 * - the contents of `metadata` (the example's keys are sample data, not schema).
 */
const here = dirname(fileURLToPath(import.meta.url));
const fixtures = (JSON.parse(readFileSync(resolve(here, '../../test/fixtures/stripe/fixtures3.json'), 'utf8')) as { resources: Record<string, unknown> }).resources;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function missingKeys(expected: unknown, actual: unknown, path: string, skip: ReadonlySet<string>, out: string[] = []): string[] {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length > 0 && actual.length > 0) missingKeys(expected[0], actual[0], `${path}[0]`, skip, out);
    return out;
  }
  if (!isObject(expected) || !isObject(actual)) return out;
  for (const key of Object.keys(expected)) {
    const p = path ? `${path}.${key}` : key;
    if (!(key in actual)) out.push(p);
    // metadata holds the caller's keys, not Stripe's schema.
    else if (!skip.has(p) && key !== 'metadata') missingKeys(expected[key], actual[key], p, skip, out);
  }
  return out;
}

function expectShape(type: string, actual: unknown, skip: string[] = []): void {
  const fixture = fixtures[type];
  expect(fixture, `fixture ${type}`).toBeDefined();
  expect(missingKeys(fixture, actual, '', new Set(skip)), `keys of ${type} missing from ours`).toEqual([]);
  if (isObject(actual) && isObject(fixture) && 'object' in fixture && !type.startsWith('deleted_')) expect(actual.object).toBe(fixture.object);
}

describe('objects have every key of the same type in fixtures3.json', () => {
  let h: EmulatorHarness;
  let stripe: Stripe;
  beforeAll(async () => {
    h = await startHarness();
    stripe = h.stripe;
  });
  afterAll(() => h.close());

  it('sanity: the comparison notices a missing key, including a nested one', () => {
    expect(missingKeys({ a: 1, b: { c: 1 } }, { a: 1, b: {} }, '', new Set())).toEqual(['b.c']);
    expect(missingKeys({ a: 1 }, {}, '', new Set())).toEqual(['a']);
  });

  it('payment_intent, charge (online card), balance_transaction, payment_method, refund', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1500, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, allowed_payment_method_types: ['card'] });
    expectShape('payment_intent', pi);
    const charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expectShape('charge', charge);
    expectShape('balance_transaction', await stripe.balanceTransactions.retrieve(charge.balance_transaction as string));
    expectShape('payment_method', await stripe.paymentMethods.retrieve(charge.payment_method as string));
    expectShape('refund', await stripe.refunds.create({ payment_intent: pi.id, amount: 500 }));
  });

  it('payment_intent after a decline (last_payment_error) and a failed charge', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1500, currency: 'usd', allowed_payment_method_types: ['card'] });
    await expect(stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_chargeDeclined' })).rejects.toThrow();
    const after = await stripe.paymentIntents.retrieve(pi.id);
    expectShape('payment_intent', after);
    expectShape('charge', await stripe.charges.retrieve(after.latest_charge as string));
  });

  it('customer, deleted customer, webhook_endpoint', async () => {
    const customer = await stripe.customers.create({ email: 'a@example.com', name: 'Ann' });
    expectShape('customer', customer);
    expectShape('deleted_customer', await stripe.customers.del(customer.id));
    const endpoint = await stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:9/hook', enabled_events: ['*'] });
    expectShape('webhook_endpoint', endpoint);
    expectShape('deleted_webhook_endpoint', await stripe.webhookEndpoints.del(endpoint.id));
  });

  it('terminal location, connection_token, reader (with a failed action), card_present charge, deleted reader', async () => {
    const location = await stripe.terminal.locations.create({
      display_name: 'Airport desk',
      address: { line1: '1 Runway Rd', city: 'Leeds', postal_code: 'LS1 1AA', country: 'GB' },
    });
    expectShape('terminal.location', location);
    expectShape('terminal.connection_token', await stripe.terminal.connectionTokens.create({ location: location.id }));
    const reader = await stripe.terminal.readers.create({ registration_code: 'simulated-wpe', location: location.id });
    expectShape('terminal.reader', reader);
    const pi = await stripe.paymentIntents.create({ amount: 5000, currency: 'gbp', allowed_payment_method_types: ['card_present'], capture_method: 'manual' });
    await stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: pi.id });
    const failed = await stripe.testHelpers.terminal.readers.presentPaymentMethod(reader.id, { card_present: { number: '4000000000000002' } });
    expect(failed.action?.status).toBe('failed');
    expectShape('terminal.reader', failed);
    await stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: pi.id });
    const ok = await stripe.testHelpers.terminal.readers.presentPaymentMethod(reader.id);
    expectShape('terminal.reader', ok);
    const captured = await stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge'] });
    expectShape('charge', captured.latest_charge, ['payment_method_details']);
    expectShape('deleted_terminal.reader', await stripe.terminal.readers.del(reader.id));
  });

  it('checkout.session (open and completed) and its line items', async () => {
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price_data: { currency: 'eur', unit_amount: 2500, product_data: { name: 'Child seat' } }, quantity: 2 }],
      success_url: 'https://example.com/ok',
    });
    expectShape('checkout.session', session);
    const completed = await stripe.rawRequest('POST', `/v1/test_helpers/checkout/sessions/${session.id}/complete`, { customer_email: 'b@example.com' });
    expectShape('checkout.session', completed);
    const items = await stripe.checkout.sessions.listLineItems(session.id);
    expectShape('item', items.data[0]);
  });

  it('event, and each event data.object against its own type', async () => {
    const events = await stripe.events.list({ limit: 100 });
    expect(events.data.length).toBeGreaterThan(5);
    const typeOf: Record<string, string> = {
      payment_intent: 'payment_intent',
      charge: 'charge',
      refund: 'refund',
      customer: 'customer',
      'checkout.session': 'checkout.session',
      'terminal.reader': 'terminal.reader',
      payment_method: 'payment_method',
    };
    for (const event of events.data) {
      expectShape('event', event, ['data']);
      const object = event.data.object as unknown as { object: string; payment_method_details?: { type: string } };
      const type = typeOf[object.object];
      if (!type) continue;
      const skip = object.payment_method_details?.type === 'card_present' ? ['payment_method_details'] : [];
      expectShape(object.object === 'customer' && event.type === 'customer.deleted' ? 'customer' : type, object, skip);
    }
  });
});
