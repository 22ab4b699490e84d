import { z } from 'zod';
import { MAX_MINOR, exponentOf, moneySchema, minorSchema } from '../money';
import type { CurrencyCode } from '../money';
import { HOLD_STATES } from './deposits';
import { method } from './define';
import { idSchema, instantSchema, requiredText } from './fields';
import { pinSchema } from './staff';

/**
 * Payments at the counter (issue #12): card on a reader, cash, split payments, receipts and the
 * unpaid-handover override. The renderer names a booking and a choice; main computes every
 * amount (balance of the booking's current quote minus what is paid). An `amount` in an input is
 * only a request for a part of that balance: main refuses it above the balance, zero, negative or
 * fractional, and never charges it as given without that check.
 */

export const PAYMENT_METHODS = ['card_present', 'card', 'cash'] as const;
/**
 * pending: written, Stripe not yet answered; requires_action: waiting for the card on the reader
 * (or a retry after a decline, same PaymentIntent); processing: Stripe is confirming;
 * succeeded / failed / canceled are final.
 */
export const PAYMENT_STATUSES = ['pending', 'requires_action', 'processing', 'authorized', 'succeeded', 'failed', 'canceled'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** One try of a card on a payment (a decline and the retry on the same PaymentIntent are two attempts). */
export const paymentAttemptSchema = z.object({
  at: instantSchema,
  outcome: z.enum(['succeeded', 'declined', 'failed', 'canceled', 'timed_out']),
  /** Stripe's decline_code or error code, e.g. "insufficient_funds"; null on success. */
  code: z.string().nullable(),
  /** The sentence the clerk saw, e.g. "The card was declined for insufficient funds. Ask for another card." */
  message: z.string().nullable(),
  cardBrand: z.string().nullable(),
  cardLast4: z.string().nullable(),
});

/**
 * A deposit hold's story for the payment history (the deposits capability's numbers): what the
 * card has held, what was captured from it and what went back. A top-up (incremental
 * authorization) is its own payment row and names the hold it grew.
 */
export const paymentHoldSchema = z.object({
  state: z.enum(HOLD_STATES),
  authorized: moneySchema,
  captured: moneySchema.nullable(),
  released: moneySchema.nullable(),
  topUpOf: idSchema.nullable(),
});
export type PaymentHold = z.infer<typeof paymentHoldSchema>;

export const paymentSchema = z.object({
  id: idSchema,
  bookingId: idSchema,
  kind: z.enum(['charge', 'deposit_hold']),
  method: z.enum(PAYMENT_METHODS),
  status: z.enum(PAYMENT_STATUSES),
  amount: moneySchema,
  /** Cash only: what the customer handed over, and the change given back. */
  tendered: moneySchema.nullable(),
  change: moneySchema.nullable(),
  cardBrand: z.string().nullable(),
  cardLast4: z.string().nullable(),
  /** The issuer's authorization code from the charge (printed on the receipt). */
  authCode: z.string().nullable(),
  stripePaymentIntentId: z.string().nullable(),
  stripeChargeId: z.string().nullable(),
  /** From the charge's balance transaction once Stripe has it; null until then (and for cash). */
  fee: moneySchema.nullable(),
  net: moneySchema.nullable(),
  /** Last decline or error: Stripe's code and the clerk's sentence with the next step. */
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  /** The reader this payment was sent to (card_present), else null. */
  readerId: z.string().nullable(),
  /** True when this till started the payment (only this till may cancel or retry it). */
  thisTill: z.boolean(),
  attempts: z.array(paymentAttemptSchema),
  /** Deposit holds only (kind `deposit_hold`): held, captured, released; null for a charge. */
  hold: paymentHoldSchema.nullable().default(null),
  staffName: z.string(),
  createdAt: instantSchema,
  updatedAt: instantSchema,
});
export type Payment = z.infer<typeof paymentSchema>;

export const READER_STATUSES = ['online', 'busy', 'offline'] as const;
export const READER_DRIVERS = ['simulated', 'server-driven', 'terminal-js'] as const;
export type ReaderDriverKind = (typeof READER_DRIVERS)[number];

export const readerSchema = z.object({
  /** Stripe's reader id (tmr_…). */
  id: z.string(),
  label: z.string(),
  deviceType: z.string(),
  status: z.enum(READER_STATUSES),
  /** What the reader is doing now: a payment on this till, or on another till (busy). */
  action: z
    .object({
      type: z.string(),
      status: z.enum(['in_progress', 'succeeded', 'failed']),
      /** Our payment id when the action is one of this till's payments. */
      paymentId: idSchema.nullable(),
    })
    .nullable(),
  selected: z.boolean(),
});
export type Reader = z.infer<typeof readerSchema>;

/** What the demo reader panel can make the simulated reader do. */
export const SIMULATED_OUTCOMES = [
  'approve',
  'card_declined',
  'insufficient_funds',
  'lost_card',
  'stolen_card',
  'expired_card',
  'incorrect_cvc',
  'processing_error',
  'incorrect_number',
  'card_velocity_exceeded',
  'card_removed',
  'timeout',
] as const;
export type SimulatedOutcome = (typeof SIMULATED_OUTCOMES)[number];

export const bookingPaymentsSchema = z.object({
  bookingId: idSchema,
  bookingRef: z.string(),
  bookingStatus: z.string(),
  total: moneySchema,
  /** Σ succeeded payments minus refunds. */
  paid: moneySchema,
  /** What the counter still has to take now (never negative here; see bookings for money owed back). */
  balanceDue: moneySchema,
  /** Every payment on the booking, oldest first, each with its attempts. */
  payments: z.array(paymentSchema),
  /** The payment in progress on this till, if any (the Charge panel follows it). */
  active: paymentSchema.nullable(),
  /** The selected reader and its state, or null when none is paired. */
  reader: readerSchema.nullable(),
  driver: z.enum(READER_DRIVERS),
  /** True when the balance is paid or a manager approved handing the keys over unpaid. */
  handoverAllowed: z.boolean(),
  handoverOverride: z.object({ by: z.string(), reason: z.string(), at: instantSchema }).nullable(),
});
export type BookingPayments = z.infer<typeof bookingPaymentsSchema>;

export const receiptSchema = z.object({
  shop: z.object({ name: z.string(), address: z.string(), phone: z.string() }),
  booking: z.object({
    id: idSchema,
    ref: z.string(),
    customerName: z.string(),
    vehicle: z.string(),
    plate: z.string(),
    pickupAt: instantSchema,
    returnAt: instantSchema,
    /** The pickup and return locations' time zones ('' = the shop's): the times print on those clocks. */
    pickupTimeZone: z.string().default(''),
    returnTimeZone: z.string().default(''),
  }),
  lines: z.array(z.object({ description: z.string(), amount: moneySchema })),
  total: moneySchema,
  payments: z.array(
    z.object({
      id: idSchema,
      method: z.enum(PAYMENT_METHODS),
      amount: moneySchema,
      cardBrand: z.string().nullable(),
      cardLast4: z.string().nullable(),
      authCode: z.string().nullable(),
      stripeId: z.string().nullable(),
      tendered: moneySchema.nullable(),
      change: moneySchema.nullable(),
      at: instantSchema,
    }),
  ),
  paid: moneySchema,
  balanceDue: moneySchema,
  /** The deposit's story (held, captured, released, expired), one line each; from the deposits capability. */
  deposits: z.array(z.object({ description: z.string(), amount: moneySchema })).default([]),
  printedAt: instantSchema,
});
export type Receipt = z.infer<typeof receiptSchema>;

/**
 * What startCard and retry answer: the payment, plus in terminal-js mode only the
 * PaymentIntent's client secret for the renderer's Terminal SDK (never in other modes). The
 * client secret is not the secret key: it only lets Stripe's SDK collect and process this one
 * PaymentIntent.
 */
export const cardStartSchema = paymentSchema.extend({ clientSecret: z.string().nullable().optional() });

/** A part of the balance to take (split payments). Omit for the whole balance. */
const partAmountSchema = minorSchema.optional();

/**
 * The most change a drawer gives on one cash payment, in the currency's major units: about
 * €500 of value, rounded to the currency's notes. More handed over than the amount plus this is
 * a typing slip (100000000 for a €50 payment), never a customer's cash, and is refused.
 */
export const MAX_CASH_CHANGE_MAJOR: Record<CurrencyCode, number> = {
  EUR: 500, USD: 500, GBP: 500, CHF: 500, AUD: 1_000, CAD: 1_000, NZD: 1_000, SGD: 1_000, HKD: 5_000, DKK: 5_000, NOK: 5_000, SEK: 5_000,
  CZK: 10_000, PLN: 2_000, HUF: 200_000, ISK: 100_000, JPY: 100_000, KRW: 1_000_000, MXN: 10_000, ZAR: 10_000, BHD: 200, KWD: 200,
};

/** The most cash Keydesk accepts as handed over for `amount` (minor units). */
export function maxTendered(amount: number, currency: CurrencyCode): number {
  return amount + MAX_CASH_CHANGE_MAJOR[currency] * 10 ** exponentOf(currency);
}

/** What the customer handed over, in minor units: whole, not negative; main caps it by the amount taken (maxTendered). */
const tenderedSchema = z
  .number({ message: 'Enter the cash the customer handed over' })
  .int({ message: 'Enter the cash handed over in whole cents' })
  .min(0, { message: 'The cash handed over cannot be negative' })
  .max(MAX_MINOR, { message: 'That is far more cash than any payment takes. Count the cash again' });

export const paymentMethods = {
  'payments.forBooking': method({
    access: 'clerk',
    summary: "A booking's balance due, every payment with its attempts, and the reader's state",
    input: z.object({ bookingId: idSchema }).strict(),
    output: bookingPaymentsSchema,
  }),
  'payments.startCard': method({
    access: 'clerk',
    summary: 'Charge the balance (or a part of it) on the selected reader; answers at once, progress via payments.changed',
    input: z.object({ bookingId: idSchema, amount: partAmountSchema, readerId: z.string().max(100).optional() }).strict(),
    output: cardStartSchema,
  }),
  'payments.get': method({
    access: 'clerk',
    summary: 'One payment with its attempts',
    input: z.object({ paymentId: idSchema }).strict(),
    output: paymentSchema,
  }),
  'payments.cancel': method({
    access: 'clerk',
    summary: "Stop a card payment in progress (cancels the reader's action and the PaymentIntent)",
    input: z.object({ paymentId: idSchema }).strict(),
    output: paymentSchema,
  }),
  'payments.retry': method({
    access: 'clerk',
    summary: 'Try another card after a decline, on the same PaymentIntent',
    input: z.object({ paymentId: idSchema, readerId: z.string().max(100).optional() }).strict(),
    output: cardStartSchema,
  }),
  'payments.confirmFromReader': method({
    access: 'clerk',
    summary: "terminal-js: the renderer's SDK finished (or gave up); main retrieves the PaymentIntent and only Stripe's status decides",
    input: z.object({ paymentId: idSchema }).strict(),
    output: paymentSchema,
  }),
  'payments.cash': method({
    access: 'clerk',
    summary: 'Take cash: the balance (or a part), the amount handed over, and the change due',
    input: z.object({ bookingId: idSchema, amount: partAmountSchema, tendered: tenderedSchema }).strict(),
    output: z.object({ payment: paymentSchema, change: moneySchema, balanceDue: moneySchema, shiftOpenedImplicitly: z.boolean() }),
  }),
  'payments.approveUnpaidHandover': method({
    access: 'clerk',
    summary: "Let the keys go with a balance due: a manager's PIN and a reason, audited",
    input: z
      .object({ bookingId: idSchema, managerId: idSchema, pin: pinSchema, reason: requiredText('Reason', 500) })
      .strict(),
    output: bookingPaymentsSchema,
  }),
  'readers.list': method({
    access: 'clerk',
    summary: "The location's readers with their state; the selected one first",
    input: z.object({}).strict(),
    output: z.object({
      driver: z.enum(READER_DRIVERS),
      readers: z.array(readerSchema),
      /** terminal-js only: where the Terminal SDK script comes from (the emulator's stand-in in demo and tests, Stripe's otherwise), and the Terminal location its tokens are scoped to. */
      terminalJs: z.object({ scriptUrl: z.string(), location: z.string().nullable(), simulated: z.boolean() }).nullable().default(null),
    }),
  }),
  'readers.select': method({
    access: 'clerk',
    summary: "Choose this till's reader (kept in settings)",
    input: z.object({ readerId: z.string().min(1).max(100) }).strict(),
    output: readerSchema,
  }),
  'readers.simulate': method({
    access: 'clerk',
    summary: 'Demo only: present a test card on the simulated reader (approve, a decline, card removed, timeout)',
    input: z.object({ readerId: z.string().min(1).max(100), outcome: z.enum(SIMULATED_OUTCOMES) }).strict(),
    output: z.object({ ok: z.literal(true) }),
  }),
  'readers.connectionToken': method({
    access: 'clerk',
    summary: 'terminal-js only: a single-use connection token scoped to this location (never the secret key)',
    input: z.object({}).strict(),
    output: z.object({ secret: z.string() }),
  }),
  'receipts.get': method({
    access: 'clerk',
    summary: "The booking's receipt: shop, lines, payments with card and Stripe ids, change given",
    input: z.object({ bookingId: idSchema }).strict(),
    output: receiptSchema,
  }),
} as const;

/** Pushed whenever a payment on a booking moves (reader progress, decline, paid, reconcile). */
export const paymentEvents = {
  'payments.changed': z.object({ bookingId: idSchema, paymentId: idSchema.nullable(), status: z.enum(PAYMENT_STATUSES).nullable() }),
} as const;
