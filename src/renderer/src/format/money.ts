import { exponentOf, formatMoney } from '../../../shared/money';
import type { CurrencyCode, Money } from '../../../shared/money';

/**
 * Amounts typed by a clerk become minor units by string arithmetic, never by multiplying a
 * float: "19.99" is 1999 cents exactly. Display goes through Intl via formatMoney.
 */

export type AmountParse = { ok: true; minor: number } | { ok: false; problem: string };

const PLAIN = /^(\d{1,9})(?:[.,](\d*))?$/;

/** Explains what is wrong with a typed amount, or gives its minor units. */
export function parseAmount(text: string, currency: CurrencyCode): AmountParse {
  const exp = exponentOf(currency);
  const t = text.trim();
  if (t === '') return { ok: false, problem: 'Enter an amount' };
  if (/^[-−]/.test(t)) return { ok: false, problem: 'Amount cannot be negative' };
  const m = PLAIN.exec(t);
  if (!m) return { ok: false, problem: `Enter an amount like ${example(currency)}, digits only, without the currency symbol` };
  const frac = m[2] ?? '';
  if (frac.length > exp) {
    return { ok: false, problem: exp === 0 ? `${currency} has no smaller unit: enter a whole amount` : `${currency} amounts have at most ${exp} decimals` };
  }
  return { ok: true, minor: Number(m[1]) * 10 ** exp + Number(frac.padEnd(exp, '0') || '0') };
}

/** Turns "120.50" into minor units without floating-point drift; null when it is not a plain amount. */
export function parseMajor(text: string, currency: CurrencyCode): number | null {
  const r = parseAmount(text, currency);
  return r.ok ? r.minor : null;
}

/** Minor units back to the plain text a clerk would type ("1999" cents → "19.99"), for prefilling inputs. */
export function majorText(minor: number, currency: CurrencyCode): string {
  const exp = exponentOf(currency);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(exp + 1, '0');
  return exp === 0 ? sign + digits : `${sign}${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
}

function example(currency: CurrencyCode): string {
  return majorText(12 * 10 ** exponentOf(currency) + (exponentOf(currency) > 0 ? 50 * 10 ** (exponentOf(currency) - 2) : 0), currency);
}

/** Display with the shop's locale; a bad locale falls back rather than blanking a price. */
export function showMoney(m: Money, locale: string | undefined): string {
  try {
    return formatMoney(m, locale ?? 'en-GB');
  } catch {
    return formatMoney(m, 'en-GB');
  }
}
