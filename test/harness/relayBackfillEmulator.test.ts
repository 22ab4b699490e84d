import { rmSync } from 'node:fs';
import Stripe from 'stripe';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/server';
import { freePort } from '../../src/relay/testing/tempPostgres';
import { addTestInstall, startTestRelay, type TestRelay } from '../../src/relay/testing/testRelay';
import { waitFor } from '../../src/relay/testing/waitFor';

// A static import: if the emulator cannot be imported, this file FAILS (it used to skip quietly).
const mod = { startEmulator };

describe('with the Stripe emulator: webhooks missed while the relay was down come back through backfill', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('stores each of the payment\'s events once, routed to the till that took it', async () => {
    const emu = await mod.startEmulator({ webhookRetryDelaysMs: [800, 1500] });
    cleanup.push(() => emu.close());
    const port = await freePort();
    const endpoint = emu.addWebhookEndpoint(`http://127.0.0.1:${port}/stripe/webhook`);
    const stripe = new Stripe(emu.apiKey, { ...emu.stripeOptions, maxNetworkRetries: 1 });

    // Set up the till's install first (its id goes into the PaymentIntent's metadata).
    let t: TestRelay | null = await startTestRelay({ webhookSecrets: [endpoint.secret] });
    const till = await addTestInstall(t.store, 'Counter 1');
    const dir = t.dir;
    await t.relay.close(); // the relay is down while the payment happens
    await t.store.close();
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));

    const pi = await stripe.paymentIntents.create({
      amount: 12_300,
      currency: 'eur',
      payment_method: 'pm_card_visa',
      confirm: true,
      metadata: { install_id: till.id, booking_id: 'B-1' },
    });
    await stripe.refunds.create({ payment_intent: pi.id, amount: 2_300 });

    // Back up on the same port and data, with a restricted key for backfill pointed at the emulator.
    const { openSqliteStore } = await import('../../src/relay/store/sqlite');
    const store = openSqliteStore({ path: `${dir}/relay.sqlite` });
    const reader = new Stripe(emu.restrictedKey, { ...emu.stripeOptions, maxNetworkRetries: 1 });
    t = await startTestRelay({ store, port, webhookSecrets: [endpoint.secret], backfill: { stripe: reader, everyMs: 3_600_000 } });
    const relay = t;
    cleanup.push(() => relay.cleanup());

    const listed = await stripe.events.list({ limit: 100 });
    const ids = listed.data.map((e) => e.id);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    const r = await t.relay.backfillNow();
    expect(r?.stored).toBeGreaterThan(0);
    // The emulator's own retries arrive later and are acknowledged as duplicates.
    await waitFor(() => t!.relay.metrics.duplicates > 0, 6000, 'a retried webhook');
    const delivered = (await t.store.readAfter(till.id, 0, 1000)).map((d) => d.eventId);
    expect([...delivered].sort()).toEqual([...ids].sort());
    expect(await t.store.countUnassigned()).toBe(0);
  }, 30_000);
});
