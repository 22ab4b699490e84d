import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, stripeError, type EmulatorHarness } from './testHarness';

let h: EmulatorHarness;
let stripe: Stripe;
beforeAll(async () => {
  h = await startHarness();
  stripe = h.stripe;
});
afterAll(() => h.close());
beforeEach(() => h.emulator.reset());

function complete(id: string, params: Record<string, unknown> = {}): Promise<Stripe.Checkout.Session> {
  return stripe.rawRequest('POST', `/v1/test_helpers/checkout/sessions/${id}/complete`, params) as unknown as Promise<Stripe.Checkout.Session>;
}

function newSession(extra: Partial<Stripe.Checkout.SessionCreateParams> = {}): Promise<Stripe.Checkout.Session> {
  return stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: [
      { price_data: { currency: 'gbp', unit_amount: 4500, product_data: { name: 'Day rental' } }, quantity: 3 },
      { price_data: { currency: 'gbp', unit_amount: 1200, product_data: { name: 'Sat nav' } }, quantity: 1 },
    ],
    success_url: 'https://shop.example/ok?s={CHECKOUT_SESSION_ID}',
    cancel_url: 'https://shop.example/cancel',
    metadata: { booking_id: 'B7' },
    payment_intent_data: { metadata: { booking_id: 'B7' } },
    ...extra,
  });
}

describe('checkout sessions', () => {
  it('create with line items: totals, url on the emulator, no PaymentIntent yet; retrieve, list, line items', async () => {
    const s = await newSession();
    expect(s).toMatchObject({ status: 'open', payment_status: 'unpaid', amount_total: 14700, amount_subtotal: 14700, currency: 'gbp', payment_intent: null });
    expect(s.url).toBe(`${h.emulator.url}/checkout/${s.id}`);
    expect(s.id).toMatch(/^cs_test_/);
    expect((await stripe.checkout.sessions.retrieve(s.id)).id).toBe(s.id);
    expect((await stripe.checkout.sessions.list()).data.map((x) => x.id)).toEqual([s.id]);
    const items = await stripe.checkout.sessions.listLineItems(s.id);
    expect(items.data.map((i) => [i.description, i.quantity, i.amount_total])).toEqual([
      ['Day rental', 3, 13500],
      ['Sat nav', 1, 1200],
    ]);
    const page = await fetch(s.url as string);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('147.00 gbp');
  });

  it('completing it (test helper) pays a PaymentIntent and fires checkout.session.completed', async () => {
    const s = await newSession();
    const done = await complete(s.id, { customer_email: 'renter@example.com' });
    expect(done).toMatchObject({ status: 'complete', payment_status: 'paid', url: null });
    expect(done.customer_details?.email).toBe('renter@example.com');
    const pi = await stripe.paymentIntents.retrieve(done.payment_intent as string);
    expect([pi.status, pi.amount, pi.metadata.booking_id]).toEqual(['succeeded', 14700, 'B7']);
    const event = (await stripe.events.list({ type: 'checkout.session.completed' })).data[0];
    expect((event?.data.object as Stripe.Checkout.Session).id).toBe(s.id);
    const again = await stripeError(complete(s.id));
    expect([again.type, again.statusCode]).toEqual(['StripeInvalidRequestError', 400]);
    const expire = await stripeError(stripe.checkout.sessions.expire(s.id));
    expect(expire.statusCode).toBe(400);
  });

  it('a declined card keeps the session open; a second attempt reuses the PaymentIntent', async () => {
    const s = await newSession();
    const err = await stripeError(complete(s.id, { card: { number: '4000000000000002' } }));
    expect([err.type, err.code, err.statusCode]).toEqual(['StripeCardError', 'card_declined', 402]);
    const open = await stripe.checkout.sessions.retrieve(s.id);
    expect(open.status).toBe('open');
    const done = await complete(s.id, { payment_method: 'pm_card_visa' });
    expect(done.payment_intent).toBe(open.payment_intent);
  });

  it('manual capture through payment_intent_data leaves the session unpaid until capture', async () => {
    const s = await newSession({ payment_intent_data: { capture_method: 'manual' } });
    const done = await complete(s.id);
    expect([done.status, done.payment_status]).toEqual(['complete', 'unpaid']);
    expect((await stripe.paymentIntents.retrieve(done.payment_intent as string)).status).toBe('requires_capture');
  });

  it('expire by API and by clock, with checkout.session.expired', async () => {
    const a = await newSession();
    const expired = await stripe.checkout.sessions.expire(a.id);
    expect([expired.status, expired.url]).toEqual(['expired', null]);
    const b = await newSession();
    h.emulator.advanceClock(24 * 3600 + 1);
    expect((await stripe.checkout.sessions.retrieve(b.id)).status).toBe('expired');
    const events = (await stripe.events.list({ type: 'checkout.session.expired' })).data;
    expect(events.map((e) => (e.data.object as Stripe.Checkout.Session).id)).toEqual([b.id, a.id]);
  });

  it('the hosted page pays with the chosen test card and redirects to success_url', async () => {
    const s = await newSession();
    const res = await fetch(s.url as string, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'card_number=4242424242424242&email=web%40example.com',
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`https://shop.example/ok?s=${s.id}`);
    expect((await stripe.checkout.sessions.retrieve(s.id)).status).toBe('complete');
  });

  it('an amount instead of line items (emulator extension); mode other than payment is refused', async () => {
    const s = await stripe.checkout.sessions.create({ mode: 'payment', amount: 999, currency: 'usd' } as Stripe.Checkout.SessionCreateParams);
    expect(s.amount_total).toBe(999);
    const sub = await stripeError(stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: 'price_x', quantity: 1 }] }));
    expect([sub.type, sub.param]).toEqual(['StripeInvalidRequestError', 'mode']);
  });
});
