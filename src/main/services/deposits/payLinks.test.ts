import { afterEach, describe, expect, it } from 'vitest';
import { openDepositShop } from '../../testing/depositsTestKit';
import type { DepositShop } from '../../testing/depositsTestKit';

/** Pay-by-link against the emulator's Checkout: paid (retrieve and relay), expired and re-issued, never paid twice. */
let shop: DepositShop;
afterEach(async () => shop?.shutdown());

async function complete(s: DepositShop, sessionId: string) {
  return s.stripe.rawRequest('POST', `/v1/test_helpers/checkout/sessions/${sessionId}/complete`, { payment_method: 'pm_card_visa' });
}
const sessionOf = (s: DepositShop, linkId: string) => s.b.db.prepare('SELECT stripe_session_id FROM pay_links WHERE id = ?').pluck().get(linkId) as string;

describe('pay by link', () => {
  it('a phone booking paid by link: the balance main computes, a URL with an expiry; paid once, seen on retrieve', async () => {
    shop = await openDepositShop();
    const b = await shop.rental();
    const link = await shop.ok('paylinks.create', { bookingId: b.id });
    expect(link).toMatchObject({ status: 'open', amount: b.total });
    expect(link.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/checkout\//);
    expect(Date.parse(link.expiresAt)).toBeGreaterThan(shop.clock.now.getTime() + 23 * 3600_000);
    // While the link is open the balance is in flight: no second link, no reader charge for it.
    expect((await shop.fail('paylinks.create', { bookingId: b.id })).message).toMatch(/already open/);
    expect((await shop.ok('deposits.forBooking', { bookingId: b.id })).balanceDue.amount).toBe(0);

    await complete(shop, sessionOf(shop, link.id));
    // The second tab cannot pay: the session is complete.
    await expect(complete(shop, sessionOf(shop, link.id))).rejects.toThrow(/only an open session/);
    const paid = await shop.ok('paylinks.refresh', { linkId: link.id });
    expect(paid.status).toBe('paid');
    const detail = await shop.ok('bookings.get', { id: b.id });
    expect(detail.paid.amount).toBe(b.total.amount);
    expect(detail.balanceDue.amount).toBe(0);
    const succeeded = (await shop.stripe.paymentIntents.list({ limit: 100 })).data.filter((p) => p.status === 'succeeded');
    expect(succeeded).toHaveLength(1);
    expect(succeeded[0]!.amount_received).toBe(b.total.amount);
    // Nothing left to ask for.
    expect((await shop.fail('paylinks.create', { bookingId: b.id })).message).toMatch(/Nothing is due/);
  });

  it('checkout.session.completed through the relay updates the booking without the clerk asking', async () => {
    shop = await openDepositShop();
    const b = await shop.rental();
    const link = await shop.ok('paylinks.create', { bookingId: b.id });
    await complete(shop, sessionOf(shop, link.id));
    await shop.relay();
    const v = await shop.ok('deposits.forBooking', { bookingId: b.id });
    expect(v.links[0]!.status).toBe('paid');
    expect((await shop.ok('payments.forBooking', { bookingId: b.id })).balanceDue.amount).toBe(0);
    const pay = (await shop.ok('payments.forBooking', { bookingId: b.id })).payments.find((p) => p.id === link.paymentId)!;
    expect(pay).toMatchObject({ method: 'card', status: 'succeeded' });
    expect(pay.stripePaymentIntentId).toMatch(/^pi_/);
  });

  it('an expired link is seen (clock advanced) and re-issued; the new one is paid; one charge in the end', async () => {
    shop = await openDepositShop();
    const b = await shop.rental();
    const first = await shop.ok('paylinks.create', { bookingId: b.id });
    shop.advance(24 * 3600 + 60);
    const expired = await shop.ok('paylinks.refresh', { linkId: first.id });
    expect(expired).toMatchObject({ status: 'expired', url: null });
    await expect(complete(shop, sessionOf(shop, first.id))).rejects.toThrow(/expired/);
    expect((await shop.ok('deposits.forBooking', { bookingId: b.id })).balanceDue.amount).toBe(b.total.amount);
    const second = await shop.ok('paylinks.create', { bookingId: b.id });
    expect(second.id).not.toBe(first.id);
    expect(second.url).not.toBe(first.url);
    await complete(shop, sessionOf(shop, second.id));
    expect((await shop.ok('paylinks.refresh', { linkId: second.id })).status).toBe('paid');
    expect((await shop.stripe.paymentIntents.list({ limit: 100 })).data.filter((p) => p.status === 'succeeded')).toHaveLength(1);
    expect((await shop.ok('bookings.get', { id: b.id })).balanceDue.amount).toBe(0);
  });

  it('two clerks sending a link at the same moment: one link, one session', async () => {
    shop = await openDepositShop();
    const b = await shop.rental();
    const out = await Promise.allSettled([shop.ok('paylinks.create', { bookingId: b.id }), shop.ok('paylinks.create', { bookingId: b.id })]);
    expect(out.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(shop.count('pay_links')).toBe(1);
    expect((await shop.stripe.checkout.sessions.list({ limit: 100 })).data).toHaveLength(1);
  });

  it('the network drops while the link is created: the row waits; the next check gets the same session back (one session, one charge)', async () => {
    shop = await openDepositShop();
    const b = await shop.rental();
    shop.emulator.setFaults({ kind: 'drop', after: true, pathPrefix: '/v1/checkout/sessions', method: 'POST', count: 10 });
    expect((await shop.fail('paylinks.create', { bookingId: b.id })).code).toBe('unavailable');
    const [row] = (await shop.ok('deposits.forBooking', { bookingId: b.id })).links;
    expect(row!.status).toBe('creating');
    shop.emulator.clearFaults();
    await shop.b.deposits.api.reconcile();
    const open = await shop.ok('deposits.forBooking', { bookingId: b.id });
    expect(open.links.map((l) => l.status)).toEqual(['open']);
    expect((await shop.stripe.checkout.sessions.list({ limit: 100 })).data).toHaveLength(1);
    await complete(shop, sessionOf(shop, row!.id));
    expect((await shop.ok('paylinks.refresh', { linkId: row!.id })).status).toBe('paid');
  });
});
