import { createContext, runInContext } from 'node:vm';
import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type EmulatorHarness } from './testHarness';

/**
 * The fake Terminal JS SDK as a page gets it: the script is fetched from GET /terminal-js/v1 and
 * run in a fresh context with only what a browser gives it (window, document.currentScript,
 * fetch, URL, timers); every call goes over HTTP to the emulator.
 */

// The part of @stripe/terminal-js 0.26's types (types/terminal.d.ts) used here. Its own .d.ts cannot
// be imported on the node side: it pulls in stripe@8's declarations and breaks stripe-node 23's.
type ExposedError = { type?: string; code?: string; message: string; decline_code?: string; payment_intent?: Stripe.PaymentIntent };
type ErrorResponse = { error: ExposedError };
type Reader = Stripe.Terminal.Reader;
type ISdkManagedPaymentIntent = Stripe.PaymentIntent & { sdk_payment_details: Stripe.PaymentMethod };
type TerminalProps = {
  onFetchConnectionToken: () => Promise<string>;
  onUnexpectedReaderDisconnect?: (e: { error?: ExposedError }) => void;
  onConnectionStatusChange?: (e: { status: string }) => void;
  onPaymentStatusChange?: (e: { status: string }) => void;
  simulatorBaseUrl?: string;
};
type Terminal = {
  getConnectionStatus(): 'connecting' | 'connected' | 'not_connected';
  getPaymentStatus(): 'not_ready' | 'ready' | 'waiting_for_input' | 'processing';
  discoverReaders(config?: { simulated?: boolean; location?: string }): Promise<{ discoveredReaders: Reader[] } | ErrorResponse>;
  connectReader(reader: Reader, options?: { fail_if_in_use?: boolean }): Promise<{ reader: Reader } | ErrorResponse>;
  disconnectReader(): Promise<Record<string, never>>;
  setSimulatorConfiguration(config: { testCardNumber?: string; testPaymentMethod?: string; tipAmount?: number }): void;
  collectPaymentMethod(clientSecret: string): Promise<{ paymentIntent: ISdkManagedPaymentIntent } | ErrorResponse>;
  cancelCollectPaymentMethod(): Promise<Record<string, never> | ErrorResponse>;
  processPayment(pi: ISdkManagedPaymentIntent): Promise<{ paymentIntent: Stripe.PaymentIntent } | ErrorResponse>;
};

type StripeTerminalGlobal = { create(props: TerminalProps): Terminal };

let h: EmulatorHarness;
let stripe: Stripe;
let source: string;
beforeAll(async () => {
  h = await startHarness();
  stripe = h.stripe;
  const res = await fetch(`${h.emulator.url}/terminal-js/v1`);
  expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
  source = await res.text();
});
afterAll(() => h.close());
beforeEach(() => h.emulator.reset());

function loadSdk(): StripeTerminalGlobal {
  const window: Record<string, unknown> = {};
  const context = createContext({ window, document: { currentScript: { src: `${h.emulator.url}/terminal-js/v1` } }, fetch, URL, setTimeout, clearTimeout, console });
  runInContext(source, context, { filename: 'terminal-js-v1.js' });
  return window.StripeTerminal as StripeTerminalGlobal;
}

function isError(r: object): r is ErrorResponse {
  return 'error' in r;
}

async function setup(): Promise<{ location: string; token: () => Promise<string>; issued: string[] }> {
  const location = (await stripe.terminal.locations.create({ display_name: 'Main counter', address: { country: 'US', line1: '1 Main St', city: 'Austin', postal_code: '78701', state: 'TX' } })).id;
  const issued: string[] = [];
  const token = async (): Promise<string> => {
    const secret = (await stripe.terminal.connectionTokens.create({ location })).secret;
    issued.push(secret);
    return secret;
  };
  return { location, token, issued };
}

async function presentPi(amount = 4200): Promise<Stripe.PaymentIntent> {
  return stripe.paymentIntents.create({ amount, currency: 'usd', allowed_payment_method_types: ['card_present'], capture_method: 'manual', metadata: { booking_id: 'B-1' } });
}

async function connected(token: () => Promise<string>, props: Partial<TerminalProps> = {}): Promise<{ terminal: Terminal; reader: Reader }> {
  const terminal = loadSdk().create({ onFetchConnectionToken: token, onUnexpectedReaderDisconnect: () => undefined, ...props });
  const found = await terminal.discoverReaders({ simulated: true });
  if (isError(found)) throw new Error(found.error.message);
  const first = found.discoveredReaders[0] as Reader;
  const conn = await terminal.connectReader(first);
  if (isError(conn)) throw new Error(conn.error.message);
  return { terminal, reader: conn.reader };
}

describe('fake Terminal JS SDK (GET /terminal-js/v1) against the emulator', () => {
  it('a simulated payment: discover, connect, collect, process; Stripe-side state is real', async () => {
    const { location, token } = await setup();
    const statuses: string[] = [];
    const { terminal, reader } = await connected(token, { onConnectionStatusChange: (e) => statuses.push(e.status) });
    expect([reader.id, reader.location, reader.device_type]).toEqual(['SIMULATOR', location, 'simulated_wisepos_e']);
    expect(terminal.getConnectionStatus()).toBe('connected');
    expect(statuses).toEqual(['connecting', 'connected']);

    const pi = await presentPi();
    terminal.setSimulatorConfiguration({ testCardNumber: '4242424242424242' });
    const collected = await terminal.collectPaymentMethod(pi.client_secret as string);
    if (isError(collected)) throw new Error(collected.error.message);
    const sdkPi: ISdkManagedPaymentIntent = collected.paymentIntent;
    expect(sdkPi.id).toBe(pi.id);
    expect(sdkPi.sdk_payment_details.card_present?.last4).toBe('4242');
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe('requires_payment_method');

    const processed = await terminal.processPayment(sdkPi);
    if (isError(processed)) throw new Error(processed.error.message);
    expect(processed.paymentIntent.status).toBe('requires_capture');
    const server = await stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge'] });
    expect(server.status).toBe('requires_capture');
    const charge = (server as unknown as { latest_charge: Stripe.Charge }).latest_charge;
    expect([charge.payment_method_details?.type, charge.payment_method_details?.card_present?.last4]).toEqual(['card_present', '4242']);
    expect((await stripe.paymentIntents.capture(pi.id)).status).toBe('succeeded');
    const types = (await stripe.events.list({ limit: 10 })).data.map((e) => e.type);
    expect(types).toContain('payment_intent.amount_capturable_updated');
    expect(await terminal.disconnectReader()).toEqual({});
    expect(terminal.getConnectionStatus()).toBe('not_connected');
  });

  it('a decline (testCardNumber 4000000000000002) comes back as { error } with the PaymentIntent; the same PaymentIntent then succeeds', async () => {
    const { token } = await setup();
    const { terminal } = await connected(token);
    const pi = await presentPi();
    terminal.setSimulatorConfiguration({ testCardNumber: '4000000000000002' });
    const collected = await terminal.collectPaymentMethod(pi.client_secret as string);
    if (isError(collected)) throw new Error(collected.error.message);
    const declined = await terminal.processPayment(collected.paymentIntent);
    if (!isError(declined)) throw new Error('expected a decline');
    expect([declined.error.code, declined.error.decline_code, declined.error.payment_intent?.status]).toEqual(['card_declined', 'generic_decline', 'requires_payment_method']);
    const server = await stripe.paymentIntents.retrieve(pi.id);
    expect([server.status, server.last_payment_error?.decline_code]).toEqual(['requires_payment_method', 'generic_decline']);

    terminal.setSimulatorConfiguration({ testPaymentMethod: 'charge_declined_insufficient_funds' });
    const again = await terminal.collectPaymentMethod(pi.client_secret as string);
    if (isError(again)) throw new Error(again.error.message);
    const insufficient = await terminal.processPayment(again.paymentIntent);
    expect(isError(insufficient) && insufficient.error.decline_code).toBe('insufficient_funds');

    terminal.setSimulatorConfiguration({ testPaymentMethod: 'visa' });
    const third = await terminal.collectPaymentMethod(pi.client_secret as string);
    if (isError(third)) throw new Error(third.error.message);
    const ok = await terminal.processPayment(third.paymentIntent);
    expect(!isError(ok) && ok.paymentIntent.status).toBe('requires_capture');
    expect((await stripe.charges.list({ payment_intent: pi.id })).data.map((c) => c.status).sort()).toEqual(['failed', 'failed', 'succeeded']);
  });

  it('a connection token is single use: a second SDK given the same token is refused', async () => {
    const { token, issued } = await setup();
    await connected(token);
    const reused = issued[0] as string;
    const second = loadSdk().create({ onFetchConnectionToken: async () => reused, onUnexpectedReaderDisconnect: () => undefined });
    const found = await second.discoverReaders({ simulated: true });
    if (!isError(found)) throw new Error('expected the reused token to be refused');
    expect(found.error.code).toBe('invalid_connection_token');
    expect(found.error.message).toMatch(/already used/);
    const made = await second.discoverReaders({ simulated: true });
    expect(isError(made)).toBe(true);
  });

  it('ten SDKs racing with one token: exactly one gets a session', async () => {
    const { token } = await setup();
    const shared = await token();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => loadSdk().create({ onFetchConnectionToken: async () => shared }).discoverReaders({ simulated: true })),
    );
    expect(results.filter((r) => !isError(r))).toHaveLength(1);
    expect(new Set(results.filter(isError).map((r) => r.error.code))).toEqual(new Set(['invalid_connection_token']));
  });

  it('a token is scoped to its location: it cannot discover or connect readers elsewhere', async () => {
    const { token } = await setup();
    const other = (await stripe.terminal.locations.create({ display_name: 'Airport', address: { country: 'US' } })).id;
    const elsewhere = await stripe.terminal.readers.create({ registration_code: 'simulated-wpe', location: other });
    const terminal = loadSdk().create({ onFetchConnectionToken: token, onUnexpectedReaderDisconnect: () => undefined });
    const found = await terminal.discoverReaders({ simulated: false, location: other });
    expect(isError(found) && found.error.code).toBe('invalid_location');
    const conn = await terminal.connectReader(elsewhere as unknown as Reader);
    expect(isError(conn) && conn.error.code).toBe('invalid_location');
    expect(terminal.getConnectionStatus()).toBe('not_connected');
  });

  it('registered readers: discovered in the token\'s location; fail_if_in_use refuses a reader another till holds', async () => {
    const { location, token } = await setup();
    const reader = await stripe.terminal.readers.create({ registration_code: 'simulated-s700', location, label: 'Till 1' });
    const first = loadSdk().create({ onFetchConnectionToken: token });
    const found = await first.discoverReaders({ simulated: false });
    if (isError(found)) throw new Error(found.error.message);
    expect(found.discoveredReaders.map((r) => [r.id, r.label])).toEqual([[reader.id, 'Till 1']]);
    expect(isError(await first.connectReader(reader))).toBe(false);
    const second = loadSdk().create({ onFetchConnectionToken: token });
    const busy = await second.connectReader(reader, { fail_if_in_use: true });
    expect(isError(busy) && busy.error.code).toBe('reader_busy');
    expect(second.getConnectionStatus()).toBe('not_connected');
  });

  it('a tip set in the simulator is added to the amount when the payment is processed', async () => {
    const { token } = await setup();
    const { terminal } = await connected(token);
    const pi = await presentPi(4000);
    terminal.setSimulatorConfiguration({ testPaymentMethod: 'mastercard', tipAmount: 500 });
    const collected = await terminal.collectPaymentMethod(pi.client_secret as string);
    if (isError(collected)) throw new Error(collected.error.message);
    const done = await terminal.processPayment(collected.paymentIntent);
    if (isError(done)) throw new Error(done.error.message);
    expect([done.paymentIntent.amount, done.paymentIntent.amount_capturable]).toEqual([4500, 4500]);
    expect((await stripe.paymentIntents.retrieve(pi.id)).amount).toBe(4500);
  });

  it('an unknown token is refused; a token for an unknown location is refused at creation', async () => {
    const terminal = loadSdk().create({ onFetchConnectionToken: async () => 'pst_test_made_up', onUnexpectedReaderDisconnect: () => undefined });
    const found = await terminal.discoverReaders({ simulated: true });
    expect(isError(found) && found.error.code).toBe('invalid_connection_token');
    await expect(stripe.terminal.connectionTokens.create({ location: 'tml_nope' })).rejects.toMatchObject({ statusCode: 404, param: 'location' });
  });

  it('cancelCollectPaymentMethod during collection: collect resolves { error: canceled }, nothing is charged', async () => {
    const { token } = await setup();
    const { terminal } = await connected(token);
    const pi = await presentPi();
    const collecting = terminal.collectPaymentMethod(pi.client_secret as string);
    expect(terminal.getPaymentStatus()).toBe('waiting_for_input');
    expect(await terminal.cancelCollectPaymentMethod()).toEqual({});
    const result = await collecting;
    expect(isError(result) && result.error.code).toBe('canceled');
    expect(terminal.getPaymentStatus()).toBe('ready');
    const processed = await terminal.processPayment({ id: pi.id } as ISdkManagedPaymentIntent);
    expect(isError(processed) && processed.error.code).toBe('no_active_collect_payment_method_attempt');
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe('requires_payment_method');
    expect((await stripe.charges.list({ payment_intent: pi.id })).data).toHaveLength(0);
  });

  it('errors are results, never rejections: no reader, bad client secret, a finished PaymentIntent', async () => {
    const { token } = await setup();
    const bare = loadSdk().create({ onFetchConnectionToken: token, onUnexpectedReaderDisconnect: () => undefined });
    const noReader = await bare.collectPaymentMethod('pi_x_secret_y');
    expect(isError(noReader) && noReader.error.code).toBe('no_established_connection');
    const { terminal } = await connected(token);
    const bad = await terminal.collectPaymentMethod('pi_nope_secret_nope');
    expect(isError(bad) && bad.error.code).toBe('resource_missing');
    const pi = await presentPi();
    await stripe.paymentIntents.cancel(pi.id);
    const done = await terminal.collectPaymentMethod(pi.client_secret as string);
    expect(isError(done) && done.error.code).toBe('payment_intent_unexpected_state');
  });

  it('after the emulator forgets the session (reset), the SDK asks for a new token and reports the lost reader', async () => {
    const { token, issued } = await setup();
    const disconnects: unknown[] = [];
    const { terminal } = await connected(token, { onUnexpectedReaderDisconnect: (e) => disconnects.push(e) });
    expect(issued).toHaveLength(1);
    h.emulator.reset();
    // The reset also forgot the location, so the app's token callback now fails: a result, not a throw.
    const result = await terminal.collectPaymentMethod('pi_x_secret_y');
    expect(isError(result) && result.error.code).toBe('failed_fetch_connection_token');
    const again = await terminal.discoverReaders({ simulated: true });
    expect(isError(again) && again.error.code).toBe('failed_fetch_connection_token');
    expect(disconnects).toHaveLength(1);
    expect(terminal.getConnectionStatus()).toBe('not_connected');
  });
});
