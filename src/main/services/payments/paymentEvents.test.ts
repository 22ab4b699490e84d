import { afterEach, describe, expect, it } from 'vitest';
import { openPayShop } from '../../testing/paymentsTestKit';
import type { PayShop } from '../../testing/paymentsTestKit';

let shop: PayShop;
afterEach(async () => shop?.shutdown());

const deliverAll = (s: PayShop) => s.relay();

describe("Stripe's events through the relay applier", () => {
  it('bring a payment this till is no longer watching up to Stripe (paid, card details), once, and name its booking', async () => {
    shop = await openPayShop();
    const b = await shop.booking();
    const readerId = await shop.reader();
    const p = await shop.ok('payments.startCard', { bookingId: b.id });
    shop.b.payments.api.stop(); // as if the screen and its wait were gone
    await shop.stripe.testHelpers.terminal.readers.presentPaymentMethod(readerId, { type: 'card_present', card_present: { number: '5555555555554444' } });
    const out = await deliverAll(shop);
    expect(out.bookingIds).toContain(b.id);
    const paid = await shop.ok('payments.get', { paymentId: p.id });
    expect(paid).toMatchObject({ status: 'succeeded', cardBrand: 'mastercard', cardLast4: '4444' });
    expect(paid.authCode).not.toBeNull();
    // Replayed events change nothing.
    const before = shop.count('audit_log');
    expect((await deliverAll(shop)).duplicates).toBeGreaterThan(0);
    expect(shop.count('audit_log')).toBe(before);
  });

  it("leave a payment the checkout is driving to the checkout (which records the clerk's sentence and the attempt)", async () => {
    shop = await openPayShop({ payments: { readerPollMs: 60_000 } });
    const b = await shop.booking();
    const readerId = await shop.reader();
    const p = await shop.ok('payments.startCard', { bookingId: b.id });
    await shop.stripe.testHelpers.terminal.readers.presentPaymentMethod(readerId, { type: 'card_present', card_present: { number: '4000000000009995' } });
    await deliverAll(shop); // the reader event nudges the waiting checkout instead of its next poll (a minute away)
    const failed = await shop.settled(p.id);
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'insufficient_funds' });
    expect(failed.errorMessage).toMatch(/not enough funds/);
    expect(failed.attempts.map((a) => a.outcome)).toEqual(['declined']);
  });
});
