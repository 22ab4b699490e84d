/**
 * Cancellation and no-show fees: what a reservation that ends without a rental owes, from the
 * rate card it was priced on. Pure, like priceBooking: the same card, booking and instant always
 * give the same quote. The fee is a quote of its own (one fee line, then tax), so the booking's
 * lines show it and its total becomes what the counter takes.
 */
import { taxLine } from './adjustments';
import { formatMinor } from './format';
import type { ParsedRateCard, PriceLine, PriceQuote } from './schemas';

export type EndKind = 'cancel' | 'no_show';

export type EndFee = {
  /** The quote to store, or null when nothing is owed. */
  quote: PriceQuote | null;
  /** Why this fee (or none), for the clerk before confirming. */
  rule: string;
};

const HOUR_MS = 3_600_000;

export function priceEndFee(card: ParsedRateCard, kind: EndKind, b: { pickupAt: string; rentalDays: number; timeZone: string }, at: Date): EndFee {
  const f = card.endFees;
  if (!f) return { quote: null, rule: `Rate card ${card.name} has no cancellation or no-show fee.` };
  const money = (n: number) => formatMinor(n, card.currency);
  let amount: number;
  let description: string;
  let rule: string;
  if (kind === 'no_show') {
    amount = f.noShowFee;
    description = 'No-show fee';
    rule = amount > 0 ? `No-show fee ${money(amount)} (rate card ${card.name}).` : `Rate card ${card.name} charges no no-show fee.`;
  } else {
    const hoursBefore = (Date.parse(b.pickupAt) - at.getTime()) / HOUR_MS;
    const late = hoursBefore < f.freeUntilHours;
    amount = late ? f.lateCancelFee : 0;
    description = `Late cancellation fee (less than ${f.freeUntilHours} h before pickup)`;
    rule = !late
      ? `Free: cancelled more than ${f.freeUntilHours} hours before pickup.`
      : amount > 0
        ? `Late cancellation fee ${money(amount)}: less than ${f.freeUntilHours} hours before pickup.`
        : `Rate card ${card.name} charges no late cancellation fee.`;
  }
  if (amount === 0) return { quote: null, rule };
  const lines: PriceLine[] = [
    { kind: 'fee', code: kind === 'cancel' ? 'late_cancellation' : 'no_show', description, quantity: 1, quantityScale: 1, unitAmount: amount, amount, taxable: f.taxable, countsInTotal: true },
  ];
  const tax = taxLine(lines, card.tax.mode, card.tax.rateBp, card.tax.name, money);
  if (tax) lines.push(tax);
  const taxTotal = tax?.amount ?? 0;
  const total = card.tax.mode === 'exclusive' ? amount + taxTotal : amount;
  return {
    rule,
    quote: {
      quoteFormat: 1,
      currency: card.currency,
      taxMode: card.tax.mode,
      taxRateBp: card.tax.rateBp,
      rateCardId: card.id,
      rateCardVersion: card.version,
      computedAt: at.toISOString(),
      timeZone: b.timeZone,
      rentalDays: Math.max(1, b.rentalDays),
      lateMinutes: 0,
      lines,
      subtotal: amount,
      discountTotal: 0,
      taxTotal,
      total,
    },
  };
}
