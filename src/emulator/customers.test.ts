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

describe('customers', () => {
  it('create, retrieve, update, list by email, delete (then retrieve shows deleted)', async () => {
    const c = await stripe.customers.create({ email: 'jo@example.com', name: 'Jo', phone: '+441234', metadata: { licence: 'AB123' }, address: { city: 'Hull', country: 'GB' } });
    expect(c).toMatchObject({ email: 'jo@example.com', name: 'Jo', metadata: { licence: 'AB123' }, address: { city: 'Hull', country: 'GB', line1: null } });
    await stripe.customers.create({ email: 'other@example.com' });
    const updated = await stripe.customers.update(c.id, { name: 'Joanna', metadata: { licence: '' } });
    expect([updated.name, updated.metadata]).toEqual(['Joanna', {}]);
    expect((await stripe.customers.list({ email: 'jo@example.com' })).data.map((x) => x.id)).toEqual([c.id]);
    expect((await stripe.customers.list()).data).toHaveLength(2);
    expect(await stripe.customers.del(c.id)).toMatchObject({ id: c.id, deleted: true });
    expect(await stripe.customers.retrieve(c.id)).toMatchObject({ id: c.id, deleted: true });
    const update = await stripeError(stripe.customers.update(c.id, { name: 'x' }));
    expect([update.code, update.statusCode]).toEqual(['resource_missing', 404]);
    expect((await stripe.events.list({ type: 'customer.deleted' })).data).toHaveLength(1);
  });

  it('a PaymentIntent for an unknown customer is refused with resource_missing on customer', async () => {
    const err = await stripeError(stripe.paymentIntents.create({ amount: 1000, currency: 'usd', customer: 'cus_missing' }));
    expect([err.type, err.code, err.param, err.statusCode]).toEqual(['StripeInvalidRequestError', 'resource_missing', 'customer', 404]);
  });
});

describe('payment methods', () => {
  it('create from a card number, attach, list by customer, set default, detach', async () => {
    const c = await stripe.customers.create({ name: 'Sam' });
    const pm = await stripe.paymentMethods.create({ type: 'card', card: { number: '5555555555554444', exp_month: 3, exp_year: 2041, cvc: '123' }, billing_details: { name: 'Sam' } });
    expect(pm.card).toMatchObject({ brand: 'mastercard', last4: '4444', exp_month: 3, exp_year: 2041 });
    expect(JSON.stringify(pm)).not.toContain('5555555555554444');
    const attached = await stripe.paymentMethods.attach(pm.id, { customer: c.id });
    expect(attached.customer).toBe(c.id);
    const viaToken = await stripe.paymentMethods.attach('pm_card_visa', { customer: c.id });
    expect(viaToken.id).not.toBe('pm_card_visa');
    expect((await stripe.paymentMethods.list({ customer: c.id, type: 'card' })).data.map((p) => p.id)).toEqual([viaToken.id, pm.id]);
    expect((await stripe.customers.listPaymentMethods(c.id)).data).toHaveLength(2);
    const withDefault = await stripe.customers.update(c.id, { invoice_settings: { default_payment_method: pm.id } });
    expect(withDefault.invoice_settings.default_payment_method).toBe(pm.id);
    const detached = await stripe.paymentMethods.detach(pm.id);
    expect(detached.customer).toBeNull();
    expect((await stripe.customers.retrieve(c.id) as Stripe.Customer).invoice_settings.default_payment_method).toBeNull();
    const twice = await stripeError(stripe.paymentMethods.detach(pm.id));
    expect([twice.type, twice.statusCode]).toEqual(['StripeInvalidRequestError', 400]);
    const types = (await stripe.events.list({ types: ['payment_method.attached', 'payment_method.detached'] })).data.map((e) => e.type);
    expect(types).toEqual(['payment_method.detached', 'payment_method.attached', 'payment_method.attached']);
  });

  it('same card number, same fingerprint; a customer-attached card works only with that customer', async () => {
    const a = await stripe.paymentMethods.create({ type: 'card', card: { number: '4242424242424242', exp_month: 1, exp_year: 2040 } });
    const b = await stripe.paymentMethods.create({ type: 'card', card: { number: '4242424242424242', exp_month: 2, exp_year: 2041 } });
    expect(a.card?.fingerprint).toBe(b.card?.fingerprint);
    const c = await stripe.customers.create({ payment_method: a.id });
    const pmId = (await stripe.paymentMethods.list({ customer: c.id })).data[0]?.id as string;
    const wrong = await stripeError(stripe.paymentIntents.create({ amount: 1000, currency: 'usd', allowed_payment_method_types: ['card'], payment_method: pmId, confirm: true }));
    expect([wrong.type, wrong.param]).toEqual(['StripeInvalidRequestError', 'payment_method']);
    const right = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', allowed_payment_method_types: ['card'], customer: c.id, payment_method: pmId, confirm: true });
    expect(right.status).toBe('succeeded');
  });

  it('setup_future_usage with a customer saves the card on success', async () => {
    const c = await stripe.customers.create({});
    await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', allowed_payment_method_types: ['card'], customer: c.id, setup_future_usage: 'off_session', payment_method: 'pm_card_visa', confirm: true });
    expect((await stripe.paymentMethods.list({ customer: c.id })).data).toHaveLength(1);
  });
});
