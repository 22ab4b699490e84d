import type { BookingSummary, PriceLineView, QuoteView } from '../../../shared/contract/bookings';
import type { CurrencyCode, Money } from '../../../shared/money';
import { formatMoney } from '../../../shared/money';
import type { AuditRow } from '../../core/audit';
import type { LineRow, QuoteRow, SummaryRow } from './bookingsRepo';
import { formatShopTime } from '../../core/shopTime';
import type { PriceQuote } from '../pricing/index';

const m = (amount: number, currency: string): Money => ({ amount, currency: currency as CurrencyCode });

/** What a booking owes: its total, or for a cancelled or no-show booking its fee (nothing before fees existed). */
export function owedOn(status: string, total: number, endFee: number | null | undefined): number {
  return status === 'cancelled' || status === 'no_show' ? (endFee ?? 0) : total;
}

/**
 * What the counter still has to take (negative: owed back). A cancelled or no-show booking owes
 * its cancellation or no-show fee; whatever was paid above it is owed back.
 */
export function balanceDue(status: string, total: number, paid: number, refunded: number, endFee: number | null = null): number {
  return owedOn(status, total, endFee) - paid + refunded;
}

export function toSummary(r: SummaryRow): BookingSummary {
  return {
    id: r.id,
    ref: r.ref,
    status: r.status,
    pickupAt: r.pickup_at,
    returnAt: r.return_at,
    customer: { id: r.customer_id, name: `${r.first_name} ${r.last_name}`, phone: r.phone },
    vehicle: { id: r.vehicle_id, plate: r.plate, class: r.vehicle_class, name: `${r.make} ${r.model}` },
    pickupLocation: { id: r.pl_id, code: r.pl_code, name: r.pl_name, timeZone: r.pl_tz },
    returnLocation: { id: r.rl_id, code: r.rl_code, name: r.rl_name, timeZone: r.rl_tz },
    total: m(r.total, r.currency),
    balanceDue: m(balanceDue(r.status, r.total, r.paid, r.refunded, r.end_fee), r.currency),
    version: r.version,
  };
}

export function toQuoteView(q: QuoteRow, lines: readonly LineRow[]): QuoteView {
  const c = q.currency;
  return {
    currency: c as CurrencyCode,
    taxMode: q.tax_mode,
    taxRateBp: q.tax_rate_bp,
    rateCardId: q.rate_card_id,
    rateCardVersion: q.rate_card_version,
    rentalDays: q.rental_days,
    lateMinutes: q.late_minutes,
    lines: lines.map(
      (l): PriceLineView => ({
        kind: l.kind,
        code: l.code,
        description: l.description,
        quantity: l.quantity,
        quantityScale: l.quantity_scale,
        unitAmount: m(l.unit_amount, l.currency),
        amount: m(l.amount, l.currency),
        taxable: l.taxable === 1,
        countsInTotal: l.counts_in_total === 1,
      }),
    ),
    subtotal: m(q.subtotal, c),
    discountTotal: m(q.discount_total, c),
    taxTotal: m(q.tax_total, c),
    total: m(q.total, c),
    computedAt: new Date(q.computed_at).toISOString(),
  };
}

type Snapshot = Partial<{
  status: string;
  plate: string;
  pickupAt: string;
  returnAt: string;
  total: number;
  currency: string;
  odometer: number;
  fuelEighths: number;
  reason: string;
  changed: string[];
}>;

/** One line per audit row for the booking screen's history. */
export function describeAudit(row: AuditRow, timeZone: string, locale: string): string {
  const after = (row.after_json ? JSON.parse(row.after_json) : {}) as Snapshot;
  const t = (iso: string | undefined) => (iso ? formatShopTime(iso, timeZone, locale) : '?');
  const total = after.total !== undefined && after.currency ? formatMoney(m(after.total, after.currency), locale) : null;
  const withTotal = (s: string) => (total ? `${s}; total ${total}` : s);
  // Readings in the shop's locale, like every other number on screen ("90,090", not "90090").
  const km = (n: number | undefined) => (n === undefined ? '?' : new Intl.NumberFormat(locale).format(n));
  switch (row.action) {
    case 'booking.create':
      return withTotal(`Reserved ${after.plate ?? ''} from ${t(after.pickupAt)} to ${t(after.returnAt)}`.replace('  ', ' '));
    case 'booking.modify':
      return withTotal(`Changed ${(after.changed ?? []).join(', ') || 'details'}`);
    case 'booking.extend':
      return withTotal(`Return moved to ${t(after.returnAt)}`);
    case 'booking.cancel':
      return `Cancelled: ${after.reason ?? ''}`;
    case 'booking.no_show':
      return after.reason ? `Marked no-show: ${after.reason}` : 'Marked no-show';
    case 'booking.check_out':
      return `Checked out at ${km(after.odometer)} on the odometer, fuel ${after.fuelEighths ?? '?'}/8`;
    case 'booking.check_in':
      return withTotal(`Returned at ${km(after.odometer)} on the odometer, fuel ${after.fuelEighths ?? '?'}/8`);
    case 'booking.close':
      return 'Closed';
    default:
      // Other capabilities' rows on a booking (deposits, …) carry their own one-line summary.
      return typeof (after as { summary?: unknown }).summary === 'string' ? (after as { summary: string }).summary : row.action;
  }
}

/** The engine's quote in the contract's shape (money with its currency). */
export function quoteToView(q: PriceQuote): QuoteView {
  const m = (amount: number) => ({ amount, currency: q.currency });
  return {
    currency: q.currency,
    taxMode: q.taxMode,
    taxRateBp: q.taxRateBp,
    rateCardId: q.rateCardId,
    rateCardVersion: q.rateCardVersion,
    rentalDays: q.rentalDays,
    lateMinutes: q.lateMinutes,
    lines: q.lines.map((l) => ({
      kind: l.kind,
      code: l.code,
      description: l.description,
      quantity: l.quantity,
      quantityScale: l.quantityScale,
      unitAmount: m(l.unitAmount),
      amount: m(l.amount),
      taxable: l.taxable,
      countsInTotal: l.countsInTotal,
    })),
    subtotal: m(q.subtotal),
    discountTotal: m(q.discountTotal),
    taxTotal: m(q.taxTotal),
    total: m(q.total),
    computedAt: q.computedAt,
  };
}
