import { afterEach, describe, expect, it } from 'vitest';
import { openPayShop } from '../../testing/paymentsTestKit';
import type { PayShop } from '../../testing/paymentsTestKit';

/**
 * Attack (issue: late decline events): Stripe delivers events late and out of order. A
 * `payment_intent.payment_failed` from the FIRST attempt must not turn a payment whose retry is on
 * the reader into `failed`: that frees the balance (the clerk takes cash) while the reader still
 * charges the card, and `failed` rows are never reconciled, so the charge is lost locally.
 */
let shop: PayShop;
afterEach(async () => shop?.shutdown());

const DECLINE = '4000000000009995';
const GOOD = '4242424242424242';

const deliver = (s: PayShop, events: unknown[]) => s.relay(events);

async function declineThenRetry(s: PayShop) {
  const b = await s.booking();
  const readerId = await s.reader();
  const p = await s.ok('payments.startCard', { bookingId: b.id });
  await s.stripe.testHelpers.terminal.readers.presentPaymentMethod(readerId, { type: 'card_present', card_present: { number: DECLINE } });
  expect((await s.settled(p.id)).status).toBe('failed');
  // Every event of the first attempt, held back by the relay (newest first, as Stripe lists them: out of order).
  const firstAttempt = (await s.stripe.events.list({ limit: 100 })).data.filter((e) => e.type.startsWith('payment_intent.') || e.type.startsWith('terminal.'));
  expect(firstAttempt.some((e) => e.type === 'payment_intent.payment_failed')).toBe(true);
  return { b, readerId, p, firstAttempt };
}

describe('late and out-of-order decline events while a retry is on the reader', () => {
  it('delivered while payments.retry is in flight: the retry stays the checkout’s and the good card is paid once', async () => {
    shop = await openPayShop();
    const { b, readerId, p, firstAttempt } = await declineThenRetry(shop);
    const retry = shop.ok('payments.retry', { paymentId: p.id });
    await deliver(shop, firstAttempt);
    const r = await retry;
    expect(r.status).toBe('requires_action');
    await deliver(shop, firstAttempt.slice().reverse()); // duplicates, other order
    expect((await shop.ok('payments.get', { paymentId: p.id })).status).toBe('requires_action');
    await shop.stripe.testHelpers.terminal.readers.presentPaymentMethod(readerId, { type: 'card_present', card_present: { number: GOOD } });
    expect((await shop.settled(p.id)).status).toBe('succeeded');
    expect(await shop.charges(b.id)).toHaveLength(1);
  });

  it('delivered after the till lost its wait (restart): the payment is not marked failed, cash cannot be taken on top, and reconcile follows Stripe', async () => {
    shop = await openPayShop();
    const { b, readerId, p, firstAttempt } = await declineThenRetry(shop);
    expect((await shop.ok('payments.retry', { paymentId: p.id })).status).toBe('requires_action');
    shop.b.payments.api.stop(); // the window closed / the app restarted: nobody waits on the reader
    await deliver(shop, firstAttempt);
    const after = await shop.ok('payments.get', { paymentId: p.id });
    expect(after.status).not.toBe('failed');
    // The balance is still held by the payment on the reader: no cash on top of it.
    const cash = await shop.fail('payments.cash', { bookingId: b.id, tendered: 1_000_000 });
    expect(cash.code).toBe('conflict');
    // The customer taps a good card; Stripe charges it; the till follows Stripe.
    await shop.stripe.testHelpers.terminal.readers.presentPaymentMethod(readerId, { type: 'card_present', card_present: { number: GOOD } }).catch(() => undefined);
    await shop.b.payments.api.reconcile();
    const end = await shop.ok('payments.get', { paymentId: p.id });
    const charged = await shop.charges(b.id);
    // Whatever happened at the reader, the local ledger equals Stripe's.
    expect(end.status === 'succeeded' ? 1 : 0).toBe(charged.length);
  });
});
