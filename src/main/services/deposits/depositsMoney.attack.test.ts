import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator/server';
import { MONDAY_8AM } from '../../testing/testShop';
import { openDepositShop } from '../../testing/depositsTestKit';
import type { DepositShop } from '../../testing/depositsTestKit';

/** Attacks on deposits and pay links: a refund racing a capture on the same PaymentIntent, a link paid while the app is down, many clerks at once. */
let shop: DepositShop;
afterEach(async () => shop?.shutdown());

const at = (day: number, hh: number) => `2025-06-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:00:00+02:00`;

async function returned(s: DepositShop) {
  const b = await s.rental({ days: 3 });
  await s.payRental(b.id);
  const held = await s.hold(b.id);
  await s.ok('bookings.checkOut', { id: b.id, odometer: 10_000, fuelEighths: 8 });
  s.clock.now = new Date(at(5, 12));
  const back = await s.ok('bookings.checkIn', { id: b.id, odometer: 10_100, fuelEighths: 5, returnedAt: at(5, 9) });
  return { b, holdPaymentId: held.active?.paymentId ?? held.holds[0]!.paymentId, extras: back.total.amount - b.total.amount };
}

async function manualPi(s: DepositShop) {
  return (await s.stripe.paymentIntents.list({ limit: 100 })).data.find((p) => p.capture_method === 'manual')!;
}

describe('a refund sent while the deposit capture is in flight on the same PaymentIntent', () => {
  it('the capture’s answer is lost: the refund is refused until reconcile has recorded the capture, then only the captured part can go back', async () => {
    shop = await openDepositShop();
    const { b, holdPaymentId, extras } = await returned(shop);
    // Stripe captures, the answer never arrives (every retry of the same key loses its answer too).
    shop.emulator.setFaults({ kind: 'drop', after: true, pathPrefix: '/v1/payment_intents', method: 'POST' });
    const settling = shop.b.call(shop.clerk, 'deposits.settle', { bookingId: b.id });
    const refund = shop.b.call(shop.manager, 'refunds.create', { paymentId: holdPaymentId, amount: extras, reasonCode: 'goodwill' });
    const [s1, r1] = await Promise.all([settling, refund]);
    expect(s1.ok).toBe(false);
    expect(r1.ok).toBe(false);
    if (!r1.ok) expect(r1.error.message).toMatch(/\.$/);
    shop.emulator.clearFaults();
    expect((await manualPi(shop)).amount_received).toBe(extras);
    // The only refund object at Stripe is its record of the released remainder (30 000 held, the extras captured); none of ours.
    const atStripe = (await shop.stripe.refunds.list({ limit: 100 })).data;
    expect(atStripe.map((r) => r.amount)).toEqual([30_000 - extras]);
    expect(atStripe.every((r) => !r.metadata?.refund_id)).toBe(true);

    await shop.b.deposits.api.reconcile();
    const v = await shop.ok('deposits.forBooking', { bookingId: b.id });
    expect(v.holds[0]).toMatchObject({ state: 'captured', captured: { amount: extras } });
    // Two managers, 20 refunds of the whole captured part at once: one goes through.
    const many = await Promise.all(Array.from({ length: 20 }, () => shop.b.call(shop.manager, 'refunds.create', { paymentId: holdPaymentId, amount: extras, reasonCode: 'goodwill' })));
    expect(many.filter((m) => m.ok)).toHaveLength(1);
    expect((await shop.fail('refunds.create', { paymentId: holdPaymentId, amount: 1, reasonCode: 'goodwill' }, shop.manager)).message).toMatch(/Nothing is left/);
  });

  it('the capture is slow: a refund sent meanwhile is refused (the hold is not captured yet), the capture goes through once', async () => {
    shop = await openDepositShop();
    const { b, holdPaymentId, extras } = await returned(shop);
    shop.emulator.setFaults({ kind: 'latency', latencyMs: 300, pathPrefix: '/v1/payment_intents', method: 'POST', count: 1 });
    const settling = shop.b.call(shop.clerk, 'deposits.settle', { bookingId: b.id });
    const refunds = await Promise.all(Array.from({ length: 10 }, () => shop.b.call(shop.manager, 'refunds.create', { paymentId: holdPaymentId, amount: 1, reasonCode: 'goodwill' })));
    const s = await settling;
    expect(s.ok, JSON.stringify(!s.ok && s.error)).toBe(true);
    const pi = await manualPi(shop);
    expect(pi.amount_received).toBe(extras);
    // Whatever got in, the refunds never exceed what was captured and Stripe agrees with the till.
    expect(refunds.filter((r) => r.ok)).toHaveLength(0);
    for (const r of refunds) if (!r.ok) expect(r.error.message).toMatch(/released, not refunded/);
    expect(shop.count('refunds')).toBe(0);
    expect((await shop.stripe.refunds.list({ limit: 100 })).data.filter((r) => r.metadata?.refund_id)).toHaveLength(0);
  });
});

describe('pay link', () => {
  it('paid while the app is down: the start of the app records it (the jobs reconcile), once', async () => {
    const clock = { ms: Date.parse(MONDAY_8AM) };
    const emulator = await startEmulator({ now: () => clock.ms });
    const dbPath = join(mkdtempSync(join(tmpdir(), 'kd-link-')), 'keydesk.db');
    try {
      const first = await openDepositShop({ dbPath, emulator, clock });
      const b = await first.rental();
      const link = await first.ok('paylinks.create', { bookingId: b.id });
      const session = first.b.db.prepare('SELECT stripe_session_id FROM pay_links WHERE id = ?').pluck().get(link.id) as string;
      await first.shutdown();
      await first.stripe.rawRequest('POST', `/v1/test_helpers/checkout/sessions/${session}/complete`, { payment_method: 'pm_card_visa' });

      shop = await openDepositShop({ dbPath, emulator, clock });
      // Before the jobs ran, the balance is still held by the link: no second charge at the counter.
      expect((await shop.fail('payments.cash', { bookingId: b.id, tendered: b.total.amount })).code).toBe('conflict');
      await shop.b.jobs.start();
      const v = await shop.until(b.id, (x) => x.links[0]?.status === 'paid');
      expect(v.links).toHaveLength(1);
      expect((await shop.ok('bookings.get', { id: b.id })).balanceDue.amount).toBe(0);
      const succeeded = (await shop.stripe.paymentIntents.list({ limit: 100 })).data.filter((p) => p.status === 'succeeded' && p.metadata.booking_id === b.id);
      expect(succeeded).toHaveLength(1);
      await shop.b.jobs.stop();
    } finally {
      await emulator.close();
    }
  });

  it('created 20 times at once (in-process and a second window): one link, one session', async () => {
    shop = await openDepositShop();
    const b = await shop.rental();
    const out = await Promise.all(Array.from({ length: 20 }, (_, i) => shop.b.call(i % 2 ? shop.clerk : shop.manager, 'paylinks.create', { bookingId: b.id })));
    expect(out.filter((o) => o.ok)).toHaveLength(1);
    for (const o of out) if (!o.ok) expect(o.error.message).toMatch(/already open|in progress/);
    expect((await shop.stripe.checkout.sessions.list({ limit: 100 })).data).toHaveLength(1);
  });
});

describe('the card-payment buttons pointed at money the deposits capability owns', () => {
  it('payments.cancel on an open pay link’s payment: refused (the link is still payable), so no cash can be taken on top of it', async () => {
    shop = await openDepositShop();
    const b = await shop.rental();
    const link = await shop.ok('paylinks.create', { bookingId: b.id });
    const out = await shop.b.call(shop.clerk, 'payments.cancel', { paymentId: link.paymentId });
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error.message).toMatch(/pay link/);
    // The customer pays the link; the counter cannot take the balance again.
    const session = shop.b.db.prepare('SELECT stripe_session_id FROM pay_links WHERE id = ?').pluck().get(link.id) as string;
    await shop.stripe.rawRequest('POST', `/v1/test_helpers/checkout/sessions/${session}/complete`, { payment_method: 'pm_card_visa' });
    expect((await shop.b.call(shop.clerk, 'payments.cash', { bookingId: b.id, tendered: b.total.amount })).ok).toBe(false);
    await shop.ok('paylinks.refresh', { linkId: link.id });
    expect((await shop.ok('bookings.get', { id: b.id })).paid.amount).toBe(b.total.amount);
  });

  it('payments.cancel and payments.retry on a deposit hold: refused (the Deposit panel releases it), the hold stays held at Stripe', async () => {
    shop = await openDepositShop();
    const b = await shop.rental();
    const v = await shop.hold(b.id);
    const holdId = v.active?.paymentId ?? v.holds[0]!.paymentId;
    for (const m of ['payments.cancel', 'payments.retry'] as const) {
      const out = await shop.b.call(shop.clerk, m, { paymentId: holdId });
      expect(out.ok, m).toBe(false);
      if (!out.ok) expect(out.error.message, m).toMatch(/Deposit panel/);
    }
    expect((await manualPi(shop)).status).toBe('requires_capture');
    expect((await shop.ok('deposits.forBooking', { bookingId: b.id })).holds[0]!.state).toBe('held');
  });
});

describe('many clerks on one deposit at once', () => {
  it('10 holds at once: one hold; then 5 settles and 5 releases at once after the return: Stripe and the till agree, captured at most once', async () => {
    shop = await openDepositShop();
    const b = await shop.rental({ days: 3 });
    await shop.payRental(b.id);
    const starts = await Promise.all(Array.from({ length: 10 }, () => shop.b.call(shop.clerk, 'deposits.startHold', { bookingId: b.id })));
    expect(starts.filter((s) => s.ok)).toHaveLength(1);
    await shop.tap();
    const held = await shop.until(b.id, (v) => v.holds.some((h) => h.state === 'held'));
    const holdId = held.holds[0]!.paymentId;
    await shop.ok('bookings.checkOut', { id: b.id, odometer: 10_000, fuelEighths: 8 });
    shop.clock.now = new Date(at(5, 12));
    const back = await shop.ok('bookings.checkIn', { id: b.id, odometer: 10_100, fuelEighths: 5, returnedAt: at(5, 9) });
    const extras = back.total.amount - b.total.amount;
    const out = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? shop.b.call(shop.clerk, 'deposits.settle', { bookingId: b.id }) : shop.b.call(shop.clerk, 'deposits.cancelHold', { paymentId: holdId }))),
    );
    for (const o of out) if (!o.ok) expect(o.error.message).toMatch(/\.$/);
    await shop.b.deposits.api.reconcile();
    const pi = await manualPi(shop);
    const v = await shop.ok('deposits.forBooking', { bookingId: b.id });
    const h = v.holds.find((x) => x.paymentId === holdId)!;
    if (pi.status === 'succeeded') {
      expect(pi.amount_received).toBe(extras);
      expect(h).toMatchObject({ state: 'captured', captured: { amount: extras } });
    } else {
      expect(pi.status).toBe('canceled');
      expect(['released', 'canceled']).toContain(h.state);
    }
    // Whatever won, the booking's ledger equals Stripe's: paid = what Stripe took for it.
    const taken = (await shop.stripe.paymentIntents.list({ limit: 100 })).data.filter((p) => p.metadata.booking_id === b.id).reduce((n, p) => n + p.amount_received, 0);
    expect((await shop.ok('bookings.get', { id: b.id })).paid.amount).toBe(taken);
  });
});

describe('currency mismatch on the deposit policy', () => {
  it('a policy in another currency than the shop’s is refused; a stored one never turns yen into euro cents on a hold', async () => {
    shop = await openDepositShop();
    const current = await shop.ok('deposits.policy', {}, shop.manager);
    expect(current.currency).toBe('EUR');
    const yen = { ...current, currency: 'JPY' as const };
    const refused = await shop.fail('deposits.setPolicy', { policy: yen }, shop.manager);
    expect(refused.message).toMatch(/EUR/);
    expect((await shop.ok('deposits.policy', {}, shop.manager)).currency).toBe('EUR');
    // A policy stored in yen (synced from another till, or set before the shop's currency changed).
    shop.b.db
      .prepare("INSERT INTO deposit_policy (id, policy_json, version, updated_by, install_id, updated_at) VALUES (1, ?, 1, NULL, 'other', '2025-06-01T00:00:00Z') ON CONFLICT (id) DO UPDATE SET policy_json = excluded.policy_json")
      .run(JSON.stringify(yen));
    const b = await shop.rental();
    const hold = await shop.b.call(shop.clerk, 'deposits.startHold', { bookingId: b.id });
    expect(hold.ok).toBe(false);
    if (!hold.ok) expect(hold.error.message).toMatch(/JPY.*EUR|EUR.*JPY/);
    expect((await shop.stripe.paymentIntents.list({ limit: 100 })).data.filter((p) => p.capture_method === 'manual')).toHaveLength(0);
    // The Deposit panel still opens and says why; a manager's override in the booking's currency lets the hold go.
    const v = await shop.ok('deposits.forBooking', { bookingId: b.id });
    expect(JSON.stringify(v)).toMatch(/deposit policy is in JPY/);
    await shop.ok('deposits.override', { bookingId: b.id, amount: 25_000, reason: 'Policy in the wrong currency', managerId: shop.manager.staffId as string, pin: '1234' });
    await shop.hold(b.id);
    const held = (await shop.stripe.paymentIntents.list({ limit: 100 })).data.filter((p) => p.capture_method === 'manual');
    expect(held.map((p) => [p.amount, p.currency])).toEqual([[25_000, 'eur']]);
  });
});

describe('the extras collected twice', () => {
  it('cash for the balance while the settlement captures the same extras from the hold: the extras are taken once', async () => {
    shop = await openDepositShop();
    const { b, extras } = await returned(shop);
    expect(extras).toBeGreaterThan(0);
    shop.emulator.setFaults({ kind: 'latency', latencyMs: 300, pathPrefix: '/v1/payment_intents', method: 'POST', count: 1 });
    const settling = shop.b.call(shop.clerk, 'deposits.settle', { bookingId: b.id });
    const cash = await shop.b.call(shop.clerk, 'payments.cash', { bookingId: b.id, tendered: 1_000_000 });
    const s = await settling;
    const detail = await shop.ok('bookings.get', { id: b.id });
    const total = detail.total.amount;
    const taken = shop.b.db.prepare("SELECT coalesce(sum(amount_captured), 0) FROM payments WHERE booking_id = ? AND status = 'succeeded'").pluck().get(b.id) as number;
    expect({ taken, cash: cash.ok, settle: s.ok }).toMatchObject({ taken: total });
    if (!cash.ok) expect(cash.error.message).toMatch(/\.$/);
  });
});
