import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator/server';
import type { Emulator } from '../../../emulator/server';
import { appApplier } from '../../testing/paymentsTestKit';
import { openRefundRig } from '../../testing/refundTestKit';
import type { RefundRig } from '../../testing/refundTestKit';
import { waitFor } from '../../../../test/support/waitFor';

/**
 * Refunds Stripe answers `pending` while the relay is down: nothing but the `refunds.pending`
 * poll moves them on. The emulator's pendingRefund card settles a refund after a delay, its
 * refund_fail card fails it (pending → failed, expired_or_canceled_card); the emulator's clock
 * decides when, so no test waits for real time to pass.
 */
const HOUR = 3600;
let emu: Emulator;
beforeAll(async () => {
  // A pending refund settles 10 emulator hours after it was made: long enough for the poll's gap to reach its cap.
  emu = await startEmulator({ refundFailureDelaySeconds: 10 * HOUR });
});
afterAll(async () => emu.close());

// The job's own timer is slowed to an hour: the tests drive its pass by hand and see each count.
const rigOpts = () => ({ emu, refundsPending: { tickMs: 3_600_000, backoff: { initialMs: 60_000, maxMs: 3_600_000, factor: 2 } } });

const audits = (rig: RefundRig, refundId: string) =>
  rig.b.db.prepare("SELECT count(*) FROM audit_log WHERE entity_id = ? AND action = 'refund.stripe_update'").pluck().get(refundId) as number;

async function pendingRefundOn(rig: RefundRig, card: 'pm_card_pendingRefund' | 'pm_card_refundFail', amount = 3_000) {
  const paid = await rig.paidCard(10_000, { paymentMethod: card });
  const refund = await rig.ok('refunds.create', { paymentId: paid.paymentId, amount, reasonCode: 'customer_request' }, rig.manager);
  expect(await rig.b.refunds.outbox.drained(10_000)).toBe(true);
  const sent = await rig.ok('refunds.get', { refundId: refund.id });
  expect(sent.status).toBe('pending');
  // The outbox already wrote Stripe's first answer (pending); every later write is counted from here.
  return { ...paid, refundId: refund.id, writes: audits(rig, refund.id) };
}


describe('refunds pending at Stripe, with the relay down', () => {
  it('a pending refund that later succeeds is applied once, by the poll, with a gap that grows but never passes the cap', async (t) => {
    const rig = await openRefundRig(rigOpts());
    t.onTestFinished(() => rig.close());
    const { refundId, writes } = await pendingRefundOn(rig, 'pm_card_pendingRefund');
    // Still pending at Stripe: asked once, then left alone until its gap has passed.
    expect(await rig.b.refunds.pollPending()).toEqual({ checked: 1, settled: 0, failed: 0 });
    expect(await rig.b.refunds.pollPending()).toEqual({ checked: 0, settled: 0, failed: 0 });
    // Bounded: every hour of the shop's clock it is asked at least once (gap capped at 1 h), and right after, not again.
    for (let h = 1; h <= 9; h++) {
      rig.advanceHours(1);
      expect((await rig.b.refunds.pollPending()).checked).toBe(1);
      expect((await rig.b.refunds.pollPending()).checked).toBe(0);
      expect((await rig.ok('refunds.get', { refundId })).status).toBe('pending');
    }
    rig.advanceHours(1.01); // Stripe settles it now
    // The job's tick and a manual check at the same moment: one pass, one look at Stripe, one write.
    const together = await Promise.all([rig.b.refunds.pollPending(), rig.b.refunds.pollPending(true), rig.b.refunds.pollPending()]);
    expect(together).toEqual([1, 2, 3].map(() => ({ checked: 1, settled: 1, failed: 0 })));
    expect((await rig.ok('refunds.get', { refundId })).status).toBe('succeeded');
    expect(audits(rig, refundId)).toBe(writes + 1);
    // Nothing more to poll; the relay's late refund.updated changes nothing (one writer, once).
    rig.advanceHours(2);
    expect(await rig.b.refunds.pollPending(true)).toEqual({ checked: 0, settled: 0, failed: 0 });
    await appApplier(rig).apply('relay', (await rig.stripe.events.list({ limit: 100 })).data.reverse().map((event, i) => ({ seq: i + 1, event })));
    expect(audits(rig, refundId)).toBe(writes + 1);
  });

  it('a pending refund that fails shows on the booking as failed with Stripe’s reason, and the money counts as not given back', async (t) => {
    const rig = await openRefundRig(rigOpts());
    t.onTestFinished(() => rig.close());
    const { refundId, bookingId, paymentId, writes } = await pendingRefundOn(rig, 'pm_card_refundFail', 4_000);
    const refundable = async () => (await rig.ok('refunds.options', { bookingId })).payments.find((p) => p.paymentId === paymentId)?.refundable;
    expect(await refundable()).toBe(6_000);
    rig.advanceHours(10.01);
    expect(await rig.b.refunds.pollPending()).toEqual({ checked: 1, settled: 1, failed: 0 });
    const failed = await rig.ok('refunds.get', { refundId });
    expect(failed.status).toBe('failed');
    expect(failed.attentionReason).toBe('Stripe could not return the money: the card has expired or was cancelled. Refund the customer another way.');
    expect(await refundable()).toBe(10_000);
    const booking = rig.b.db.prepare('SELECT kind, detail FROM booking_flags WHERE booking_id = ? AND resolved_at IS NULL').all(bookingId);
    expect(booking).toEqual([{ kind: 'refund_failed', detail: failed.attentionReason }]);
    // The relay's refund.failed, late, neither writes the refund again nor flags the booking twice.
    await appApplier(rig).apply('relay', (await rig.stripe.events.list({ limit: 100 })).data.reverse().map((event, i) => ({ seq: i + 1, event })));
    expect(audits(rig, refundId)).toBe(writes + 1);
    expect(rig.b.db.prepare('SELECT count(*) FROM booking_flags WHERE booking_id = ?').pluck().get(bookingId)).toBe(1);
  });

  it('Stripe unreachable: the refund stays pending and is asked again after its gap, then settles', async (t) => {
    const rig = await openRefundRig(rigOpts());
    t.onTestFinished(() => rig.close());
    const { refundId } = await pendingRefundOn(rig, 'pm_card_pendingRefund');
    rig.advanceHours(10.01);
    emu.setFaults({ kind: 'networkDown' });
    t.onTestFinished(() => emu.clearFaults());
    expect(await rig.b.refunds.pollPending()).toEqual({ checked: 1, settled: 0, failed: 1 });
    expect((await rig.ok('refunds.get', { refundId })).status).toBe('pending');
    emu.clearFaults();
    expect((await rig.b.refunds.pollPending()).checked).toBe(0); // its gap has not passed
    rig.advanceHours(1);
    expect(await rig.b.refunds.pollPending()).toEqual({ checked: 1, settled: 1, failed: 0 });
    expect((await rig.ok('refunds.get', { refundId })).status).toBe('succeeded');
  });

  it('the refunds.pending job asks at start: a refund settled while the till was off is applied without the relay', async (t) => {
    const rig = await openRefundRig(rigOpts());
    t.onTestFinished(() => rig.close());
    const { refundId, writes } = await pendingRefundOn(rig, 'pm_card_pendingRefund');
    await rig.stop();
    rig.advanceHours(11);
    await rig.start();
    await waitFor(async () => (await rig.ok('refunds.get', { refundId })).status === 'succeeded', 10_000, 'the job to settle the refund');
    expect(audits(rig, refundId)).toBe(writes + 1);
  });
});
