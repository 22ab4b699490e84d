import { exponentOf, type CurrencyCode } from '../../../shared/money';

/**
 * English text for quote lines. Descriptions are stored with the booking, so they use a fixed
 * locale (en-GB) rather than the machine's: the same quote reads the same on every counter.
 */

const formatters = new Map<CurrencyCode, Intl.NumberFormat>();

export function formatMinor(amount: number, currency: CurrencyCode): string {
  let f = formatters.get(currency);
  if (!f) {
    const exp = exponentOf(currency);
    f = new Intl.NumberFormat('en-GB', { style: 'currency', currency, minimumFractionDigits: exp, maximumFractionDigits: exp });
    formatters.set(currency, f);
  }
  // Division by a power of ten is only for display; the stored amount stays an integer.
  // Plain spaces: ICU uses (narrow) no-break spaces, which differ between ICU versions and trip text search.
  return f.format(amount / 10 ** exponentOf(currency)).replace(/[\u00a0\u202f]/g, ' ');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** 2000 → "20%", 825 → "8.25%". */
export function formatBp(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const frac = bp % 100;
  return frac === 0 ? `${whole}%` : `${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}%`;
}

/** 12345 ml → "12.345". */
export function formatMilli(n: number): string {
  const whole = Math.trunc(n / 1000);
  const frac = n % 1000;
  return frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
}
