import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness } from '../../../emulator/testHarness';
import type { EmulatorHarness } from '../../../emulator/testHarness';
import { openTestShop } from '../../testing/testShop';
import { appApplier } from '../../testing/paymentsTestKit';
import { BACKFILL_STREAM, backfillFromStripe, outageWatcher } from './stripeBackfill';
import { fakeStripeKey } from '../../../../test/support/fakeStripeKey';

let h: EmulatorHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

describe('catch-up from Stripe’s events list', () => {
  it('records every event Stripe has since the outage began, once, however often it runs', async () => {
    const shop = await openTestShop();
    const applier = appApplier(shop);
    const since = Math.floor(Date.now() / 1000) - 60;
    for (let i = 0; i < 3; i++) await h.stripe.paymentIntents.create({ amount: 1000 + i, currency: 'eur', capture_method: 'manual' });
    const stripe = { ok: true as const, value: { apiKey: h.emulator.apiKey, ...h.emulator.stripeOptions } };
    const expected = (await h.stripe.events.list({ created: { gte: since }, limit: 100 })).data.map((e) => e.id).sort();
    expect(expected.length).toBeGreaterThanOrEqual(3);

    // Two catch-ups at once (a reconnect storm) and one later: each event recorded exactly once.
    const [a, b] = await Promise.all([backfillFromStripe({ stripe, applier, sinceSec: since }), backfillFromStripe({ stripe, applier, sinceSec: since })]);
    expect(a.fetched).toBe(expected.length);
    expect(a.applied + b.applied).toBe(expected.length);
    const again = await backfillFromStripe({ stripe, applier, sinceSec: since });
    expect(again.applied).toBe(0);
    const rows = shop.b.db.prepare("SELECT id FROM stripe_events WHERE source = 'backfill' ORDER BY id").pluck().all();
    expect(rows).toEqual(expected);
    expect(applier.cursor(BACKFILL_STREAM)).toBeGreaterThanOrEqual(since);
  });

  it('without a Stripe key it does nothing and says so by fetching nothing', async () => {
    const shop = await openTestShop();
    const out = await backfillFromStripe({ stripe: { ok: false, why: 'no key' }, applier: appApplier(shop), sinceSec: 0 });
    expect(out).toEqual({ fetched: 0, applied: 0, bookingIds: [] });
  });

  it('a wrong key fails loudly rather than pretending to have caught up', async () => {
    const shop = await openTestShop();
    await expect(backfillFromStripe({ stripe: { ok: true, value: { apiKey: fakeStripeKey('sk_test', 'neverIssuedByStripe1'), ...h.emulator.stripeOptions } }, applier: appApplier(shop), sinceSec: 0 })).rejects.toThrow();
  });
});

describe('outage watcher', () => {
  it('asks for a catch-up only after a long outage, from when it began', () => {
    let now = 1_000_000;
    const calls: number[] = [];
    const watch = outageWatcher({ now: () => now, longOutageMs: 600_000, onLongOutageOver: (s) => calls.push(s) });
    watch('connecting');
    watch('live');
    watch('offline');
    now += 60_000;
    watch('offline');
    watch('live');
    expect(calls).toEqual([]);
    watch('offline');
    const began = now;
    now += 700_000;
    watch('error');
    watch('connecting');
    watch('live');
    expect(calls).toEqual([began]);
    watch('live');
    expect(calls).toEqual([began]);
  });
});
