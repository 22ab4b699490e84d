import { afterEach, describe, expect, it } from 'vitest';
import { openDepositShop } from '../../testing/depositsTestKit';
import type { DepositShop } from '../../testing/depositsTestKit';

/** Attacks on deposits: the policy's edges, a decline retried on the same PaymentIntent, concurrent clerks, the network failing mid-capture. */
let shop: DepositShop;
afterEach(async () => shop?.shutdown());

const at = (day: number, hh: number) => `2025-06-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:00:00+02:00`;

async function returned(s: DepositShop, fuelEighths = 6) {
  const b = await s.rental({ days: 3 });
  await s.payRental(b.id);
  await s.hold(b.id);
  await s.ok('bookings.checkOut', { id: b.id, odometer: 10_000, fuelEighths: 8 });
  s.clock.now = new Date(at(5, 12));
  const back = await s.ok('bookings.checkIn', { id: b.id, odometer: 10_100, fuelEighths, returnedAt: at(5, 9) });
  return { b, extras: back.total.amount - b.total.amount };
}

describe('deposit policy', () => {
  it('by class and length, with the minimum and a default for classes without a line; managers only, audited', async () => {
    shop = await openDepositShop();
    const policy = { currency: 'EUR' as const, minimum: 25_000, defaultAmount: 12_000, longRentalDays: 5, classes: [{ classCode: 'midsize', amount: 20_000, longAmount: 60_000 }] };
    expect((await shop.fail('deposits.setPolicy', { policy })).code).toBe('forbidden');
    await shop.ok('deposits.setPolicy', { policy }, shop.manager);
    const short = await shop.rental({ days: 3 });
    const v1 = await shop.ok('deposits.forBooking', { bookingId: short.id });
    expect(v1.required.amount).toBe(25_000);
    expect(v1.reason).toMatch(/raised to the minimum €250\.00/);
    const long = await shop.rental({ days: 6 });
    const v2 = await shop.ok('deposits.forBooking', { bookingId: long.id });
    expect(v2.required.amount).toBe(60_000);
    expect(v2.reason).toMatch(/6 days \(5\+ days rate\): €600\.00/);
    const suv = await shop.rental({ days: 2, cls: 'suv' });
    expect((await shop.ok('deposits.forBooking', { bookingId: suv.id })).reason).toMatch(/no line of its own/);
    expect(shop.b.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'deposit.policy'").pluck().get()).toBe(1);
    expect((await shop.fail('deposits.setPolicy', { policy: { ...policy, minimum: -1 } }, shop.manager)).code).toBe('invalid_input');
  });
});

describe('declines and races', () => {
  it('a declined card is tried again on the same PaymentIntent', async () => {
    shop = await openDepositShop();
    const b = await shop.rental();
    await shop.ok('deposits.startHold', { bookingId: b.id });
    await shop.tap('4000000000000002');
    const declined = await shop.until(b.id, (v) => v.active?.state === 'failed');
    expect(declined.active!.errorMessage).toMatch(/declined/i);
    await shop.ok('deposits.startHold', { bookingId: b.id });
    await shop.tap();
    const held = await shop.until(b.id, (v) => v.active?.state === 'held');
    expect(held.holds).toHaveLength(1);
    expect((await shop.stripe.paymentIntents.list({ limit: 100 })).data.filter((p) => p.capture_method === 'manual')).toHaveLength(1);
  });

  it('two clerks settling at once capture once', async () => {
    shop = await openDepositShop();
    const { b, extras } = await returned(shop);
    const out = await Promise.allSettled([shop.ok('deposits.settle', { bookingId: b.id }), shop.ok('deposits.settle', { bookingId: b.id })]);
    expect(out.every((o) => o.status === 'fulfilled')).toBe(true);
    const pi = (await shop.stripe.paymentIntents.list({ limit: 100 })).data.find((p) => p.capture_method === 'manual')!;
    expect(pi.amount_received).toBe(extras);
    expect((await shop.ok('bookings.get', { id: b.id })).balanceDue.amount).toBe(0);
  });

  it('two clerks holding the deposit at once: one hold', async () => {
    shop = await openDepositShop();
    const b = await shop.rental();
    const out = await Promise.allSettled([shop.ok('deposits.startHold', { bookingId: b.id }), shop.ok('deposits.startHold', { bookingId: b.id })]);
    expect(out.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(shop.count('deposit_holds')).toBe(1);
  });

  it('the network drops during the capture: the row says what was asked; once back, reconcile captures exactly once', async () => {
    shop = await openDepositShop();
    const { b, extras } = await returned(shop);
    shop.emulator.setFaults({ kind: 'networkDown' });
    const failed = await shop.fail('deposits.settle', { bookingId: b.id });
    expect(failed.code).toBe('unavailable');
    expect((await shop.ok('deposits.forBooking', { bookingId: b.id })).holds[0]!.state).toBe('capturing');
    shop.emulator.clearFaults();
    expect((await shop.b.deposits.api.reconcile()).failed).toBe(0);
    const v = await shop.ok('deposits.forBooking', { bookingId: b.id });
    expect(v.holds[0]).toMatchObject({ state: 'captured', captured: { amount: extras } });
    const pi = (await shop.stripe.paymentIntents.list({ limit: 100 })).data.find((p) => p.capture_method === 'manual')!;
    expect(pi.amount_received).toBe(extras);
  });

  it('a booking cancelled after the hold was taken: its cancellation fee is captured from the hold and the rest released', async () => {
    shop = await openDepositShop();
    const b = await shop.rental();
    await shop.hold(b.id);
    await shop.ok('bookings.cancel', { id: b.id, reason: 'Customer changed plans' });
    // A late cancellation owes the rate card's fee, nothing else; the hold covers it.
    const fee = (await shop.ok('bookings.get', { id: b.id })).balanceDue.amount;
    expect(fee).toBeGreaterThan(0);
    const preview = await shop.ok('deposits.forBooking', { bookingId: b.id });
    expect(preview.settlement).toMatchObject({ capture: { amount: fee }, release: { amount: 30_000 - fee } });
    const v = await shop.ok('deposits.settle', { bookingId: b.id });
    expect(v.holds[0]).toMatchObject({ state: 'captured', released: { amount: 30_000 - fee } });
    const pi = (await shop.stripe.paymentIntents.list({ limit: 100 })).data.find((p) => p.capture_method === 'manual')!;
    expect(pi).toMatchObject({ status: 'succeeded', amount_received: fee });
    expect((await shop.ok('bookings.get', { id: b.id })).balanceDue.amount).toBe(0);
  });

  it('refunds refuse an uncaptured hold and point at the deposit panel', async () => {
    shop = await openDepositShop();
    const b = await shop.rental();
    const v = await shop.hold(b.id);
    const opts = await shop.ok('refunds.options', { bookingId: b.id }, shop.manager);
    const hold = opts.payments.find((p) => p.paymentId === v.active!.paymentId);
    expect(hold?.blocked).toMatch(/released, not refunded.*Deposit panel/);
  });
});
