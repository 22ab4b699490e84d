import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator/server';
import type { Emulator } from '../../../emulator/server';
import { localRefunded, openRefundRig, stripeRefunds } from '../../testing/refundTestKit';
import type { RefundRig } from '../../testing/refundTestKit';

let emu: Emulator;
let rig: RefundRig;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});
beforeEach(async (ctx) => {
  rig = await openRefundRig({ emu });
  ctx.onTestFinished(() => rig.close());
});

const create = (paymentId: string, amount: number, more: Record<string, unknown> = {}) => ({ paymentId, amount, reasonCode: 'customer_request' as const, ...more });

describe('refunds at the counter', () => {
  it('refunds part, then the rest, never above what was paid, and Stripe agrees', async () => {
    const { paymentId, pi } = await rig.paidCard(10_000);
    await rig.ok('refunds.setPolicy', { pinAbove: 100_000, twoManagersAbove: 200_000, perStaffPerHour: 0, tillDailyCap: 0, shopDailyCap: 0 }, rig.manager);
    const first = await rig.ok('refunds.create', create(paymentId, 3_000));
    expect(first.status).toBe('queued');
    const tooMuch = await rig.fail('refunds.create', create(paymentId, 7_001));
    expect(tooMuch.message).toMatch(/Only €70\.00 can still be refunded/);
    await rig.ok('refunds.create', create(paymentId, 7_000, { reasonCode: 'other', reasonText: 'Car swapped' }));
    const none = await rig.fail('refunds.create', create(paymentId, 1));
    expect(none.message).toMatch(/Nothing is left to refund/);
    expect(await rig.b.refunds.outbox.drained(10_000)).toBe(true);
    const list = await rig.ok('refunds.list', { filter: 'all' });
    expect(list.refunds.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    expect(list.refunds[0]?.reason).toBe('Car swapped');
    expect((await stripeRefunds(rig.stripe, pi.id)).total).toBe(10_000);
    expect(localRefunded(rig.b, paymentId)).toBe(10_000);
  });

  it('asks for a reason sentence with "other", and refuses a clerk cancelling', async () => {
    const { paymentId, pi } = await rig.paidCard(5_000);
    const noText = await rig.fail('refunds.create', create(paymentId, 100, { reasonCode: 'other' }));
    expect(noText.fields?.reasonText).toMatch(/why/);
    await rig.stop();
    const r = await rig.ok('refunds.create', create(paymentId, 100));
    const denied = await rig.fail('refunds.cancel', { refundId: r.id }, rig.clerk);
    expect(denied.code).toBe('forbidden');
    const canceled = await rig.ok('refunds.cancel', { refundId: r.id }, rig.manager);
    expect(canceled.status).toBe('canceled');
    await rig.start();
    expect(await rig.b.refunds.outbox.drained(5_000)).toBe(true);
    expect((await stripeRefunds(rig.stripe, pi.id)).total).toBe(0);
    expect((await rig.fail('refunds.cancel', { refundId: r.id }, rig.manager)).message).toMatch(/Only a refund still waiting/);
  });

  it('needs a manager PIN above the first amount and two different managers above the second; the clerk stays signed in', async () => {
    const { paymentId } = await rig.paidCard(90_000);
    await rig.ok('refunds.setPolicy', { pinAbove: 5_000, twoManagersAbove: 50_000, perStaffPerHour: 0, tillDailyCap: 0, shopDailyCap: 0 }, rig.manager);
    const need = await rig.fail('refunds.create', create(paymentId, 6_000));
    expect(need.fields?.approvals).toMatch(/manager’s PIN/);
    const mgr = rig.manager.staffId!;
    const clerkId = rig.clerk.staffId!;
    const wrong = await rig.fail('refunds.create', create(paymentId, 6_000, { approvals: [{ staffId: mgr, pin: '9999' }] }));
    expect(wrong.message).toMatch(/Wrong PIN/);
    const byClerk = await rig.fail('refunds.create', create(paymentId, 6_000, { approvals: [{ staffId: clerkId, pin: rig.pins[clerkId]! }] }));
    expect(byClerk.message).toMatch(/not a manager/);
    const one = await rig.ok('refunds.create', create(paymentId, 6_000, { approvals: [{ staffId: mgr, pin: rig.pins[mgr]! }] }));
    expect(one.approvedBy).toEqual(['Demo manager']);
    expect(rig.b.session.current().role).not.toBe('clerk'); // session untouched by the approval (demo opens as manager)
    const sameTwice = await rig.fail('refunds.create', create(paymentId, 60_000, { approvals: [{ staffId: mgr, pin: '1234' }, { staffId: mgr, pin: '1234' }] }));
    expect(sameTwice.message).toMatch(/same manager/);
    const onlyOne = await rig.fail('refunds.create', create(paymentId, 60_000, { approvals: [{ staffId: mgr, pin: '1234' }] }));
    expect(onlyOne.message).toMatch(/two different managers/);
    const m2 = rig.manager2.staffId!;
    const two = await rig.ok('refunds.create', create(paymentId, 60_000, { approvals: [{ staffId: mgr, pin: '1234' }, { staffId: m2, pin: rig.pins[m2]! }] }));
    expect(two.approvedBy).toHaveLength(2);
  });

  it('a wrong approval PIN counts towards the lockout: five wrong PINs lock the manager, even the right PIN is then refused', async () => {
    const { paymentId } = await rig.paidCard(90_000);
    const mgr = rig.manager.staffId!;
    const wrongs = await Promise.all(Array.from({ length: 8 }, () => rig.b.call(rig.clerk, 'refunds.create', create(paymentId, 6_000, { approvals: [{ staffId: mgr, pin: '9999' }] }))));
    expect(wrongs.every((r) => !r.ok)).toBe(true);
    const locked = await rig.fail('refunds.create', create(paymentId, 6_000, { approvals: [{ staffId: mgr, pin: '1234' }] }));
    expect(locked.message).toMatch(/locked/);
  });

  it('holds the per-staff hourly limit under 300 concurrent calls; a manager overrides with a reason, audited', async () => {
    const { paymentId } = await rig.paidCard(100_000);
    await rig.stop();
    await rig.ok('refunds.setPolicy', { pinAbove: 100_000, twoManagersAbove: 0, perStaffPerHour: 7, tillDailyCap: 0, shopDailyCap: 0 }, rig.manager);
    const results = await Promise.all(Array.from({ length: 300 }, () => rig.b.call(rig.clerk, 'refunds.create', create(paymentId, 10))));
    expect(results.filter((r) => r.ok)).toHaveLength(7);
    const refused = results.find((r) => !r.ok);
    expect(refused && !refused.ok && refused.error.message).toMatch(/7 refunds in the last hour/);
    const noReason = await rig.fail('refunds.create', create(paymentId, 10, { approvals: [{ staffId: rig.manager.staffId!, pin: '1234' }] }));
    expect(noReason.fields?.overrideReason).toBeDefined();
    const over = await rig.ok('refunds.create', create(paymentId, 10, { approvals: [{ staffId: rig.manager.staffId!, pin: '1234' }], overrideReason: 'Coach party returned early' }));
    expect(over.overrideReason).toBe('Coach party returned early');
    const audit = rig.b.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'refund.limit_override' AND entity_id = ?").pluck().get(over.id);
    expect(audit).toBe(1);
  });

  it('holds the refundable balance and the daily till cap under 300 concurrent calls', async () => {
    const { paymentId } = await rig.paidCard(5_000);
    const other = await rig.paidCard(50_000);
    await rig.stop();
    await rig.ok('refunds.setPolicy', { pinAbove: 100_000, twoManagersAbove: 0, perStaffPerHour: 0, tillDailyCap: 8_000, shopDailyCap: 0 }, rig.manager);
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => rig.b.call(rig.clerk, 'refunds.create', create(i % 2 ? paymentId : other.paymentId, 100))));
    const okOn = (pid: string) => results.filter((r, i) => r.ok && (i % 2 ? paymentId : other.paymentId) === pid).length;
    expect(okOn(paymentId)).toBeLessThanOrEqual(50);
    expect((okOn(paymentId) + okOn(other.paymentId)) * 100).toBe(8_000);
    const sum = rig.b.db.prepare("SELECT sum(amount) FROM refunds WHERE status = 'queued'").pluck().get();
    expect(sum).toBe(8_000);
  });

  it('refuses to refund an uncaptured deposit hold: it is a release', async () => {
    const pi = await rig.stripe.paymentIntents.create({ amount: 30_000, currency: 'eur', payment_method: 'pm_card_visa', confirm: true, capture_method: 'manual' });
    const { paymentId } = await rig.paidCard(30_000, { pi, kind: 'deposit_hold', status: 'authorized' });
    const e = await rig.fail('refunds.create', create(paymentId, 1_000));
    expect(e.message).toMatch(/released, not refunded/);
  });

  it('counts what was released from a captured hold: only the captured part can go back', async () => {
    const pi = await rig.stripe.paymentIntents.create({ amount: 30_000, currency: 'eur', payment_method: 'pm_card_visa', confirm: true, capture_method: 'manual' });
    const captured = await rig.stripe.paymentIntents.capture(pi.id, { amount_to_capture: 12_000 });
    const { paymentId } = await rig.paidCard(30_000, { pi: captured, kind: 'deposit_hold' });
    const e = await rig.fail('refunds.create', create(paymentId, 12_001));
    expect(e.message).toMatch(/Only €120\.00/);
    await rig.ok('refunds.create', create(paymentId, 12_000), rig.manager);
    expect(await rig.b.refunds.outbox.drained(10_000)).toBe(true);
    expect((await stripeRefunds(rig.stripe, pi.id)).total).toBe(12_000);
    expect(localRefunded(rig.b, paymentId)).toBe(12_000);
  });

  it('refunds cash out of the open shift’s drawer, never more than the drawer holds, and refuses without a shift', async () => {
    const { paymentId } = rig.paidCash(8_000);
    expect((await rig.fail('refunds.create', create(paymentId, 1_000), rig.manager)).message).toMatch(/No shift is open/);
    const shift = rig.openShift(2_000);
    expect((await rig.fail('refunds.create', create(paymentId, 2_001), rig.manager)).message).toMatch(/not enough cash in the drawer/);
    const r = await rig.ok('refunds.create', create(paymentId, 1_500), rig.manager);
    expect([r.method, r.status]).toEqual(['cash', 'succeeded']);
    const moved = rig.b.db.prepare('SELECT kind, amount, refund_id FROM cash_movements WHERE shift_id = ?').all(shift);
    expect(moved).toEqual([{ kind: 'refund', amount: -1_500, refund_id: r.id }]);
    expect(rig.b.refunds.outbox.summary().waiting).toBe(0);
  });

  it('Stripe’s event for our own refund, arriving before the worker recorded the answer, is matched by our id: no copy, no second send', async () => {
    const { paymentId, pi } = await rig.paidCard(10_000);
    await rig.stop();
    const r = await rig.ok('refunds.create', create(paymentId, 2_000), rig.manager);
    // The send reached Stripe but its answer was lost; Stripe's event comes first.
    const atStripe = await rig.stripe.refunds.create({ payment_intent: pi.id, amount: 2_000, metadata: { refund_id: r.id } });
    expect(rig.b.refunds.applyStripeRefund(atStripe as unknown as Record<string, unknown>, 'relay')).toBe(r.id);
    await rig.start();
    expect(await rig.b.refunds.outbox.drained(5_000)).toBe(true);
    const all = await rig.ok('refunds.list', { filter: 'all' });
    expect(all.refunds.map((x) => [x.id, x.status, x.stripeRefundId])).toEqual([[r.id, 'succeeded', atStripe.id]]);
    expect((await stripeRefunds(rig.stripe, pi.id)).byOurId.get(r.id)).toBe(1);
  });
});
