import { z } from 'zod';
import { currencySchema, nonNegativeMinorSchema } from '../money';
import { method } from './define';
import { noteSchema, requiredText } from './fields';
import { MAX_BOOKING_HORIZON_DAYS, MIN_BOOKING_HORIZON_DAYS } from './bookingHorizon';
import { READER_DRIVERS } from './payments';

function isLocale(s: string): boolean {
  try {
    return Intl.getCanonicalLocales(s).length === 1;
  } catch {
    return false;
  }
}

function isTimeZone(s: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: s });
    return true;
  } catch {
    return false;
  }
}

const trimmed = (max: number, what: string) => requiredText(what, max);

/** Settings a shop configures once. Secrets (Stripe key, relay token) are never part of this object. */
export const settingsSchema = z.object({
  shopName: trimmed(80, 'Shop name'),
  counterName: trimmed(40, 'Counter name'),
  currency: currencySchema,
  locale: z.string().refine(isLocale, { message: 'Not a known locale, e.g. en-GB' }),
  timeZone: z.string().refine(isTimeZone, { message: 'Not a known time zone, e.g. Europe/London' }),
  /** Minutes a vehicle needs between one rental and the next. */
  turnaroundMinutes: z.number().int({ message: 'Whole minutes only' }).min(0).max(1440),
  /** Refunds above this amount (minor units, shop currency) need a manager's PIN. */
  refundPinThreshold: nonNegativeMinorSchema,
  /** A clerk's discounts worth more than this share of the booking's price (basis points: 1000 = 10 %) need a manager's PIN. */
  discountPinThresholdBp: z
    .number({ message: 'Enter a percentage from 0 to 100' })
    .int({ message: 'Use at most two decimals, e.g. 12.5' })
    .min(0, { message: 'Cannot be below 0 %' })
    .max(10_000, { message: 'Cannot be above 100 %' }),
  /** Office relay that streams Stripe's webhooks to this counter; empty when not used. */
  relayUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/, message: 'Must be an http(s) address' })]),
  receiptFooter: noteSchema('Receipt footer', 500),
  /** Terms printed on the rental agreement the customer signs at pickup. */
  rentalTerms: noteSchema('Rental terms', 8000),
  /** How many days ahead a booking may start or end (default two years). */
  bookingHorizonDays: z
    .number()
    .int({ message: 'Whole days only' })
    .min(MIN_BOOKING_HORIZON_DAYS, { message: `At least ${MIN_BOOKING_HORIZON_DAYS} days` })
    .max(MAX_BOOKING_HORIZON_DAYS, { message: `At most ${MAX_BOOKING_HORIZON_DAYS} days` }),
  /**
   * How this counter drives its card reader: `server-driven` (main through Stripe's readers API;
   * the default in test and live), `simulated` (the same against the demo's simulated reader;
   * the default in demo), `terminal-js` (the page drives the reader with Stripe's Terminal SDK).
   */
  readerDriver: z.enum(READER_DRIVERS),
});
export type Settings = z.infer<typeof settingsSchema>;

export const settingsMethods = {
  'settings.get': method({
    access: 'clerk',
    summary: 'The shop settings',
    input: z.object({}).strict(),
    output: settingsSchema,
  }),
  'settings.update': method({
    access: 'manager',
    summary: 'Change some shop settings; audited',
    input: settingsSchema.partial().strict(),
    output: settingsSchema,
  }),
} as const;

export const settingsEvents = {
  'settings.changed': settingsSchema,
} as const;
