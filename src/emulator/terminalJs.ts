import type { Core } from './core';
import { ApiError, resourceMissing } from './errors';
import { NO_REQUEST } from './events';
import { allowOnly, paramSet, str } from './form';
import { newRequestId, randomToken } from './ids';
import { attemptPayment } from './resources/paymentAttempt';
import { createCardPaymentMethod } from './resources/paymentMethods';
import type { RouteDef } from './router';
import { snapshot } from './snapshot';
import { runDueWork } from './sweeper';
import { TERMINAL_JS_SOURCE } from './terminalJsScript';
import { numberForReaderName } from './testCards';
import type { PaymentIntent, TerminalReader } from './types';

/**
 * The backend of the fake Terminal JS SDK (`GET /terminal-js/v1`, see terminalJsScript.ts): the
 * calls a page makes with a session got by redeeming a connection token, once. A payment drives
 * the PaymentIntent through the same code as a reader tap, so charges, events and webhooks are
 * what Stripe would have. Sessions live in memory: after a restart the script fetches a new token.
 */

const MAX_TOKENS = 10_000;
const MAX_SESSIONS = 1_000;
export const SIMULATED_READER_ID = 'SIMULATOR';

type Session = {
  location: string | null;
  reader: TerminalReader | null;
  collected: { paymentIntent: string; paymentMethod: string; tip: number } | null;
  display: unknown;
};

export type TerminalJsAnswer = { status: number; headers: Record<string, string>; body: string };

/** Replaces terminal.ts's route: the token is recorded so the SDK can redeem it once, within its location. */
export const connectionTokenRoute: RouteDef = [
  'POST',
  '/v1/terminal/connection_tokens',
  (core, p) => {
    allowOnly(p, paramSet('location'));
    const location = str(p, 'location');
    if (location && !core.state.locations.has(location)) throw resourceMissing('terminal.location', location, 'location');
    const secret = `pst_test_${randomToken(32)}`;
    const tokens = core.state.connectionTokens;
    tokens.set(secret, { location: location ?? null, created: core.now(), redeemed: false });
    if (tokens.size > MAX_TOKENS) tokens.delete(tokens.keys().next().value as string);
    return { object: 'terminal.connection_token', ...(location ? { location } : {}), secret };
  },
];

class SdkError extends Error {
  constructor(
    readonly status: number,
    readonly fields: Record<string, unknown> & { code: string; message: string },
  ) {
    super(fields.message);
  }
}

const CORS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'authorization, content-type',
  'Access-Control-Allow-Private-Network': 'true',
  'Access-Control-Max-Age': '600',
};

export class TerminalJs {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly core: () => Core,
    private readonly afterChange: () => void,
  ) {}

  /** Forgets every session (the emulator's reset). */
  reset(): void {
    this.sessions.clear();
  }

  handle(method: string, path: string, authorization: string | undefined, body: string): TerminalJsAnswer {
    if (method === 'OPTIONS') return { status: 204, headers: { ...CORS }, body: '' };
    if (method === 'GET' && (path === '/terminal-js/v1' || path === '/terminal-js/v1/' || path === '/terminal-js/v1/sdk.js')) {
      return {
        status: 200,
        headers: { ...CORS, 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store', 'Cross-Origin-Resource-Policy': 'cross-origin' },
        body: TERMINAL_JS_SOURCE,
      };
    }
    const core = this.core();
    const json = (status: number, value: unknown): TerminalJsAnswer => ({ status, headers: { ...CORS, 'Content-Type': 'application/json' }, body: JSON.stringify(value) });
    const action = method === 'POST' ? /^\/terminal-js\/v1\/([a-z_]+)$/.exec(path)?.[1] : undefined;
    if (!action) return json(404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `Unknown Terminal SDK route ${method} ${path}` } });
    const bearer = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1] ?? '';
    runDueWork(core);
    core.events.current = { ...NO_REQUEST, id: newRequestId() };
    try {
      let input: Record<string, unknown>;
      try {
        const parsed = body.trim() === '' ? {} : (JSON.parse(body) as unknown);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        input = parsed as Record<string, unknown>;
      } catch {
        throw new SdkError(400, { type: 'invalid_request_error', code: 'invalid_request', message: 'The Terminal SDK sends a JSON object.' });
      }
      const value = action === 'activate' ? this.activate(core, bearer) : this.run(core, action, this.session(bearer), input);
      return json(200, value);
    } catch (err) {
      if (err instanceof SdkError) return json(err.status, { error: { type: 'invalid_request_error', ...err.fields } });
      if (err instanceof ApiError) return json(err.status, { error: { ...err.fields } });
      throw err;
    } finally {
      core.events.current = NO_REQUEST;
    }
  }

  private activate(core: Core, token: string): { session: string; location: string | null } {
    const record = core.state.connectionTokens.get(token);
    if (!record || record.redeemed) {
      throw new SdkError(401, {
        code: 'invalid_connection_token',
        message: record ? 'This connection token was already used: fetch a new one from your server for each connection.' : 'Invalid connection token.',
      });
    }
    record.redeemed = true;
    this.afterChange();
    const id = `tjs_session_${randomToken(32)}`;
    this.sessions.set(id, { location: record.location, reader: null, collected: null, display: null });
    if (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value as string);
    return { session: id, location: record.location };
  }

  private session(id: string): Session {
    const s = this.sessions.get(id);
    if (!s) throw new SdkError(401, { code: 'session_expired', message: 'The Terminal SDK session is unknown or expired: fetch a new connection token.' });
    return s;
  }

  private run(core: Core, action: string, s: Session, input: Record<string, unknown>): unknown {
    switch (action) {
      case 'discover':
        return { discoveredReaders: this.discover(core, s, input) };
      case 'connect':
        return { reader: this.connect(core, s, input) };
      case 'disconnect':
        s.reader = null;
        s.collected = null;
        return {};
      case 'collect':
        return { paymentIntent: this.collect(core, s, input) };
      case 'cancel_collect':
        s.collected = null;
        return {};
      case 'process':
        return { paymentIntent: this.process(core, s, input) };
      case 'display':
        connected(s);
        s.display = input.clear === true ? null : (input.display ?? null);
        return {};
    }
    throw new SdkError(404, { code: 'resource_missing', message: `Unknown Terminal SDK action ${action}` });
  }

  private discover(core: Core, s: Session, input: Record<string, unknown>): TerminalReader[] {
    const asked = typeof input.location === 'string' ? input.location : null;
    if (asked !== null && s.location !== null && asked !== s.location) {
      throw new SdkError(400, { code: 'invalid_location', message: `This connection token is scoped to location ${s.location}; it cannot discover readers in ${asked}.` });
    }
    const location = asked ?? s.location;
    if (input.simulated === true) return [simulatedReader(core, location)];
    const all = [...core.state.readers.values()];
    return all.filter((r) => location === null || r.location === location).map((r) => snapshot(r));
  }

  private connect(core: Core, s: Session, input: Record<string, unknown>): TerminalReader {
    if (s.reader) throw new SdkError(400, { code: 'already_connected', message: 'Already connected to a reader. Disconnect first.' });
    const id = typeof input.reader === 'string' ? input.reader : '';
    if (id === SIMULATED_READER_ID) {
      s.reader = simulatedReader(core, s.location);
      return snapshot(s.reader);
    }
    const reader = core.state.readers.get(id);
    if (!reader) throw new SdkError(400, { code: 'reader_connection_error', message: `No reader ${id} to connect to.` });
    if (s.location !== null && reader.location !== s.location) {
      throw new SdkError(400, { code: 'invalid_location', message: `Reader ${id} is not in location ${s.location}, the location this connection token is scoped to.` });
    }
    const other = [...this.sessions.values()].find((o) => o !== s && o.reader?.id === id);
    if (other) {
      if (input.fail_if_in_use === true) throw new SdkError(400, { code: 'reader_busy', message: `Reader ${id} is connected to another point of sale.` });
      other.reader = null;
      other.collected = null;
    }
    s.reader = reader;
    return snapshot(reader);
  }

  private collect(core: Core, s: Session, input: Record<string, unknown>): unknown {
    connected(s);
    const secret = typeof input.client_secret === 'string' ? input.client_secret : '';
    const pi = byClientSecret(core, secret);
    if (!pi.payment_method_types.includes('card_present')) {
      throw new SdkError(400, { code: 'invalid_request', message: `PaymentIntent ${pi.id} does not accept card_present; create it with payment_method_types[]=card_present.` });
    }
    if (pi.status !== 'requires_payment_method' && pi.status !== 'requires_confirmation') {
      throw new SdkError(400, {
        code: 'payment_intent_unexpected_state',
        message: `This PaymentIntent has a status of ${pi.status}; only one in requires_payment_method or requires_confirmation can collect a payment method.`,
        payment_intent: snapshot(pi),
      });
    }
    const sim = typeof input.simulator === 'object' && input.simulator !== null ? (input.simulator as Record<string, unknown>) : {};
    const named = typeof sim.testPaymentMethod === 'string' && sim.testPaymentMethod !== '' ? sim.testPaymentMethod : null;
    const numberFromName = named === null ? undefined : numberForReaderName(named);
    if (named !== null && numberFromName === undefined) {
      throw new SdkError(400, { code: 'invalid_request', message: `Unknown testPaymentMethod '${named}'.` });
    }
    const number = typeof sim.testCardNumber === 'string' && sim.testCardNumber !== '' ? sim.testCardNumber : (numberFromName ?? '4242424242424242');
    const tip = typeof sim.tipAmount === 'number' && Number.isSafeInteger(sim.tipAmount) && sim.tipAmount > 0 ? sim.tipAmount : 0;
    let pm;
    try {
      pm = createCardPaymentMethod(core, number, 'card_present', { param: 'testCardNumber' });
    } catch (err) {
      if (err instanceof ApiError) throw new SdkError(400, { code: err.fields.code ?? 'invalid_request', message: err.fields.message });
      throw err;
    }
    s.collected = { paymentIntent: pi.id, paymentMethod: pm.id, tip };
    return { ...snapshot(pi), sdk_payment_details: snapshot(pm) };
  }

  private process(core: Core, s: Session, input: Record<string, unknown>): unknown {
    const reader = connected(s);
    const id = typeof input.payment_intent === 'string' ? input.payment_intent : '';
    const collected = s.collected;
    if (!collected || collected.paymentIntent !== id) {
      throw new SdkError(400, { code: 'no_active_collect_payment_method_attempt', message: 'No payment method was collected for this PaymentIntent: call collectPaymentMethod first.' });
    }
    const pi = core.state.paymentIntents.get(id);
    const pm = core.state.paymentMethods.get(collected.paymentMethod);
    if (!pi || !pm) throw resourceMissing('payment_intent', id, 'payment_intent');
    s.collected = null;
    if (pi.status !== 'requires_payment_method' && pi.status !== 'requires_confirmation') {
      throw new SdkError(400, {
        code: 'payment_intent_unexpected_state',
        message: `This PaymentIntent has a status of ${pi.status} and can no longer be processed.`,
        payment_intent: snapshot(pi),
      });
    }
    if (collected.tip > 0) {
      pi.amount += collected.tip;
      pi.amount_details = { tip: { amount: collected.tip } };
    }
    const error = attemptPayment(core, pi, pm, { reader: reader.id, location: reader.location });
    this.afterChange();
    if (error) {
      const f = error.fields;
      throw new SdkError(error.status, {
        type: f.type,
        code: f.code ?? 'card_declined',
        ...(f.decline_code ? { decline_code: f.decline_code } : {}),
        message: f.message,
        payment_intent: snapshot(pi),
      });
    }
    return snapshot(pi);
  }
}

function connected(s: Session): TerminalReader {
  if (!s.reader) throw new SdkError(400, { code: 'no_established_connection', message: 'No reader is connected: connect to a reader first.' });
  return s.reader;
}

function byClientSecret(core: Core, secret: string): PaymentIntent {
  const cut = secret.indexOf('_secret_');
  const pi = cut > 0 ? core.state.paymentIntents.get(secret.slice(0, cut)) : undefined;
  if (!pi || pi.client_secret !== secret) {
    throw new SdkError(400, { code: 'resource_missing', message: 'No such PaymentIntent for that client secret.' });
  }
  return pi;
}

/** The SDK's own simulated reader: not a registered Reader object, as with Stripe (id SIMULATOR). */
function simulatedReader(core: Core, location: string | null): TerminalReader {
  return {
    id: SIMULATED_READER_ID,
    object: 'terminal.reader',
    action: null,
    device_sw_version: '2.37.2.0',
    device_type: 'simulated_wisepos_e',
    ip_address: '0.0.0.0',
    label: 'Simulated reader',
    last_seen_at: core.clock.nowMs(),
    livemode: false,
    location,
    metadata: {},
    serial_number: SIMULATED_READER_ID,
    status: 'online',
  };
}
