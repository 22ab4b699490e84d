import { newId } from '../../core/ids';
import type { PriceQuote } from '../pricing/index';
import type { BookingsRepo, LineRow, QuoteRow } from './bookingsRepo';

/** Stores a quote and its lines as a new, never-changed snapshot; returns the quote's id. Call inside the booking's transaction. */
export function writeQuote(
  repo: BookingsRepo,
  bookingId: string,
  quote: PriceQuote,
  reason: QuoteRow['reason'],
  installId: string,
  at: string,
  id: string = newId(Date.parse(at)),
): string {
  repo.insertQuote({
    id,
    booking_id: bookingId,
    reason,
    rate_card_id: quote.rateCardId,
    rate_card_version: quote.rateCardVersion,
    currency: quote.currency,
    tax_mode: quote.taxMode,
    tax_rate_bp: quote.taxRateBp,
    time_zone: quote.timeZone,
    tax_name: quote.taxName ?? null,
    rental_days: quote.rentalDays,
    late_minutes: quote.lateMinutes,
    subtotal: quote.subtotal,
    discount_total: quote.discountTotal,
    tax_total: quote.taxTotal,
    total: quote.total,
    computed_at: quote.computedAt,
    install_id: installId,
    version: 1,
    created_at: at,
    updated_at: at,
  });
  quote.lines.forEach((l, i) => {
    const row: LineRow = {
      id: newId(Date.parse(at)),
      quote_id: id,
      booking_id: bookingId,
      line_no: i,
      kind: l.kind,
      code: l.code,
      description: l.description,
      quantity: l.quantity,
      quantity_scale: l.quantityScale,
      unit_amount: l.unitAmount,
      amount: l.amount,
      currency: quote.currency,
      taxable: l.taxable ? 1 : 0,
      counts_in_total: l.countsInTotal ? 1 : 0,
      install_id: installId,
      version: 1,
      created_at: at,
      updated_at: at,
    };
    repo.insertLine(row);
  });
  return id;
}
