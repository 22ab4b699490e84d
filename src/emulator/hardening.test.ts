import { request } from 'node:http';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from './server';
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

type Raw = { status: number; body: string; headers: Record<string, string | string[] | undefined> };

/** A request with headers a browser page (or a rebinding attacker) would send; fetch cannot set Host. */
function raw(method: string, path: string, headers: Record<string, string>, body = ''): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: h.emulator.port, method, path, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function client(key: string): Stripe {
  return new Stripe(key, { ...h.emulator.stripeOptions, maxNetworkRetries: 0, telemetry: false });
}

describe('API keys: only the keys this emulator issued (issue #14)', () => {
  it('refuses another sk_test_ key with Stripe\'s 401 and masked key', async () => {
    const key = fakeStripeKey('sk_test', '51NotIssuedByThisEmulatorabcd');
    const err = await stripeError(client(key).customers.list());
    expect([err.type, err.rawType, err.statusCode]).toEqual(['StripeAuthenticationError', 'invalid_request_error', 401]);
    expect(err.message).toBe(`Invalid API Key provided: sk_test_${'*'.repeat(key.length - 'sk_test_'.length - 4)}abcd`);
  });

  it('refuses a live key likewise', async () => {
    const err = await stripeError(client(fakeStripeKey('sk_live', '51Habcdefghijklmnop1234')).paymentIntents.list());
    expect([err.type, err.statusCode]).toEqual(['StripeAuthenticationError', 401]);
    expect(err.message).toMatch(/^Invalid API Key provided: sk_live_\*+1234$/);
  });

  it('accepts its secret key and its restricted key; keys are random per emulator', async () => {
    expect(h.emulator.apiKey).toMatch(/^sk_test_\w{32}$/);
    expect(h.emulator.restrictedKey).toMatch(/^rk_test_\w{32}$/);
    expect((await client(h.emulator.restrictedKey).customers.list()).object).toBe('list');
    const other = await startEmulator();
    try {
      expect(other.apiKey).not.toBe(h.emulator.apiKey);
      const err = await stripeError(new Stripe(h.emulator.apiKey, { ...other.stripeOptions, maxNetworkRetries: 0 }).customers.list());
      expect(err.statusCode).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('accepts extra test keys named at start, and refuses a live key there', async () => {
    const other = await startEmulator({ apiKeys: ['sk_test_office_setup_check'] });
    try {
      const c = new Stripe('sk_test_office_setup_check', { ...other.stripeOptions, maxNetworkRetries: 0 });
      expect((await c.customers.list()).object).toBe('list');
    } finally {
      await other.close();
    }
    await expect(startEmulator({ apiKeys: ['sk_live_x'] })).rejects.toThrow(/test-mode keys/);
  });
});

describe('Host and Origin (issue #10 item 7: DNS rebinding and cross-site requests)', () => {
  const own = (): string => `127.0.0.1:${h.emulator.port}`;

  it('a foreign Host cannot read the webhook secret; loopback names can', async () => {
    h.emulator.addWebhookEndpoint('http://127.0.0.1:9/hook');
    const evil = await raw('GET', '/_emulator/webhook_endpoints', { Host: 'evil.example' });
    expect(evil.status).toBe(403);
    expect(evil.body).not.toContain('whsec_');
    const rebound = await raw('GET', '/_emulator/webhook_endpoints', { Host: `evil.example:${h.emulator.port}` });
    expect(rebound.status).toBe(403);
    for (const host of [own(), `localhost:${h.emulator.port}`, `[::1]:${h.emulator.port}`]) {
      const ok = await raw('GET', '/_emulator/webhook_endpoints', { Host: host });
      expect([host, ok.status]).toEqual([host, 200]);
      expect(ok.body).toContain('whsec_');
    }
  });

  it('a foreign Host is refused on the Stripe API and the Terminal SDK too, even with the right key', async () => {
    const res = await raw('GET', '/v1/customers', { Host: 'evil.example', Authorization: `Bearer ${h.emulator.apiKey}` });
    expect(res.status).toBe(403);
    expect((await raw('GET', '/terminal-js/v1', { Host: 'evil.example' })).status).toBe(403);
    const script = await raw('GET', '/terminal-js/v1', { Host: own(), Origin: 'http://127.0.0.1:1' });
    expect([script.status, script.headers['access-control-allow-origin']]).toEqual([200, '*']);
  });

  it('a cross-site text/plain POST to /_emulator/faults is not obeyed', async () => {
    const res = await raw('POST', '/_emulator/faults', { Host: own(), Origin: 'http://evil.example', 'Content-Type': 'text/plain' }, JSON.stringify({ kind: 'networkDown' }));
    expect(res.status).toBe(403);
    expect((await stripe.customers.list()).object).toBe('list');
    const faults = await raw('GET', '/_emulator/faults', { Host: own() });
    expect(JSON.parse(faults.body)).toEqual({ faults: [] });
  });

  it('a same-origin text/plain POST to an admin route is refused too (admin takes JSON only)', async () => {
    const res = await raw('POST', '/_emulator/faults', { Host: own(), 'Content-Type': 'text/plain' }, JSON.stringify({ kind: 'networkDown' }));
    expect(res.status).toBe(415);
    expect((await stripe.customers.list()).object).toBe('list');
  });

  it('Sec-Fetch-Site: cross-site is refused on admin and API routes; the own origin is served', async () => {
    expect((await raw('GET', '/_emulator/state', { Host: own(), 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    const same = await raw('POST', '/_emulator/faults', { Host: own(), Origin: `http://${own()}`, 'Content-Type': 'application/json' }, JSON.stringify({ kind: 'error500', count: 1 }));
    expect(same.status).toBe(200);
  });
});

describe('Stripe fidelity (issue #10 item 13)', () => {
  it('a body over 1 MiB gets a 413 invalid_request_error, not a connection reset', async () => {
    const err = await stripeError(stripe.customers.create({ description: 'x'.repeat(1024 * 1024 + 10) }));
    // stripe-node files any status but 400/404 under StripeAPIError; Stripe's body says invalid_request_error.
    expect([err.rawType, err.statusCode]).toEqual(['invalid_request_error', 413]);
    expect(err.message).toMatch(/too large/);
    expect((await stripe.customers.list()).data).toHaveLength(0);
  });

  it('currency=xxx is refused as Stripe does (invalid_request_error, param currency)', async () => {
    const err = await stripeError(stripe.paymentIntents.create({ amount: 1000, currency: 'xxx', allowed_payment_method_types: ['card'] }));
    expect([err.type, err.rawType, err.param, err.statusCode]).toEqual(['StripeInvalidRequestError', 'invalid_request_error', 'currency', 400]);
    expect(err.message).toMatch(/^Invalid currency: xxx\. Stripe currently supports these currencies: usd, /);
    expect((await stripe.paymentIntents.create({ amount: 1000, currency: 'EUR', allowed_payment_method_types: ['card'] })).currency).toBe('eur');
  });

  it('a nested unknown parameter is refused with its full name; nothing is created or changed', async () => {
    const err = await stripeError(
      stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        allowed_payment_method_types: ['card'],
        payment_method_options: { card: { bogus: 'x' } as never },
      }),
    );
    expect([err.rawType, err.code, err.param, err.message]).toEqual([
      'invalid_request_error',
      'parameter_unknown',
      'payment_method_options[card][bogus]',
      'Received unknown parameter: payment_method_options[card][bogus]',
    ]);
    expect((await stripe.paymentIntents.list()).data).toHaveLength(0);
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', allowed_payment_method_types: ['card'], metadata: { a: '1' } });
    const upd = await stripeError(stripe.paymentIntents.update(pi.id, { metadata: { a: '2' }, payment_method_options: { bogus: { x: '1' } } as never }));
    expect(upd.message).toBe('Received unknown parameter: payment_method_options[bogus]');
    expect((await stripe.paymentIntents.retrieve(pi.id)).metadata).toEqual({ a: '1' });
    const known = await stripe.paymentIntents.update(pi.id, { payment_method_options: { card: { request_three_d_secure: 'any' } } });
    expect(known.payment_method_options?.card?.request_three_d_secure).toBe('any');
  });
});
