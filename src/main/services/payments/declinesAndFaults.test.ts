import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cardForNumber, numberForTestToken } from '../../../emulator/testCards';
import { KNOWN_DECLINE_CODES, declineSentence } from '../../stripe/stripeErrors';
import { openPayShop } from '../../testing/paymentsTestKit';
import type { PayShop } from '../../testing/paymentsTestKit';

let shop: PayShop;
afterEach(async () => shop?.shutdown());

/** Every `pm_card_*` test PaymentMethod the emulator knows that forces a decline (read from its card table). */
function emulatorDeclines(): { token: string; number: string; code: string }[] {
  const source = readFileSync(join(__dirname, '../../../emulator/testCards.ts'), 'utf8');
  const tokens = [...new Set(source.match(/'pm_card_\w+'/g) ?? [])].map((t) => t.slice(1, -1));
  return tokens.flatMap((token) => {
    const number = numberForTestToken(token);
    const card = number ? cardForNumber(number) : null;
    if (!number || card?.outcome.kind !== 'decline') return [];
    return [{ token, number, code: card.outcome.decline.decline_code }];
  });
}

describe('every decline the emulator knows becomes one sentence with the next step', () => {
  const declines = emulatorDeclines();

  it('finds the emulator declines and has a sentence of its own for each', () => {
    expect(declines.length).toBeGreaterThanOrEqual(7);
    for (const d of declines) {
      expect(KNOWN_DECLINE_CODES, d.token).toContain(d.code);
      expect(declineSentence(d.code)).toMatch(/\. [A-Z][^.]*\.$|again|another card|cash/);
    }
  });

  it('charges each decline card on the reader, records the clerk sentence, then the same PaymentIntent takes a good card', async () => {
    shop = await openPayShop();
    const readerId = await shop.reader();
    for (const d of declines) {
      const b = await shop.booking();
      const p = await shop.ok('payments.startCard', { bookingId: b.id });
      await shop.stripe.testHelpers.terminal.readers.presentPaymentMethod(readerId, { type: 'card_present', card_present: { number: d.number } });
      const failed = await shop.settled(p.id);
      expect(failed.status, d.token).toBe('failed');
      expect(failed.errorCode, d.token).toBe(d.code);
      expect(failed.errorMessage, d.token).toBe(declineSentence(d.code));
      await shop.ok('payments.retry', { paymentId: p.id });
      await shop.ok('readers.simulate', { readerId, outcome: 'approve' });
      expect((await shop.settled(p.id)).status, d.token).toBe('succeeded');
      expect(await shop.charges(b.id), d.token).toHaveLength(1);
    }
  });
});

describe('network faults at each Stripe call: nothing charged twice, a sentence when it gives up', () => {
  it('creating the PaymentIntent: the answer is lost, the retry with the same key gets the same PaymentIntent', async () => {
    shop = await openPayShop();
    const b = await shop.booking();
    const readerId = await shop.reader();
    shop.emulator.setFaults({ kind: 'drop', after: true, pathPrefix: '/v1/payment_intents', method: 'POST', count: 1 });
    const p = await shop.ok('payments.startCard', { bookingId: b.id });
    const all = await shop.stripe.paymentIntents.list({ limit: 100 });
    expect(all.data.filter((x) => x.metadata.booking_id === b.id)).toHaveLength(1);
    await shop.ok('readers.simulate', { readerId, outcome: 'approve' });
    expect((await shop.settled(p.id)).status).toBe('succeeded');
  });

  it('429 with Stripe-Should-Retry true is retried; with false the clerk is told and nothing is charged', async () => {
    shop = await openPayShop();
    const b = await shop.booking();
    const readerId = await shop.reader();
    shop.emulator.setFaults({ kind: 'rateLimit', shouldRetry: true, pathPrefix: '/v1/payment_intents', method: 'POST', count: 2 });
    const p = await shop.ok('payments.startCard', { bookingId: b.id });
    expect(p.status).toBe('requires_action');
    await shop.ok('payments.cancel', { paymentId: p.id });

    shop.emulator.setFaults({ kind: 'rateLimit', pathPrefix: '/v1/payment_intents', method: 'POST', count: 1 });
    const e = await shop.fail('payments.startCard', { bookingId: b.id });
    expect(e.message).toMatch(/Stripe is busy/);
    const rows = shop.b.db.prepare("SELECT status FROM payments WHERE booking_id = ? ORDER BY created_at").pluck().all(b.id);
    expect(rows).toEqual(['canceled', 'canceled']);
    expect(await shop.charges(b.id)).toHaveLength(0);
    // The balance is free again: the next charge goes through.
    const next = await shop.ok('payments.startCard', { bookingId: b.id });
    await shop.ok('readers.simulate', { readerId, outcome: 'approve' });
    expect((await shop.settled(next.id)).status).toBe('succeeded');
    expect(await shop.charges(b.id)).toHaveLength(1);
  });

  it('network down before the charge: "take cash", nothing written but the audit row', async () => {
    shop = await openPayShop();
    const b = await shop.booking();
    await shop.reader();
    shop.emulator.setFaults({ kind: 'networkDown' });
    const audits = shop.count('audit_log');
    const e = await shop.fail('payments.startCard', { bookingId: b.id });
    expect(e.message).toMatch(/cannot reach Stripe.*take cash/);
    expect(shop.count('payments')).toBe(0);
    expect(shop.count('audit_log')).toBe(audits + 1);
    shop.emulator.clearFaults();
  });

  it('starting the reader: the answer is lost, the reader started anyway; the payment waits for the card', async () => {
    shop = await openPayShop();
    const b = await shop.booking();
    const readerId = await shop.reader();
    shop.emulator.setFaults({ kind: 'drop', after: true, pathPrefix: `/v1/terminal/readers/${readerId}/process_payment_intent`, count: 4 });
    const p = await shop.ok('payments.startCard', { bookingId: b.id });
    expect(p.status).toBe('requires_action');
    shop.emulator.clearFaults();
    await shop.ok('readers.simulate', { readerId, outcome: 'approve' });
    expect((await shop.settled(p.id)).status).toBe('succeeded');
    expect(await shop.charges(b.id)).toHaveLength(1);
  });

  it('polling the reader and reading the result fail while the card goes through: reconcile after the network returns marks it paid', async () => {
    shop = await openPayShop();
    const b = await shop.booking();
    const readerId = await shop.reader();
    const p = await shop.ok('payments.startCard', { bookingId: b.id });
    shop.b.payments.api.stop();
    // The card is read at Stripe while this till cannot reach it.
    await shop.stripe.testHelpers.terminal.readers.presentPaymentMethod(readerId, { type: 'card_present', card_present: { number: '4242424242424242' } });
    shop.emulator.setFaults({ kind: 'networkDown' });
    const down = await shop.b.payments.api.reconcile();
    expect(down.failed).toBe(1);
    expect((await shop.ok('payments.get', { paymentId: p.id })).status).toBe('requires_action');
    shop.emulator.clearFaults();
    const back = await shop.b.payments.api.reconcile();
    expect(back).toMatchObject({ checked: 1, changed: 1, failed: 0 });
    expect((await shop.ok('payments.get', { paymentId: p.id })).status).toBe('succeeded');
    expect(await shop.charges(b.id)).toHaveLength(1);
  });
});

describe('network faults while the clerk cancels or the result is read', () => {
  it('cancel with Stripe unreachable: a sentence, the payment still cancellable; then cancelled once the network is back', async () => {
    shop = await openPayShop();
    const b = await shop.booking();
    await shop.reader();
    const p = await shop.ok('payments.startCard', { bookingId: b.id });
    shop.emulator.setFaults({ kind: 'networkDown' });
    const e = await shop.fail('payments.cancel', { paymentId: p.id });
    expect(e.message).toMatch(/cannot reach Stripe/);
    expect((await shop.ok('payments.get', { paymentId: p.id })).status).toBe('requires_action');
    shop.emulator.clearFaults();
    expect((await shop.ok('payments.cancel', { paymentId: p.id })).status).toBe('canceled');
    expect(await shop.charges(b.id)).toHaveLength(0);
  });

  it('reading the result fails for a moment after the card: the wait keeps trying and records the payment', async () => {
    shop = await openPayShop();
    const b = await shop.booking();
    const readerId = await shop.reader();
    const p = await shop.ok('payments.startCard', { bookingId: b.id });
    shop.emulator.setFaults({ kind: 'error500', pathPrefix: `/v1/payment_intents/${p.stripePaymentIntentId}`, method: 'GET', count: 6 });
    await shop.ok('readers.simulate', { readerId, outcome: 'approve' });
    expect((await shop.settled(p.id)).status).toBe('succeeded');
    expect(await shop.charges(b.id)).toHaveLength(1);
  });
});
