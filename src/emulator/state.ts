import type {
  BalanceTransaction,
  Charge,
  CheckoutSession,
  Customer,
  LineItem,
  PaymentIntent,
  PaymentMethod,
  Refund,
  SessionIntentData,
  TerminalLocation,
  TerminalReader,
  WebhookEndpoint,
} from './types';

/** Everything the emulator knows. Maps keep creation order, which lists rely on (newest = last). */
export type State = {
  paymentIntents: Map<string, PaymentIntent>;
  charges: Map<string, Charge>;
  refunds: Map<string, Refund>;
  balanceTransactions: Map<string, BalanceTransaction>;
  customers: Map<string, Customer>;
  deletedCustomers: Set<string>;
  paymentMethods: Map<string, PaymentMethod>;
  checkoutSessions: Map<string, CheckoutSession>;
  lineItems: Map<string, LineItem[]>;
  sessionIntentData: Map<string, SessionIntentData>;
  locations: Map<string, TerminalLocation>;
  readers: Map<string, TerminalReader>;
  webhookEndpoints: Map<string, WebhookEndpoint>;
  webhookSecrets: Map<string, string>;
  /** PaymentMethod id → the card number it stands for (decides declines and refund failures). */
  cardNumbers: Map<string, string>;
  /** PaymentIntent id → unix time its uncaptured authorization expires. */
  holds: Map<string, number>;
  /** Open Checkout Session id → its expires_at. */
  openSessions: Map<string, number>;
  /** Pending refund id → when it turns failed (refund_fail test card). */
  refundFailAt: Map<string, number>;
  /** Pending refund id → when it turns succeeded (pendingRefund test card). */
  refundSucceedAt: Map<string, number>;
  incrementAttempts: Map<string, number>;
  /** PaymentIntent id → where a 3-D Secure redirect returns (Stripe does not echo it on the object). */
  returnUrls: Map<string, string>;
  /** Connection token secret → its location scope and whether the Terminal SDK redeemed it (single use). */
  connectionTokens: Map<string, ConnectionTokenRecord>;
};

export type ConnectionTokenRecord = { location: string | null; created: number; redeemed: boolean };

export function createState(): State {
  return {
    paymentIntents: new Map(),
    charges: new Map(),
    refunds: new Map(),
    balanceTransactions: new Map(),
    customers: new Map(),
    deletedCustomers: new Set(),
    paymentMethods: new Map(),
    checkoutSessions: new Map(),
    lineItems: new Map(),
    sessionIntentData: new Map(),
    locations: new Map(),
    readers: new Map(),
    webhookEndpoints: new Map(),
    webhookSecrets: new Map(),
    cardNumbers: new Map(),
    holds: new Map(),
    openSessions: new Map(),
    refundFailAt: new Map(),
    refundSucceedAt: new Map(),
    incrementAttempts: new Map(),
    returnUrls: new Map(),
    connectionTokens: new Map(),
  };
}

type Dumped = { [K in keyof State]: unknown[] };

/** Plain JSON form; a charge's refund list is stored as ids and relinked on load. */
export function dumpState(state: State): Dumped {
  const out = {} as Dumped;
  for (const key of Object.keys(state) as (keyof State)[]) {
    const value = state[key];
    if (key === 'charges') {
      out.charges = [...state.charges.values()].map((c) => ({ ...c, refunds: { ...c.refunds, data: c.refunds.data.map((r) => r.id) } }));
    } else if (value instanceof Map) out[key] = [...value];
    else out[key] = [...value];
  }
  return out;
}

export function loadState(dumped: Partial<Dumped>): State {
  const state = createState();
  for (const key of Object.keys(state) as (keyof State)[]) {
    const rows = dumped[key];
    if (!Array.isArray(rows)) continue;
    if (key === 'charges') continue;
    const target = state[key];
    if (target instanceof Map) for (const row of rows as [string, never][]) target.set(row[0], row[1]);
    else for (const row of rows as string[]) target.add(row);
  }
  for (const raw of (dumped.charges ?? []) as (Omit<Charge, 'refunds'> & { refunds: { data: string[] } & Omit<Charge['refunds'], 'data'> })[]) {
    const data = raw.refunds.data.map((id) => state.refunds.get(id)).filter((r): r is Refund => r !== undefined);
    state.charges.set(raw.id, { ...raw, refunds: { ...raw.refunds, data } });
  }
  return state;
}
