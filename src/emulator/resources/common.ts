import { invalidRequest } from '../errors';
import { isParams, nullableStr, obj, str, type Params } from '../form';
import type { Address, PaymentMethod } from '../types';
import { EMPTY_ADDRESS } from '../types';

export function parseAddress(p: Params, name: string, current: Address | null = null): Address | null | undefined {
  const v = p[name];
  if (v === undefined) return undefined;
  if (v === '') return null;
  if (!isParams(v)) throw invalidRequest(`Invalid object: ${name} must be a hash`, { param: name, cacheable: false });
  const base = current ?? EMPTY_ADDRESS;
  const field = (key: keyof Address): string | null => {
    const got = nullableStr(v, key, `${name}[${key}]`);
    return got === undefined ? base[key] : got;
  };
  return {
    city: field('city'),
    country: field('country'),
    line1: field('line1'),
    line2: field('line2'),
    postal_code: field('postal_code'),
    state: field('state'),
  };
}

export function parseBillingDetails(p: Params, current?: PaymentMethod['billing_details']): PaymentMethod['billing_details'] {
  const base = current ?? { address: { ...EMPTY_ADDRESS }, email: null, name: null, phone: null, tax_id: null };
  const bd = obj(p, 'billing_details');
  if (!bd) return base;
  const pick = (key: 'email' | 'name' | 'phone'): string | null => {
    const got = nullableStr(bd, key, `billing_details[${key}]`);
    return got === undefined ? base[key] : got;
  };
  return {
    address: parseAddress(bd, 'address', base.address) ?? { ...EMPTY_ADDRESS },
    email: pick('email'),
    name: pick('name'),
    phone: pick('phone'),
    tax_id: base.tax_id,
  };
}

const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'isk', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

export function exponent(currency: string): number {
  if (ZERO_DECIMAL.has(currency)) return 0;
  if (THREE_DECIMAL.has(currency)) return 3;
  return 2;
}

/** For messages only, e.g. "10.00 usd"; never parsed back. */
export function formatAmount(amount: number, currency: string): string {
  const exp = exponent(currency);
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  if (exp === 0) return `${sign}${abs} ${currency}`;
  const unit = 10 ** exp;
  return `${sign}${Math.floor(abs / unit)}.${String(abs % unit).padStart(exp, '0')} ${currency}`;
}

/** Stripe's minimum charge is about 0.50 USD; we use 50 minor units (50 for zero-decimal currencies). */
export const MIN_AMOUNT = 50;
export const MAX_AMOUNT = 99_999_999;

/** The presentment currencies Stripe accepts (ISO 4217, lower case); anything else is refused as Stripe does. */
const CURRENCIES = new Set(
  (
    'usd aed afn all amd ang aoa ars aud awg azn bam bbd bdt bgn bhd bif bmd bnd bob brl bsd bwp byn bzd cad cdf chf clp cny cop crc ' +
    'cve czk djf dkk dop dzd egp etb eur fjd fkp gbp gel gip gmd gnf gtq gyd hkd hnl htg huf idr ils inr isk jmd jod jpy kes kgs khr ' +
    'kmf krw kwd kyd kzt lak lbp lkr lrd lsl mad mdl mga mkd mmk mnt mop mur mvr mwk mxn myr mzn nad ngn nio nok npr nzd omr pab pen ' +
    'pgk php pkr pln pyg qar ron rsd rub rwf sar sbd scr sek sgd shp sle sos srd std szl thb tjs tnd top try ttd twd tzs uah ugx uyu ' +
    'uzs vnd vuv wst xaf xcd xof xpf yer zar zmw'
  ).split(' '),
);

export function parseCurrency(p: Params, name = 'currency'): string | undefined {
  const v = str(p, name);
  if (v === undefined) return undefined;
  const c = v.toLowerCase();
  if (!CURRENCIES.has(c)) {
    throw invalidRequest(`Invalid currency: ${v.toLowerCase()}. Stripe currently supports these currencies: ${[...CURRENCIES].join(', ')}`, {
      param: name,
      cacheable: false,
    });
  }
  return c;
}

/**
 * Processing fee in minor units, rounded half up; integers only:
 * card_present 1.4% + 20, online card 2.9% + 30 (our published emulator rates).
 */
export function processingFee(amount: number, type: 'card' | 'card_present'): number {
  return type === 'card_present' ? Math.floor((amount * 14 + 500) / 1000) + 20 : Math.floor((amount * 29 + 500) / 1000) + 30;
}
