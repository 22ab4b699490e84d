import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Stripe from 'stripe';
import { afterAll, describe, expect, it } from 'vitest';
import { startHarness } from './testHarness';

const dir = mkdtempSync(join(tmpdir(), 'keydesk-emulator-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('file-backed state', () => {
  it('survives a restart: objects, links between them, clock offset, events, idempotency keys and hold deadlines', async () => {
    const statePath = join(dir, 'state.json');
    const first = await startHarness({ statePath });
    let piId: string;
    let heldId: string;
    let refundId: string;
    let eventCount: number;
    try {
      const pi = await first.stripe.paymentIntents.create(
        { amount: 5000, currency: 'usd', allowed_payment_method_types: ['card'], payment_method: 'pm_card_visa', confirm: true },
        { idempotencyKey: 'persist-1' },
      );
      piId = pi.id;
      refundId = (await first.stripe.refunds.create({ payment_intent: pi.id, amount: 1000 })).id;
      heldId = (await first.stripe.paymentIntents.create({ amount: 3000, currency: 'usd', allowed_payment_method_types: ['card_present'], capture_method: 'manual', payment_method: 'pm_card_visa', confirm: true })).id;
      first.emulator.advanceClock(3600);
      eventCount = (await first.stripe.events.list({ limit: 100 })).data.length;
    } finally {
      await first.close();
    }

    const second = await startHarness({ statePath });
    try {
      const { stripe, emulator } = second;
      const pi = await stripe.paymentIntents.retrieve(piId, { expand: ['latest_charge'] });
      expect(pi.status).toBe('succeeded');
      const replay = await stripe.paymentIntents.create(
        { amount: 5000, currency: 'usd', allowed_payment_method_types: ['card'], payment_method: 'pm_card_visa', confirm: true },
        { idempotencyKey: 'persist-1' },
      );
      expect(replay.id).toBe(piId);
      expect((await stripe.events.list({ limit: 100 })).data).toHaveLength(eventCount);
      expect(emulator.now() - Math.floor(Date.now() / 1000)).toBeGreaterThanOrEqual(3599);
      await stripe.refunds.update(refundId, { metadata: { after: 'restart' } });
      const charge = await stripe.charges.retrieve((pi.latest_charge as Stripe.Charge).id);
      expect(charge.refunds?.data[0]?.metadata).toEqual({ after: 'restart' });
      emulator.advanceClock(2 * 24 * 3600);
      expect((await stripe.paymentIntents.retrieve(heldId)).status).toBe('canceled');
    } finally {
      await second.close();
    }
  });
});
