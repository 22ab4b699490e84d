import type Stripe from 'stripe';
import { backoffDelay } from '../core/backoff';
import type { BackoffOptions } from '../core/backoff';
import { createStripeClient } from './gateway';
import type { StripeEndpoint } from './gateway';
import { toPosError } from './stripeErrors';

/**
 * The typed gateway every capability uses to talk to Stripe (DESIGN §1: the only module that
 * imports `stripe`). Three rules hold for every call:
 * - every mutating call carries an Idempotency-Key the caller derives from its own local row id
 *   (`idempotencyKey(rowId, step)`), so a retry after a lost answer can never charge twice;
 * - connection errors, 409 and 5xx are retried with backoff, and 429 too when Stripe says so,
 *   always honouring `Stripe-Should-Retry` (stripe-node's own retries are off: it would not retry
 *   a 429 and would hide the attempts from us);
 * - every error leaves as a `PosError` through `toPosError`.
 */

export type GatewayOptions = {
  /** Retries after the first try. Default 3. */
  retries?: number;
  backoff?: BackoffOptions;
  timeoutMs?: number;
  /** Tests make waits instant. */
  sleep?: (ms: number) => Promise<void>;
};

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 4_000, factor: 2 };

/** The one rule for idempotency keys: the local row id plus the step (a retry of a step reuses it). */
export function idempotencyKey(rowId: string, step: string): string {
  return `kd_${rowId}_${step}`;
}

type Idem = { idempotencyKey: string };

/** Stripe's object types, for callers (services never import `stripe` themselves). */
export type StripePaymentIntent = Stripe.PaymentIntent;
export type StripeReader = Stripe.Terminal.Reader;
export type StripeReaderAction = Stripe.Terminal.Reader.Action;
export type StripeRefund = Stripe.Refund;
/** A plain stripe-node client (tests read the emulator's ledger with it). */
export type StripeClient = Stripe;
type ListParams = { limit?: number; starting_after?: string; created?: { gte?: number; lte?: number } };

export type StripeGateway = {
  readonly endpoint: StripeEndpoint;
  paymentIntents: {
    create(params: Stripe.PaymentIntentCreateParams, o: Idem): Promise<Stripe.PaymentIntent>;
    retrieve(id: string, params?: Stripe.PaymentIntentRetrieveParams): Promise<Stripe.PaymentIntent>;
    confirm(id: string, params: Stripe.PaymentIntentConfirmParams, o: Idem): Promise<Stripe.PaymentIntent>;
    capture(id: string, params: Stripe.PaymentIntentCaptureParams, o: Idem): Promise<Stripe.PaymentIntent>;
    cancel(id: string, params: Stripe.PaymentIntentCancelParams, o: Idem): Promise<Stripe.PaymentIntent>;
    incrementAuthorization(id: string, params: Stripe.PaymentIntentIncrementAuthorizationParams, o: Idem): Promise<Stripe.PaymentIntent>;
    list(params: Stripe.PaymentIntentListParams): Promise<Stripe.ApiList<Stripe.PaymentIntent>>;
  };
  refunds: {
    create(params: Stripe.RefundCreateParams, o: Idem): Promise<Stripe.Refund>;
    retrieve(id: string): Promise<Stripe.Refund>;
    list(params: Stripe.RefundListParams): Promise<Stripe.ApiList<Stripe.Refund>>;
  };
  readers: {
    list(params: Stripe.Terminal.ReaderListParams): Promise<Stripe.ApiList<Stripe.Terminal.Reader>>;
    retrieve(id: string): Promise<Stripe.Terminal.Reader>;
    register(params: Stripe.Terminal.ReaderCreateParams, o: Idem): Promise<Stripe.Terminal.Reader>;
    processPaymentIntent(id: string, params: Stripe.Terminal.ReaderProcessPaymentIntentParams, o: Idem): Promise<Stripe.Terminal.Reader>;
    cancelAction(id: string, o: Idem): Promise<Stripe.Terminal.Reader>;
    setDisplay(id: string, params: Stripe.Terminal.ReaderSetReaderDisplayParams, o: Idem): Promise<Stripe.Terminal.Reader>;
    /** Simulated readers only (demo, tests): the customer taps this card. */
    /** Emulator only (demo): the reader's action fails as "card removed" or "customer canceled". */
    failTestAction(id: string, code: 'card_removed' | 'customer_canceled' | 'incorrect_number' | 'card_velocity_exceeded', o: Idem): Promise<Stripe.Terminal.Reader>;
    presentTestCard(id: string, params: NonNullable<Parameters<Stripe["testHelpers"]["terminal"]["readers"]["presentPaymentMethod"]>[1]>, o: Idem): Promise<Stripe.Terminal.Reader>;
  };
  locations: {
    list(params: ListParams): Promise<Stripe.ApiList<Stripe.Terminal.Location>>;
    create(params: Stripe.Terminal.LocationCreateParams, o: Idem): Promise<Stripe.Terminal.Location>;
  };
  connectionTokens: { create(params: { location?: string }, o: Idem): Promise<Stripe.Terminal.ConnectionToken> };
  checkoutSessions: {
    create(params: Stripe.Checkout.SessionCreateParams, o: Idem): Promise<Stripe.Checkout.Session>;
    retrieve(id: string): Promise<Stripe.Checkout.Session>;
    expire(id: string, o: Idem): Promise<Stripe.Checkout.Session>;
  };
  events: { list(params: Stripe.EventListParams): Promise<Stripe.ApiList<Stripe.Event>> };
  balanceTransactions: { retrieve(id: string): Promise<Stripe.BalanceTransaction> };
};

class MissingIdempotencyKey extends Error {
  constructor() {
    super('every mutating Stripe call needs an idempotency key');
  }
}

type ErrLike = { type?: unknown; statusCode?: unknown; headers?: Record<string, unknown> };

/** What stripe-node would do, plus 429: retry unless Stripe said not to. */
export function shouldRetry(err: unknown): boolean {
  const e = (err && typeof err === 'object' ? err : {}) as ErrLike;
  const header = e.headers?.['stripe-should-retry'];
  if (header === 'false') return false;
  if (header === 'true') return true;
  if (e.type === 'StripeConnectionError') return true;
  const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
  return status === 409 || status === 429 || status >= 500;
}

export function createStripeGateway(endpoint: StripeEndpoint, opts: GatewayOptions = {}): StripeGateway {
  const client = createStripeClient(endpoint, { timeoutMs: opts.timeoutMs ?? 15_000, maxNetworkRetries: 0 });
  const retries = opts.retries ?? 3;
  const backoff = opts.backoff ?? DEFAULT_BACKOFF;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  async function call<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (err instanceof MissingIdempotencyKey) throw err;
        if (attempt >= retries || !shouldRetry(err)) throw toPosError(err);
        await sleep(backoffDelay(attempt + 1, backoff));
      }
    }
  }
  const idem = (o: Idem): Stripe.RequestOptions => {
    if (!o.idempotencyKey) throw new MissingIdempotencyKey();
    return { idempotencyKey: o.idempotencyKey };
  };

  return {
    endpoint,
    paymentIntents: {
      create: (p, o) => call(() => client.paymentIntents.create(p, idem(o))),
      retrieve: (id, p) => call(() => client.paymentIntents.retrieve(id, p)),
      confirm: (id, p, o) => call(() => client.paymentIntents.confirm(id, p, idem(o))),
      capture: (id, p, o) => call(() => client.paymentIntents.capture(id, p, idem(o))),
      cancel: (id, p, o) => call(() => client.paymentIntents.cancel(id, p, idem(o))),
      incrementAuthorization: (id, p, o) => call(() => client.paymentIntents.incrementAuthorization(id, p, idem(o))),
      list: (p) => call(() => client.paymentIntents.list(p)),
    },
    refunds: {
      create: (p, o) => call(() => client.refunds.create(p, idem(o))),
      retrieve: (id) => call(() => client.refunds.retrieve(id)),
      list: (p) => call(() => client.refunds.list(p)),
    },
    readers: {
      list: (p) => call(() => client.terminal.readers.list(p)),
      retrieve: (id) => call(async () => asReader(await client.terminal.readers.retrieve(id))),
      register: (p, o) => call(() => client.terminal.readers.create(p, idem(o))),
      processPaymentIntent: (id, p, o) => call(() => client.terminal.readers.processPaymentIntent(id, p, idem(o))),
      cancelAction: (id, o) => call(async () => asReader(await client.terminal.readers.cancelAction(id, {}, idem(o)))),
      setDisplay: (id, p, o) => call(() => client.terminal.readers.setReaderDisplay(id, p, idem(o))),
      failTestAction: (id, code, o) =>
        call(() => client.rawRequest('POST', `/v1/test_helpers/terminal/readers/${encodeURIComponent(id)}/fail_action`, { failure_code: code }, idem(o)) as Promise<Stripe.Terminal.Reader>),
      presentTestCard: (id, p, o) => call(() => client.testHelpers.terminal.readers.presentPaymentMethod(id, p, idem(o))),
    },
    locations: {
      list: (p) => call(() => client.terminal.locations.list(p) as unknown as Promise<Stripe.ApiList<Stripe.Terminal.Location>>),
      create: (p, o) => call(() => client.terminal.locations.create(p, idem(o))),
    },
    connectionTokens: { create: (p, o) => call(() => client.terminal.connectionTokens.create(p, idem(o))) },
    checkoutSessions: {
      create: (p, o) => call(() => client.checkout.sessions.create(p, idem(o))),
      retrieve: (id) => call(() => client.checkout.sessions.retrieve(id)),
      expire: (id, o) => call(() => client.checkout.sessions.expire(id, {}, idem(o))),
    },
    events: { list: (p) => call(() => client.events.list(p)) },
    balanceTransactions: { retrieve: (id) => call(() => client.balanceTransactions.retrieve(id)) },
  };
}

function asReader(r: Stripe.Terminal.Reader | Stripe.Terminal.DeletedReader): Stripe.Terminal.Reader {
  if ('deleted' in r && r.deleted) throw toPosError({ type: 'StripeInvalidRequestError', code: 'resource_missing' });
  return r as Stripe.Terminal.Reader;
}

/**
 * Where the Stripe key comes from: one holder per app. Demo mode sets the emulator's endpoint
 * once it listens; test and live mode will set the key from the setup screen's secure store.
 */
export type StripeAccess = {
  set(endpoint: StripeEndpoint | null, opts?: GatewayOptions): void;
  /** The gateway, or null while no key is set (a sentence for the clerk comes from the caller). */
  gateway(): StripeGateway | null;
};

export function createStripeAccess(): StripeAccess {
  let current: StripeGateway | null = null;
  return {
    set(endpoint, opts) {
      current = endpoint ? createStripeGateway(endpoint, opts) : null;
    },
    gateway: () => current,
  };
}
