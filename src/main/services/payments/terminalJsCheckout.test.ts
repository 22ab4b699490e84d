import { createContext, runInContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import type { StripePaymentIntent, StripeReader } from '../../stripe/stripeGateway';
import { createSettingsModule } from '../settings/index';
import { openPayShop } from '../../testing/paymentsTestKit';
import type { PayShop } from '../../testing/paymentsTestKit';
import { driverInForce, terminalScript } from './terminalJs';

/**
 * terminal-js end to end on main's side: main makes the PaymentIntent and hands its client
 * secret out; the emulator's stand-in Terminal SDK (fetched from the URL main names, run in a
 * vm with only what a page has) reads the card and processes it over HTTP; main is told, asks
 * Stripe, and only Stripe's status decides.
 */

type ExposedError = { code?: string; message: string; decline_code?: string };
type Err = { error: ExposedError };
type SdkPi = StripePaymentIntent & { sdk_payment_details: unknown };
type Terminal = {
  discoverReaders(config?: { simulated?: boolean; location?: string }): Promise<{ discoveredReaders: StripeReader[] } | Err>;
  connectReader(reader: StripeReader, options?: { fail_if_in_use?: boolean }): Promise<{ reader: StripeReader } | Err>;
  setSimulatorConfiguration(config: { testCardNumber?: string }): void;
  collectPaymentMethod(clientSecret: string): Promise<{ paymentIntent: SdkPi } | Err>;
  processPayment(pi: SdkPi): Promise<{ paymentIntent: StripePaymentIntent } | Err>;
};
type Sdk = { create(props: { onFetchConnectionToken: () => Promise<string>; onUnexpectedReaderDisconnect?: () => void }): Terminal };

let shop: PayShop;
afterEach(async () => shop?.shutdown());

const isErr = (r: object): r is Err => 'error' in r;

async function terminalShop(payments: Parameters<typeof openPayShop>[0] = {}): Promise<{ sdk: Sdk; scriptUrl: string }> {
  shop = await openPayShop(payments);
  await shop.ok('settings.update', { readerDriver: 'terminal-js' }, shop.manager);
  const list = await shop.ok('readers.list', {});
  expect(list.driver).toBe('terminal-js');
  const scriptUrl = list.terminalJs?.scriptUrl as string;
  expect(scriptUrl).toBe(`${shop.emulator.url}/terminal-js/v1`);
  const source = await (await fetch(scriptUrl)).text();
  const window: Record<string, unknown> = {};
  const context = createContext({ window, document: { currentScript: { src: scriptUrl } }, fetch, URL, setTimeout, clearTimeout, console });
  runInContext(source, context, { filename: 'terminal-js-v1.js' });
  return { sdk: window.StripeTerminal as Sdk, scriptUrl };
}

/** A terminal connected to the SDK's simulated reader, with tokens from main (as the page gets them). */
async function connect(sdk: Sdk, token?: () => Promise<string>): Promise<Terminal> {
  const terminal = sdk.create({ onFetchConnectionToken: token ?? (async () => (await shop.ok('readers.connectionToken', {})).secret), onUnexpectedReaderDisconnect: () => undefined });
  const found = await terminal.discoverReaders({ simulated: true });
  if (isErr(found)) throw new Error(found.error.message);
  const c = await terminal.connectReader(found.discoveredReaders[0] as StripeReader, { fail_if_in_use: true });
  if (isErr(c)) throw new Error(c.error.message);
  return terminal;
}

/** What the page does with one payment: collect, process, and report every outcome to main. */
async function tap(terminal: Terminal, clientSecret: string): Promise<ExposedError | null> {
  const collected = await terminal.collectPaymentMethod(clientSecret);
  if (isErr(collected)) return collected.error;
  const processed = await terminal.processPayment(collected.paymentIntent);
  return isErr(processed) ? processed.error : null;
}

describe('terminal-js checkout against the emulator', () => {
  it('hands the client secret to the page, does not drive the reader, and marks paid only once Stripe says so', async () => {
    const { sdk } = await terminalShop();
    const b = await shop.booking();
    const started = await shop.ok('payments.startCard', { bookingId: b.id });
    expect(started).toMatchObject({ status: 'requires_action', readerId: null, method: 'card_present', amount: b.total });
    expect(started.clientSecret).toMatch(/^pi_.+_secret_/);
    const pi = await shop.stripe.paymentIntents.retrieve(started.stripePaymentIntentId as string);
    expect(pi.client_secret).toBe(started.clientSecret);
    expect(pi.metadata).toMatchObject({ booking_id: b.id, booking_ref: b.ref, payment_id: started.id, install_id: shop.b.info().installId, staff_id: shop.clerk.staffId });
    // Main did not send it to the counter's server-driven reader.
    const reader = await shop.stripe.terminal.readers.retrieve(await shop.reader());
    expect('action' in reader ? reader.action : null).toBeNull();

    const terminal = await connect(sdk);
    expect(await tap(terminal, started.clientSecret as string)).toBeNull();
    const paid = await shop.ok('payments.confirmFromReader', { paymentId: started.id });
    expect(paid).toMatchObject({ status: 'succeeded', cardBrand: 'visa', cardLast4: '4242' });
    expect(paid.fee?.amount).toBeGreaterThan(0);
    expect((await shop.ok('payments.forBooking', { bookingId: b.id })).balanceDue.amount).toBe(0);
    expect(await shop.charges(b.id)).toHaveLength(1);
    // Said twice (a double click, a re-sent request): still one charge and the same record.
    expect((await shop.ok('payments.confirmFromReader', { paymentId: started.id })).status).toBe('succeeded');
    expect(await shop.charges(b.id)).toHaveLength(1);
  });

  it('a declined card is retried on the same PaymentIntent and charged once', async () => {
    const { sdk } = await terminalShop();
    const b = await shop.booking();
    const p = await shop.ok('payments.startCard', { bookingId: b.id });
    const terminal = await connect(sdk);
    terminal.setSimulatorConfiguration({ testCardNumber: '4000000000000002' });
    expect((await tap(terminal, p.clientSecret as string))?.code).toBe('card_declined');
    const declined = await shop.ok('payments.confirmFromReader', { paymentId: p.id });
    // Stripe's record decides the code: card_declined with decline_code generic_decline.
    expect(declined).toMatchObject({ status: 'failed', errorCode: 'generic_decline' });
    expect(declined.errorMessage).toMatch(/another card/i);
    expect(await shop.charges(b.id)).toHaveLength(0);

    const again = await shop.ok('payments.retry', { paymentId: p.id });
    expect(again).toMatchObject({ id: p.id, status: 'requires_action', stripePaymentIntentId: p.stripePaymentIntentId, clientSecret: p.clientSecret });
    terminal.setSimulatorConfiguration({ testCardNumber: '4242424242424242' });
    expect(await tap(terminal, again.clientSecret as string)).toBeNull();
    const paid = await shop.ok('payments.confirmFromReader', { paymentId: p.id });
    expect(paid.status).toBe('succeeded');
    expect(paid.attempts.map((a) => a.outcome)).toEqual(['declined', 'succeeded']);
    const all = await shop.stripe.paymentIntents.list({ limit: 100 });
    expect(all.data.filter((x) => x.metadata.booking_id === b.id)).toHaveLength(1);
    expect(await shop.charges(b.id)).toHaveLength(1);
  });

  it("each decline card the demo panel offers ends as that decline, with the clerk's sentence, on one PaymentIntent", async () => {
    const { sdk } = await terminalShop();
    const b = await shop.booking();
    const p = await shop.ok('payments.startCard', { bookingId: b.id });
    const terminal = await connect(sdk);
    const cards: Array<[string, string, RegExp]> = [
      ['4000000000009995', 'insufficient_funds', /funds/i],
      ['4000000000009987', 'lost_card', /another card|bank/i],
      ['4000000000009979', 'stolen_card', /another card|bank/i],
      ['4000000000000069', 'expired_card', /expired/i],
      ['4000000000000119', 'processing_error', /try again|again/i],
    ];
    let secret = p.clientSecret as string;
    for (const [number, code, sentence] of cards) {
      terminal.setSimulatorConfiguration({ testCardNumber: number });
      expect(await tap(terminal, secret)).not.toBeNull();
      const r = await shop.ok('payments.confirmFromReader', { paymentId: p.id });
      expect([r.status, r.errorCode]).toEqual(['failed', code]);
      expect(r.errorMessage).toMatch(sentence);
      const again = await shop.ok('payments.retry', { paymentId: p.id });
      expect(again.stripePaymentIntentId).toBe(p.stripePaymentIntentId);
      secret = again.clientSecret as string;
    }
    expect(await shop.charges(b.id)).toHaveLength(0);
  });

  it("the page's word alone settles nothing: a report with no card read leaves the payment retryable and uncharged", async () => {
    await terminalShop();
    const b = await shop.booking();
    const p = await shop.ok('payments.startCard', { bookingId: b.id });
    const r = await shop.ok('payments.confirmFromReader', { paymentId: p.id });
    expect(r).toMatchObject({ status: 'failed', errorCode: 'interrupted' });
    expect(await shop.charges(b.id)).toHaveLength(0);
    expect((await shop.ok('payments.retry', { paymentId: p.id })).stripePaymentIntentId).toBe(p.stripePaymentIntentId);
  });

  it('connection tokens come from main, are scoped to the shop location, and a reused one is refused', async () => {
    const { sdk } = await terminalShop();
    const location = (await shop.ok('readers.list', {})).terminalJs?.location;
    expect(location).toMatch(/^tml_/);
    const secret = (await shop.ok('readers.connectionToken', {})).secret;
    expect(secret).toMatch(/^pst_/);
    // The first terminal redeems it; its reader is in the shop's location.
    const first = sdk.create({ onFetchConnectionToken: async () => secret });
    const found = await first.discoverReaders({ simulated: true });
    expect(isErr(found) ? found.error : found.discoveredReaders[0]?.location).toBe(location);
    // A second terminal handed the same token is refused.
    const second = sdk.create({ onFetchConnectionToken: async () => secret });
    const again = await second.discoverReaders({ simulated: true });
    expect(isErr(again) && again.error.code).toBe('invalid_connection_token');
    // And a token cannot look outside its location.
    const other = await shop.stripe.terminal.locations.create({ display_name: 'Elsewhere', address: { country: 'NL', line1: 'x', city: 'y', postal_code: '1000 AA' } });
    const outside = await connectOr(sdk, other.id);
    expect(outside).toBe('invalid_location');
    // No reader (so no location) chosen: main refuses rather than mint an unscoped token.
    shop.b.db.prepare('UPDATE terminal_readers SET selected = 0').run();
    expect((await shop.fail('readers.connectionToken', {})).message).toMatch(/No card reader/);
  });

  it('a killed page: reconcile cancels the PaymentIntent nobody reported on, and nothing is charged', async () => {
    await terminalShop();
    const b = await shop.booking();
    const p = await shop.ok('payments.startCard', { bookingId: b.id });
    // The app died: its in-memory wait is gone; the next start's reconcile finds the row.
    shop.b.payments.api.stop();
    const out = await shop.b.payments.api.reconcile();
    expect(out).toMatchObject({ checked: 1, changed: 1, failed: 0 });
    expect((await shop.ok('payments.get', { paymentId: p.id })).status).toBe('canceled');
    expect((await shop.stripe.paymentIntents.retrieve(p.stripePaymentIntentId as string)).status).toBe('canceled');
  });

  it('a killed app after the card was charged: reconcile marks it paid, once', async () => {
    const { sdk } = await terminalShop();
    const b = await shop.booking();
    const p = await shop.ok('payments.startCard', { bookingId: b.id });
    expect(await tap(await connect(sdk), p.clientSecret as string)).toBeNull();
    shop.b.payments.api.stop();
    await shop.b.payments.api.reconcile();
    expect((await shop.ok('payments.get', { paymentId: p.id })).status).toBe('succeeded');
    expect(await shop.charges(b.id)).toHaveLength(1);
  });

  it("main's own timeout cancels a PaymentIntent the page never reports on", async () => {
    await terminalShop({ payments: { readerTimeoutMs: 150 } });
    const b = await shop.booking();
    const p = await shop.ok('payments.startCard', { bookingId: b.id });
    expect((await shop.settled(p.id)).status).toBe('canceled');
    expect((await shop.stripe.paymentIntents.retrieve(p.stripePaymentIntentId as string)).status).toBe('canceled');
  });

  it('two tills charging the whole balance at the same moment: one PaymentIntent, the other refused with a sentence', async () => {
    await terminalShop();
    const b = await shop.booking();
    const both = await Promise.all([shop.b.call(shop.clerk, 'payments.startCard', { bookingId: b.id }), shop.b.call(shop.clerk, 'payments.startCard', { bookingId: b.id })]);
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    const refused = both.find((r) => !r.ok);
    expect(refused && !refused.ok && refused.error.message).toMatch(/balance|already|progress/i);
    const all = await shop.stripe.paymentIntents.list({ limit: 100 });
    expect(all.data.filter((x) => x.metadata.booking_id === b.id)).toHaveLength(1);
  });

  it('Stripe unreachable when the page reports a charged card: a sentence, then reconcile marks it paid once the network is back', async () => {
    const { sdk } = await terminalShop();
    const b = await shop.booking();
    const p = await shop.ok('payments.startCard', { bookingId: b.id });
    expect(await tap(await connect(sdk), p.clientSecret as string)).toBeNull();
    shop.emulator.setFaults({ kind: 'networkDown' });
    expect((await shop.fail('payments.confirmFromReader', { paymentId: p.id })).message).toMatch(/cannot reach Stripe/);
    expect((await shop.ok('payments.get', { paymentId: p.id })).status).toBe('requires_action');
    shop.emulator.clearFaults();
    await shop.b.payments.api.reconcile();
    expect((await shop.ok('payments.get', { paymentId: p.id })).status).toBe('succeeded');
    expect(await shop.charges(b.id)).toHaveLength(1);
  });

  it('server-driven mode gives no client secret and refuses a page report', async () => {
    shop = await openPayShop();
    const b = await shop.booking();
    await shop.reader();
    const p = await shop.ok('payments.startCard', { bookingId: b.id });
    expect(p.clientSecret ?? null).toBeNull();
    expect((await shop.ok('readers.list', {})).terminalJs).toBeNull();
    expect((await shop.fail('payments.confirmFromReader', { paymentId: p.id })).code).toBe('conflict');
    await shop.ok('payments.cancel', { paymentId: p.id });
  });
});

async function connectOr(sdk: Sdk, location: string): Promise<string | null> {
  const t = sdk.create({ onFetchConnectionToken: async () => (await shop.ok('readers.connectionToken', {})).secret });
  const r = await t.discoverReaders({ simulated: false, location });
  return isErr(r) ? (r.error.code ?? null) : null;
}

describe('the reader driver setting', () => {
  it('is simulated in demo, server-driven in test and live, terminal-js only when chosen, and a manager choice', async () => {
    shop = await openPayShop();
    expect((await shop.ok('settings.get', {})).readerDriver).toBe('simulated');
    expect((await shop.ok('readers.list', {})).driver).toBe('simulated');
    expect((await shop.fail('settings.update', { readerDriver: 'terminal-js' })).code).toBe('forbidden');
    expect((await shop.fail('settings.update', { readerDriver: 'bluetooth' as never }, shop.manager)).code).toBe('invalid_input');
    // Test and live: the built-in default, and "simulated" there means the server-driven reader.
    const elsewhere = createSettingsModule({ db: shop.b.db, installId: shop.b.info().installId, onChange: () => undefined, defaults: { readerDriver: 'server-driven' } });
    expect(elsewhere.api.get().readerDriver).toBe('server-driven');
    expect(driverInForce({ mode: 'live', readerDriver: () => 'simulated' })).toBe('server-driven');
    expect(driverInForce({ mode: 'test', readerDriver: () => 'terminal-js' })).toBe('terminal-js');
    expect(terminalScript({ stripeEndpoint: () => ({}) }).scriptUrl).toBe('https://js.stripe.com/terminal/v1/');
  });
});
