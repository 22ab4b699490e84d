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

async function setup(): Promise<{ location: Stripe.Terminal.Location; reader: Stripe.Terminal.Reader }> {
  const location = await stripe.terminal.locations.create({ display_name: 'Main counter', address: { line1: '2 High St', city: 'York', postal_code: 'YO1 7HH', country: 'GB' } });
  const reader = await stripe.terminal.readers.create({ registration_code: 'simulated-wpe', label: 'Desk 1', location: location.id });
  return { location, reader };
}

function depositIntent(extra: Partial<Stripe.PaymentIntentCreateParams> = {}): Promise<Stripe.PaymentIntent> {
  return stripe.paymentIntents.create({ amount: 30000, currency: 'gbp', allowed_payment_method_types: ['card_present'], capture_method: 'manual', ...extra });
}

describe('terminal', () => {
  it('locations, readers and connection tokens: create, retrieve, list, delete', async () => {
    const { location, reader } = await setup();
    expect(reader).toMatchObject({ device_type: 'simulated_wisepos_e', label: 'Desk 1', location: location.id, status: 'online', action: null });
    expect(((await stripe.terminal.locations.retrieve(location.id)) as Stripe.Terminal.Location).display_name).toBe('Main counter');
    expect((await stripe.terminal.locations.list()).data.map((l) => l.id)).toEqual([location.id]);
    expect((await stripe.terminal.readers.list({ location: location.id })).data.map((r) => r.id)).toEqual([reader.id]);
    const token = await stripe.terminal.connectionTokens.create({ location: location.id });
    expect(token.secret).toMatch(/^pst_test_/);
    expect(token.location).toBe(location.id);
    const bad = await stripeError(stripe.terminal.readers.create({ registration_code: 'puppy-kitten-lamb' }));
    expect([bad.type, bad.param, bad.statusCode]).toEqual(['StripeInvalidRequestError', 'registration_code', 400]);
    const deleted = await stripe.terminal.readers.del(reader.id);
    expect(deleted.deleted).toBe(true);
    const gone = await stripeError(stripe.terminal.readers.retrieve(reader.id));
    expect([gone.code, gone.statusCode]).toEqual(['resource_missing', 404]);
  });

  it('process_payment_intent then present_payment_method: extended hold of 30 days and incremental support', async () => {
    const { reader, location } = await setup();
    const pi = await depositIntent({
      payment_method_options: { card_present: { request_extended_authorization: true, request_incremental_authorization_support: true } },
    });
    const processing = await stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: pi.id });
    expect(processing.action).toMatchObject({ type: 'process_payment_intent', status: 'in_progress', process_payment_intent: { payment_intent: pi.id } });
    const busy = await stripeError(stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: pi.id }));
    expect([busy.type, busy.code, busy.statusCode]).toEqual(['StripeInvalidRequestError', 'terminal_reader_busy', 400]);
    const done = await stripe.testHelpers.terminal.readers.presentPaymentMethod(reader.id, { card_present: { number: '5555555555554444' } });
    expect(done.action?.status).toBe('succeeded');
    const held = await stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge'] });
    expect(held.status).toBe('requires_capture');
    const present = (held.latest_charge as Stripe.Charge).payment_method_details?.card_present;
    expect(present?.brand).toBe('mastercard');
    expect(present?.last4).toBe('4444');
    expect(present?.incremental_authorization_supported).toBe(true);
    expect(present?.capture_before).toBe((held.latest_charge as Stripe.Charge).created + 30 * 24 * 3600);
    expect(present?.reader).toBe(reader.id);
    expect(present?.location).toBe(location.id);
    const event = (await stripe.events.list({ type: 'terminal.reader.action_succeeded' })).data[0];
    expect((event?.data.object as Stripe.Terminal.Reader).action?.status).toBe('succeeded');
    const captured = await stripe.paymentIntents.capture(pi.id, { amount_to_capture: 12000 }, { expand: ['latest_charge.balance_transaction'] } as Stripe.RequestOptions);
    expect(captured.amount_received).toBe(12000);
  });

  it('a declined tap fails the action with failure_code, leaves the PaymentIntent retryable, and fires action_failed', async () => {
    const { reader } = await setup();
    const pi = await depositIntent();
    await stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: pi.id });
    const failed = await stripe.testHelpers.terminal.readers.presentPaymentMethod(reader.id, { card_present: { number: '4000000000009995' } });
    expect(failed.action).toMatchObject({ status: 'failed', failure_code: 'card_declined', failure_message: 'Your card has insufficient funds.' });
    expect(failed.action?.api_error).toMatchObject({ type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds' });
    const after = await stripe.paymentIntents.retrieve(pi.id);
    expect(after.status).toBe('requires_payment_method');
    expect(after.last_payment_error?.decline_code).toBe('insufficient_funds');
    const types = (await stripe.events.list({ limit: 3 })).data.map((e) => e.type);
    expect(types).toEqual(['terminal.reader.action_failed', 'payment_intent.payment_failed', 'charge.failed']);
    // Retry on the same PaymentIntent with a good card, with a tip.
    await stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: pi.id });
    const ok = await stripe.testHelpers.terminal.readers.presentPaymentMethod(reader.id, { amount_tip: 500 });
    expect(ok.action?.status).toBe('succeeded');
    const tipped = await stripe.paymentIntents.retrieve(pi.id);
    expect([tipped.status, tipped.amount, tipped.amount_capturable]).toEqual(['requires_capture', 30500, 30500]);
  });

  it.each([
    ['4000000000000069', 'expired_card'],
    ['4000000000000127', 'incorrect_cvc'],
    ['4000000000000119', 'processing_error'],
    ['4000000000000002', 'card_declined'],
  ])('card %s on the reader fails with %s', async (number, code) => {
    const { reader } = await setup();
    const pi = await depositIntent({ capture_method: 'automatic' });
    await stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: pi.id });
    const failed = await stripe.testHelpers.terminal.readers.presentPaymentMethod(reader.id, { card_present: { number } });
    expect(failed.action?.failure_code).toBe(code);
  });

  it('cancel_action, set_reader_display, and presenting without an action is refused', async () => {
    const { reader } = await setup();
    const idle = await stripeError(stripe.testHelpers.terminal.readers.presentPaymentMethod(reader.id));
    expect([idle.type, idle.statusCode]).toEqual(['StripeInvalidRequestError', 400]);
    const nothing = await stripeError(stripe.terminal.readers.cancelAction(reader.id));
    expect(nothing.statusCode).toBe(400);
    const pi = await depositIntent();
    await stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: pi.id });
    const display = await stripeError(stripe.terminal.readers.setReaderDisplay(reader.id, { type: 'cart', cart: { currency: 'gbp', line_items: [{ amount: 100, description: 'x', quantity: 1 }], total: 100 } }));
    expect(display.code).toBe('terminal_reader_busy');
    const canceled = (await stripe.terminal.readers.cancelAction(reader.id)) as Stripe.Terminal.Reader;
    expect(canceled.action).toBeNull();
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe('requires_payment_method');
    const shown = await stripe.terminal.readers.setReaderDisplay(reader.id, {
      type: 'cart',
      cart: { currency: 'gbp', line_items: [{ amount: 25000, description: 'Deposit hold', quantity: 1 }], tax: 0, total: 25000 },
    });
    expect(shown.action).toMatchObject({ type: 'set_reader_display', status: 'succeeded', set_reader_display: { type: 'cart', cart: { total: 25000, currency: 'gbp' } } });
  });

  it('refuses a PaymentIntent without card_present, or one already paid', async () => {
    const { reader } = await setup();
    const online = await stripe.paymentIntents.create({ amount: 1000, currency: 'gbp', allowed_payment_method_types: ['card'] });
    const err = await stripeError(stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: online.id }));
    expect([err.type, err.param]).toEqual(['StripeInvalidRequestError', 'payment_intent']);
    const done = await depositIntent({ capture_method: 'automatic', payment_method: 'pm_card_visa', confirm: true });
    const state = await stripeError(stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: done.id }));
    expect(state.code).toBe('payment_intent_unexpected_state');
  });
});
