import { afterEach, describe, expect, it } from 'vitest';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';
import { appApplier } from '../../testing/paymentsTestKit';

let shop: TestShop;
afterEach(() => shop.close());

// What a manager sees on a booking once Stripe's events reach this till through the relay.
describe('Stripe events on a booking', () => {
  it('shows a dispute as a flag for a manager, and a refund made elsewhere in the balance', async () => {
    shop = await openTestShop();
    const v = await shop.vehicle();
    const c = await shop.customer();
    const booking = await shop.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: '2025-06-03T09:00:00+02:00', returnAt: '2025-06-04T09:00:00+02:00' });
    const { db } = shop.b;
    const installId = shop.b.info().installId;
    db.prepare(
      `INSERT INTO payments (id, booking_id, kind, method, status, amount, currency, idempotency_key, stripe_payment_intent_id, install_id, created_at, updated_at)
       VALUES ('P1', ?, 'charge', 'card_present', 'pending', ?, ?, 'pay:P1', 'pi_1', ?, 'now', 'now')`,
    ).run(booking.id, booking.total.amount, booking.total.currency, installId);
    const applier = appApplier(shop);
    const ev = (n: number, type: string, object: Record<string, unknown>) => ({ seq: n, event: { id: `evt_${n}`, object: 'event', type, created: 1_750_000_000 + n, livemode: false, data: { object } } });
    applier.apply('relay', [
      ev(1, 'payment_intent.succeeded', { id: 'pi_1', object: 'payment_intent', status: 'succeeded', amount: booking.total.amount, amount_received: booking.total.amount, latest_charge: 'ch_1' }),
      ev(2, 'refund.created', { id: 're_1', object: 'refund', amount: 1000, currency: booking.total.currency.toLowerCase(), status: 'succeeded', payment_intent: 'pi_1', charge: 'ch_1' }),
      ev(3, 'charge.dispute.created', { id: 'dp_1', object: 'dispute', amount: booking.total.amount, currency: 'eur', reason: 'fraudulent', charge: 'ch_1', payment_intent: 'pi_1' }),
    ]);

    const detail = await shop.ok('bookings.get', { id: booking.id });
    expect(detail.paid.amount).toBe(booking.total.amount);
    expect(detail.refunded.amount).toBe(1000);
    expect(detail.balanceDue.amount).toBe(1000);
    expect(detail.flags).toEqual([{ kind: 'dispute', detail: expect.stringMatching(/^The customer disputed €\d+\.\d\d with their bank \(fraudulent\)\.$/), at: expect.any(String) }]);
  });
});
