import { z } from 'zod';

/**
 * Money is an integer count of the currency's minor unit plus an ISO 4217 code.
 * Never a float: every amount that crosses a boundary is checked by these schemas.
 */

/** Minor-unit exponent per currency; anything not listed is refused. */
export const CURRENCY_EXPONENTS = {
  AUD: 2, CAD: 2, CHF: 2, CZK: 2, DKK: 2, EUR: 2, GBP: 2, HKD: 2, HUF: 2, ISK: 0, JPY: 0,
  KRW: 0, MXN: 2, NOK: 2, NZD: 2, PLN: 2, SEK: 2, SGD: 2, USD: 2, ZAR: 2, BHD: 3, KWD: 3,
} as const satisfies Record<string, number>;

export type CurrencyCode = keyof typeof CURRENCY_EXPONENTS;
export const CURRENCY_CODES = Object.keys(CURRENCY_EXPONENTS) as CurrencyCode[];

export const currencySchema = z
  .string()
  .transform((s) => s.toUpperCase())
  .pipe(z.enum(CURRENCY_CODES as [CurrencyCode, ...CurrencyCode[]], { message: 'Unknown currency' }));

/** Largest amount we accept in minor units (Stripe's own cap is 99,999,999 for most currencies). */
export const MAX_MINOR = 99_999_999_99;

export const minorSchema = z
  .number({ message: 'Amount must be a number of minor units' })
  .int({ message: 'Amount must be a whole number of minor units' })
  .min(-MAX_MINOR)
  .max(MAX_MINOR);

export const nonNegativeMinorSchema = minorSchema.min(0, { message: 'Amount cannot be negative' });

export const moneySchema = z.object({ amount: minorSchema, currency: currencySchema });
export type Money = { amount: number; currency: CurrencyCode };

export function exponentOf(currency: CurrencyCode): number {
  return CURRENCY_EXPONENTS[currency];
}

export function money(amount: number, currency: CurrencyCode): Money {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`Money amount must be an integer, got ${amount}`);
  return { amount, currency };
}

export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new RangeError(`Cannot add ${a.currency} to ${b.currency}`);
  return money(a.amount + b.amount, a.currency);
}

/** Formats for display only; never parse the result back. */
export function formatMoney(m: Money, locale = 'en-GB'): string {
  const exp = exponentOf(m.currency);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: m.currency,
    minimumFractionDigits: exp,
    maximumFractionDigits: exp,
  }).format(m.amount / 10 ** exp);
}
