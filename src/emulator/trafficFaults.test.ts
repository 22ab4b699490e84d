import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from './server';
import type { Emulator } from './server';

let emu: Emulator;
let stripe: Stripe;
beforeAll(async () => {
  emu = await startEmulator();
  stripe = new Stripe(emu.apiKey, { ...emu.stripeOptions, maxNetworkRetries: 0 });
});
afterAll(async () => {
  await emu.close();
});

const status = (p: Promise<unknown>) => p.then(() => 200, (e: { statusCode?: number }) => e.statusCode ?? 0);

describe('traffic faults', () => {
  it('answers 429 beyond the per-second limit, with Stripe-Should-Retry: true', async () => {
    emu.setTraffic({ ratePerSecond: 5 });
    const codes = await Promise.all(Array.from({ length: 20 }, () => status(stripe.customers.list({ limit: 1 }))));
    emu.setTraffic(null);
    expect(codes.filter((c) => c === 200).length).toBeLessThanOrEqual(6);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(14);
  });

  it('fails a share of requests with a transient 500 that takes no effect', async () => {
    emu.setTraffic({ failRate: 1 });
    const before = (await stripe.customers.list({ limit: 100 }).catch(() => null)) ?? null;
    expect(before).toBeNull();
    expect(await status(stripe.customers.create({ name: 'Never made' }))).toBe(500);
    emu.setTraffic(null);
    expect((await stripe.customers.list({ limit: 100 })).data.some((c) => c.name === 'Never made')).toBe(false);
  });

  it('a 500 after the request took effect: the retry with the same key gets the saved answer', async () => {
    emu.setTraffic({ error500After: { pathPrefix: '/v1/customers', method: 'POST', count: 1 } });
    expect(await status(stripe.customers.create({ name: 'Made once' }, { idempotencyKey: 'k-once' }))).toBe(500);
    const again = await stripe.customers.create({ name: 'Made once' }, { idempotencyKey: 'k-once' });
    expect(emu.trafficStats().failedAfter).toBe(1);
    emu.setTraffic(null);
    const made = (await stripe.customers.list({ limit: 100 })).data.filter((c) => c.name === 'Made once');
    expect(made.map((c) => c.id)).toEqual([again.id]);
  });
});
