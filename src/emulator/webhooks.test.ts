import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, stripeError, type EmulatorHarness } from './testHarness';

type Received = { body: string; signature: string };

/** A webhook receiver that answers `failFirst` requests with 500, then 200. */
async function receiver(failFirst = 0): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  let failures = failFirst;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString('utf8'), signature: String(req.headers['stripe-signature']) });
      if (failures > 0) {
        failures--;
        res.writeHead(500).end();
      } else res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    close: () => new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
  };
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let h: EmulatorHarness;
let stripe: Stripe;
const receivers: { close(): Promise<void> }[] = [];
beforeAll(async () => {
  h = await startHarness({ webhookRetryDelaysMs: [20, 40] });
  stripe = h.stripe;
});
afterAll(() => h.close());
beforeEach(() => h.emulator.reset());
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

describe('events', () => {
  it('every event has api_version, livemode false, request id and idempotency key, and can be retrieved', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', allowed_payment_method_types: ['card'] }, { idempotencyKey: 'make-pi-1' });
    const [event] = (await stripe.events.list({ limit: 1 })).data;
    expect(event).toMatchObject({ type: 'payment_intent.created', livemode: false, pending_webhooks: 0, api_version: Stripe.API_VERSION });
    expect(event?.request).toEqual({ id: pi.lastResponse.requestId, idempotency_key: 'make-pi-1' });
    expect((event?.data.object as Stripe.PaymentIntent).id).toBe(pi.id);
    expect((await stripe.events.retrieve(event?.id as string)).id).toBe(event?.id);
    const missing = await stripeError(stripe.events.retrieve('evt_nope'));
    expect([missing.code, missing.statusCode]).toEqual(['resource_missing', 404]);
  });

  it('data.object is a snapshot; customer.updated carries previous_attributes', async () => {
    const c = await stripe.customers.create({ name: 'Old', metadata: { tier: 'gold' } });
    await stripe.customers.update(c.id, { name: 'New', metadata: { tier: '' } });
    await stripe.customers.del(c.id);
    const events = (await stripe.events.list({ type: 'customer.*' })).data;
    expect(events.map((e) => e.type)).toEqual(['customer.deleted', 'customer.updated', 'customer.created']);
    expect((events[2]?.data.object as Stripe.Customer).name).toBe('Old');
    expect(events[1]?.data.previous_attributes).toEqual({ name: 'Old', metadata: { tier: 'gold' } });
  });

  it('filters by type, types[], created, and pages newest first', async () => {
    for (let i = 0; i < 3; i++) await stripe.customers.create({ name: `c${i}` });
    h.emulator.advanceClock(3600);
    const cut = h.emulator.now();
    await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', allowed_payment_method_types: ['card'], payment_method: 'pm_card_visa', confirm: true });
    expect((await stripe.events.list({ types: ['charge.succeeded', 'customer.created'] })).data.map((e) => e.type)).toEqual([
      'charge.succeeded',
      'customer.created',
      'customer.created',
      'customer.created',
    ]);
    expect((await stripe.events.list({ created: { gte: cut } })).data.map((e) => e.type)).toEqual(['payment_intent.succeeded', 'charge.succeeded', 'payment_intent.created']);
    const first = await stripe.events.list({ limit: 4 });
    const second = await stripe.events.list({ limit: 4, starting_after: first.data[3]?.id });
    expect(first.has_more).toBe(true);
    expect(second.data.map((e) => e.type)).toEqual(['customer.created', 'customer.created']);
    expect(second.has_more).toBe(false);
  });
});

describe('webhook delivery', () => {
  it('delivers signed events that stripe.webhooks.constructEvent accepts (endpoint made through the API)', async () => {
    const r = await receiver();
    receivers.push(r);
    const endpoint = await stripe.webhookEndpoints.create({ url: r.url, enabled_events: ['payment_intent.succeeded', 'charge.succeeded'] });
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect((await stripe.webhookEndpoints.retrieve(endpoint.id)).secret).toBeUndefined();
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', allowed_payment_method_types: ['card'], payment_method: 'pm_card_visa', confirm: true });
    await until(() => r.received.length === 2, 'two deliveries');
    const events = r.received.map((d) => stripe.webhooks.constructEvent(d.body, d.signature, endpoint.secret as string));
    expect(events.map((e) => e.type).sort()).toEqual(['charge.succeeded', 'payment_intent.succeeded']);
    expect(events.find((e) => e.type === 'payment_intent.succeeded')?.data.object).toMatchObject({ id: pi.id, status: 'succeeded' });
    expect(() => stripe.webhooks.constructEvent(r.received[0]?.body as string, r.received[0]?.signature as string, 'whsec_wrong')).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    await until(async () => (await stripe.events.list({ delivery_success: false })).data.length === 0, 'all delivered');
    expect((await stripe.events.list({ delivery_success: true })).data.map((e) => e.type)).toContain('payment_intent.succeeded');
  });

  it('retries a failing endpoint on the configured schedule until it succeeds', async () => {
    const r = await receiver(2);
    receivers.push(r);
    const { secret } = h.emulator.addWebhookEndpoint(r.url, ['customer.created']);
    const c = await stripe.customers.create({ name: 'Retry' });
    await until(() => r.received.length === 3 && h.emulator.webhookAttempts().length === 3, 'three attempts');
    expect(new Set(r.received.map((d) => stripe.webhooks.constructEvent(d.body, d.signature, secret).id)).size).toBe(1);
    const attempts = h.emulator.webhookAttempts();
    expect(attempts.map((a) => [a.attempt, a.ok, a.status])).toEqual([
      [1, false, 500],
      [2, false, 500],
      [3, true, 200],
    ]);
    await until(async () => (await stripe.events.list({ type: 'customer.created' })).data[0]?.pending_webhooks === 0, 'pending_webhooks 0');
    expect(((await stripe.events.list({ type: 'customer.created' })).data[0]?.data.object as Stripe.Customer).id).toBe(c.id);
  });

  it('gives up after the last retry; the event stays undelivered (delivery_success=false)', async () => {
    const r = await receiver(10);
    receivers.push(r);
    h.emulator.addWebhookEndpoint(r.url);
    const c = await stripe.customers.create({});
    await until(() => h.emulator.webhookAttempts().length === 3, 'three attempts');
    // The third attempt scheduled nothing after it, so no fourth can come (no waiting for silence).
    expect(h.emulator.webhookAttempts().map((a) => a.nextRetryMs)).toEqual([20, 40, null]);
    expect(r.received).toHaveLength(3);
    const failed = (await stripe.events.list({ delivery_success: false })).data;
    expect(failed.map((e) => [(e.data.object as Stripe.Customer).id, e.pending_webhooks])).toEqual([[c.id, 1]]);
  });

  it('an unreachable endpoint counts as a failed attempt; disabled endpoints and other types get nothing', async () => {
    const r = await receiver();
    receivers.push(r);
    const off = await stripe.webhookEndpoints.create({ url: r.url, enabled_events: ['*'] });
    await stripe.webhookEndpoints.update(off.id, { disabled: true });
    await stripe.webhookEndpoints.create({ url: r.url, enabled_events: ['refund.created'] });
    h.emulator.addWebhookEndpoint('http://127.0.0.1:9/nothing-listens', ['customer.created']);
    await stripe.customers.create({});
    // Targets are chosen when the event is recorded: pending_webhooks counts only the unreachable one.
    expect((await stripe.events.list({ type: 'customer.created' })).data[0]?.pending_webhooks).toBe(1);
    await until(() => h.emulator.webhookAttempts().length === 3, 'unreachable attempts');
    expect(h.emulator.webhookAttempts().every((a) => !a.ok && a.status === null)).toBe(true);
    expect(h.emulator.webhookAttempts().at(-1)?.nextRetryMs).toBeNull();
    expect(new Set(h.emulator.webhookAttempts().map((a) => a.endpoint)).size).toBe(1);
    expect(r.received).toHaveLength(0);
    expect((await stripe.webhookEndpoints.list()).data).toHaveLength(3);
  });
});
