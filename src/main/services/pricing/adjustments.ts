import type { CurrencyCode } from '../../../shared/money';
import { formatBp, formatMinor } from './format';
import { mulDivRound } from './rounding';
import type { ParsedPriceInput, PriceLine } from './schemas';

type Discount = ParsedPriceInput['discounts'][number];

const RENTAL_KINDS: ReadonlySet<PriceLine['kind']> = new Set(['rental_days', 'weekend_days', 'weekly']);

function discountLine(d: Discount, amount: number, taxable: boolean, part: string, currency: CurrencyCode): PriceLine {
  const scope = d.appliesTo === 'rental' ? 'rental' : 'total';
  const base = d.description ?? (d.type === 'percent' ? `${formatBp(d.percentBp)} off ${scope}` : `${formatMinor(d.amount, currency)} off ${scope}`);
  return {
    kind: 'discount',
    code: d.code,
    description: part === '' ? base : `${base} (${part})`,
    quantity: 1,
    quantityScale: 1,
    unitAmount: amount === 0 ? 0 : -amount, // never -0: it would not survive a JSON round trip
    amount: amount === 0 ? 0 : -amount,
    taxable,
    countsInTotal: true,
  };
}

/**
 * Discount lines for `charges` (the charge lines, all amounts ≥ 0).
 *
 * Discounts apply in the order given, each to what is left of its scope after the earlier ones
 * (so 10 % then 10 % takes 19 %), and each is capped at what is left: the total never goes below
 * zero. A 'whole' discount over both taxable and non-taxable lines is split into a taxable and a
 * non-taxable part (each rounded once) so the tax base can be read straight off the lines.
 */
export function discountLines(charges: readonly PriceLine[], discounts: readonly Discount[], currency: CurrencyCode): PriceLine[] {
  let rental = 0;
  let taxable = 0;
  let untaxed = 0;
  for (const l of charges) {
    if (RENTAL_KINDS.has(l.kind)) rental += l.amount;
    if (l.taxable) taxable += l.amount;
    else untaxed += l.amount;
  }
  const out: PriceLine[] = [];
  for (const d of discounts) {
    if (d.appliesTo === 'rental') {
      const amount = d.type === 'percent' ? mulDivRound(rental, d.percentBp, 10_000) : Math.min(d.amount, rental);
      rental -= amount;
      taxable -= amount;
      out.push(discountLine(d, amount, true, '', currency));
      continue;
    }
    let onTaxable: number;
    let onUntaxed: number;
    if (d.type === 'percent') {
      onTaxable = mulDivRound(taxable, d.percentBp, 10_000);
      onUntaxed = mulDivRound(untaxed, d.percentBp, 10_000);
    } else {
      const whole = Math.min(d.amount, taxable + untaxed);
      // Proportional split; rounding can't push either part above its bucket (see tests).
      onTaxable = taxable + untaxed === 0 ? 0 : mulDivRound(whole, taxable, taxable + untaxed);
      onUntaxed = whole - onTaxable;
    }
    // The rental keeps its share of what is left, so a later 'rental' discount applies to the
    // discounted rental (10 % whole then 10 % rental is 19 % off the rental, never more).
    const rentalShare = taxable === 0 ? 0 : mulDivRound(onTaxable, rental, taxable);
    taxable -= onTaxable;
    untaxed -= onUntaxed;
    rental = Math.max(0, Math.min(rental - rentalShare, taxable));
    if (onUntaxed === 0) out.push(discountLine(d, onTaxable, true, '', currency));
    else if (onTaxable === 0) out.push(discountLine(d, onUntaxed, false, '', currency));
    else {
      out.push(discountLine(d, onTaxable, true, 'taxable items', currency));
      out.push(discountLine(d, onUntaxed, false, 'non-taxable items', currency));
    }
  }
  return out;
}

/**
 * The tax line, or undefined when the rate is 0. The base is Σ amount of taxable lines (after
 * discounts), rounded once. Exclusive: tax = base × rate. Inclusive: the base is gross and
 * tax = base × rate / (1 + rate); the line is informational (countsInTotal: false).
 */
export function taxLine(lines: readonly PriceLine[], mode: 'exclusive' | 'inclusive', rateBp: number, name: string, money?: (minor: number) => string): PriceLine | undefined {
  if (rateBp === 0) return undefined;
  let base = 0;
  for (const l of lines) if (l.taxable) base += l.amount;
  const amount = mode === 'exclusive' ? mulDivRound(base, rateBp, 10_000) : mulDivRound(base, rateBp, 10_000 + rateBp);
  return {
    kind: 'tax',
    code: 'tax',
    // "VAT 21% of €264.00": the base is named, so lines left out of it can be checked.
    description: `${mode === 'exclusive' ? '' : 'Includes '}${name} ${formatBp(rateBp)}${money ? ` of ${money(base)}` : ''}`,
    quantity: 1,
    quantityScale: 1,
    unitAmount: amount,
    amount,
    taxable: false,
    countsInTotal: mode === 'exclusive',
  };
}
