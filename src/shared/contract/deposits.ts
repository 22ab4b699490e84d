import { z } from 'zod';
import { currencySchema, moneySchema, nonNegativeMinorSchema } from '../money';
import { method } from './define';
import { idSchema, instantSchema, requiredText } from './fields';
import { pinSchema } from './staff';

/**
 * Deposits and pay-by-link (issue #13). The renderer names a booking and a choice; main computes
 * every amount: the deposit from the policy (or a manager's override), what is captured from the
 * hold at return (the booking's balance after check-in), and what a pay link asks for.
 */

/** The deposit by vehicle class and rental length, with a floor. Amounts in the shop's currency. */
export const depositPolicySchema = z.object({
  currency: currencySchema,
  /** No deposit is ever below this (0 turns deposits off unless a class asks for one). */
  minimum: nonNegativeMinorSchema,
  /** For classes without their own line. */
  defaultAmount: nonNegativeMinorSchema,
  /** Rentals of at least this many days use the class's `longAmount`. */
  longRentalDays: z.number().int().min(2).max(365),
  classes: z
    .array(z.object({ classCode: z.string().min(1).max(40), amount: nonNegativeMinorSchema, longAmount: nonNegativeMinorSchema }))
    .max(50),
});
export type DepositPolicy = z.infer<typeof depositPolicySchema>;

export const HOLD_STATES = ['pending', 'held', 'capturing', 'releasing', 'captured', 'released', 'expired', 'failed', 'canceled'] as const;
export type HoldState = (typeof HOLD_STATES)[number];

export const holdSchema = z.object({
  paymentId: idSchema,
  state: z.enum(HOLD_STATES),
  /** What is authorized on the card now (grows with incremental authorizations). */
  authorized: moneySchema,
  captured: moneySchema.nullable(),
  released: moneySchema.nullable(),
  /** Stripe's `capture_before` from the charge; null until the card was read. Never assumed. */
  captureBefore: instantSchema.nullable(),
  extended: z.boolean(),
  incremental: z.boolean(),
  /** True when the hold lapses before the vehicle is due back. */
  expiresBeforeReturn: z.boolean(),
  cardBrand: z.string().nullable(),
  cardLast4: z.string().nullable(),
  /** A sentence for the clerk when Stripe let the hold expire or cancelled it, or the card was declined. */
  flag: z.string().nullable(),
  errorMessage: z.string().nullable(),
  replacedBy: idSchema.nullable(),
  createdAt: instantSchema,
});
export type Hold = z.infer<typeof holdSchema>;

export const PAY_LINK_STATUSES = ['creating', 'open', 'paid', 'expired', 'failed'] as const;
export const payLinkSchema = z.object({
  id: idSchema,
  bookingId: idSchema,
  paymentId: idSchema,
  amount: moneySchema,
  status: z.enum(PAY_LINK_STATUSES),
  url: z.string().nullable(),
  expiresAt: instantSchema,
  createdAt: instantSchema,
});
export type PayLink = z.infer<typeof payLinkSchema>;

export const depositViewSchema = z.object({
  bookingId: idSchema,
  bookingRef: z.string(),
  bookingStatus: z.string(),
  returnAt: instantSchema,
  required: moneySchema,
  /** Why this amount, e.g. "Midsize, 3 days: €300.00 (minimum €200.00)" or the manager's reason. */
  reason: z.string(),
  override: z.object({ by: z.string(), reason: z.string(), at: instantSchema }).nullable(),
  /** Σ authorized on holds that are held now. */
  held: moneySchema,
  /** The hold the counter works with (the newest held or in progress), if any. */
  active: holdSchema.nullable(),
  holds: z.array(holdSchema),
  /** After check-in: what settling would do; null before the vehicle is back. */
  settlement: z
    .object({ due: moneySchema, capture: moneySchema, release: moneySchema, remaining: moneySchema })
    .nullable(),
  links: z.array(payLinkSchema),
  /** The booking's balance due now (what a pay link would ask for). */
  balanceDue: moneySchema,
});
export type DepositView = z.infer<typeof depositViewSchema>;

export const expiringHoldSchema = z.object({
  bookingId: idSchema,
  bookingRef: z.string(),
  customerName: z.string(),
  plate: z.string(),
  returnAt: instantSchema,
  hold: holdSchema,
});

const byBooking = z.object({ bookingId: idSchema }).strict();
const readerId = z.string().max(100).optional();

export const depositMethods = {
  'deposits.policy': method({
    access: 'clerk',
    summary: 'The deposit policy: amount by vehicle class and rental length, with a minimum',
    input: z.object({}).strict(),
    output: depositPolicySchema,
  }),
  'deposits.setPolicy': method({
    access: 'manager',
    summary: 'Save the deposit policy (audited)',
    input: z.object({ policy: depositPolicySchema }).strict(),
    output: depositPolicySchema,
  }),
  'deposits.forBooking': method({
    access: 'clerk',
    summary: "A booking's deposit: what is required and why, its holds, the settlement at return, pay links",
    input: byBooking,
    output: depositViewSchema,
  }),
  'deposits.override': method({
    access: 'clerk',
    summary: "Change one booking's deposit: a manager's PIN and a reason, audited",
    input: z
      .object({ bookingId: idSchema, amount: nonNegativeMinorSchema, reason: requiredText('Reason', 500), managerId: idSchema, pin: pinSchema })
      .strict(),
    output: depositViewSchema,
  }),
  'deposits.startHold': method({
    access: 'clerk',
    summary: 'Hold the required deposit on the reader (manual capture); answers at once, progress via payments.changed',
    input: z.object({ bookingId: idSchema, readerId }).strict(),
    output: depositViewSchema,
  }),
  'deposits.cancelHold': method({
    access: 'clerk',
    summary: 'Stop a hold waiting on the reader, or release a held deposit before the rental starts',
    input: z.object({ paymentId: idSchema }).strict(),
    output: depositViewSchema,
  }),
  'deposits.settle': method({
    access: 'clerk',
    summary: 'At return: capture what is owed from the hold and release the rest (or release it all)',
    input: byBooking,
    output: depositViewSchema,
  }),
  'deposits.reauthorize': method({
    access: 'manager',
    summary: 'A new hold on the reader for a hold that expires (or expired) before the return; the old one is then released',
    input: z.object({ paymentId: idSchema, readerId }).strict(),
    output: depositViewSchema,
  }),
  'deposits.topUp': method({
    access: 'clerk',
    summary: 'After an extension: raise the hold to the new required deposit (incremental authorization, else a second hold)',
    input: z.object({ bookingId: idSchema, readerId }).strict(),
    output: depositViewSchema,
  }),
  'deposits.refresh': method({
    access: 'clerk',
    summary: "Ask Stripe about this booking's holds and links now",
    input: byBooking,
    output: depositViewSchema,
  }),
  'deposits.expiring': method({
    access: 'manager',
    summary: 'Holds that expire before their vehicle is due back, or that Stripe let lapse',
    input: z.object({}).strict(),
    output: z.array(expiringHoldSchema),
  }),
  'paylinks.create': method({
    access: 'clerk',
    summary: "Send the booking's balance as a pay link (Stripe Checkout) with an expiry; one open link per booking",
    input: byBooking,
    output: payLinkSchema,
  }),
  'paylinks.refresh': method({
    access: 'clerk',
    summary: 'Ask Stripe whether a pay link was paid or expired',
    input: z.object({ linkId: idSchema }).strict(),
    output: payLinkSchema,
  }),
} as const;
