/** The end of a booking: cancel, no-show, close. */
import type { BookingDetail } from '../../../shared/contract/bookings';
import { PosError } from '../../../shared/errors';
import type { CurrencyCode } from '../../../shared/money';
import { formatMoney } from '../../../shared/money';
import { staleVersion } from '../../core/errors';
import type { BookingRow } from './bookingsRepo';
import type { BookingContext, Ctx } from './bookingContext';
import { priceEndFee } from '../pricing/index';
import type { EndFee, EndKind } from '../pricing/index';
import { quoteToView } from './bookingView';
import { writeQuote } from './quoteStore';
import type { QuoteView } from '../../../shared/contract/bookings';

export function createLifecycle(k: BookingContext, get: (id: string) => BookingDetail) {
  const { db, now, repo, shop, fmt, load, requireStatus, audit, saveUpdate, bookingCard, installId } = k;

  /** The fee this booking owes if it ends now this way, from the card it was priced on. */
  function feeFor(b: BookingRow, kind: EndKind, at: Date): EndFee {
    const q = b.quote_id ? repo.getQuote(b.quote_id) : undefined;
    return priceEndFee(bookingCard(b).card, kind, { pickupAt: b.pickup_at, rentalDays: q?.rental_days ?? 1, timeZone: q?.time_zone ?? k.termsOf(b.pickup_location_id).timeZone }, at);
  }

  function endFee(input: { id: string; kind: EndKind }): { fee: { amount: number; currency: CurrencyCode }; quote: QuoteView | null; rule: string } {
    const b = load(input.id);
    const f = feeFor(b, input.kind, now());
    const currency = (f.quote?.currency ?? b.currency) as CurrencyCode;
    return { fee: { amount: f.quote?.total ?? 0, currency }, quote: f.quote ? quoteToView(f.quote) : null, rule: f.rule };
  }

  function endReservation(kind: 'cancel' | 'no_show', input: { id: string; expectedVersion?: number | undefined; reason: string }, ctx: Ctx): BookingDetail {
    const at = now();
    const before = load(input.id);
    staleVersion(before.ref, input.expectedVersion, before.version);
    requireStatus(before, ['reserved'], kind === 'cancel' ? 'cancelled' : 'marked a no-show');
    if (kind === 'no_show' && at.toISOString() < before.pickup_at) {
      throw new PosError('conflict', `${before.ref} is due at ${fmt(before.pickup_at)}; it can be marked a no-show only after its pickup time.`);
    }
    const fee = feeFor(before, kind, at);
    const next: BookingRow = {
      ...before,
      status: kind === 'cancel' ? 'cancelled' : 'no_show',
      cancelled_at: at.toISOString(),
      cancelled_by: ctx.staffId,
      cancel_reason: input.reason,
      end_fee: fee.quote?.total ?? 0,
      updated_at: at.toISOString(),
    };
    db.transaction(() => {
      if (fee.quote) {
        // The fee is the booking's price now: its own quote (kept, like every quote), its total
        // the balance the counter takes. booking_quotes.reason has no 'cancel' value (a released
        // CHECK); 'modify' is the nearest, and the audit row below says what happened.
        next.quote_id = writeQuote(repo, before.id, fee.quote, 'modify', installId, at.toISOString());
        next.total = fee.quote.total;
        next.currency = fee.quote.currency;
      }
      saveUpdate(next);
      const feeNote = { fee: next.end_fee, currency: next.currency, rule: fee.rule };
      audit(kind === 'cancel' ? 'booking.cancel' : 'booking.no_show', ctx, next, { status: before.status, total: before.total }, { status: next.status, reason: input.reason, ...feeNote }, at);
    })();
    return get(before.id);
  }

  function close(input: { id: string; expectedVersion?: number | undefined }, ctx: Ctx): BookingDetail {
    const at = now();
    const before = load(input.id);
    staleVersion(before.ref, input.expectedVersion, before.version);
    requireStatus(before, ['returned'], 'closed');
    const { paid, refunded } = repo.money(before.id);
    const due = before.total - paid + refunded;
    if (due > 0) {
      const owed = formatMoney({ amount: due, currency: before.currency as CurrencyCode }, shop().locale);
      throw new PosError('conflict', `${owed} is still due on ${before.ref}. Take the payment before closing it.`);
    }
    const next: BookingRow = { ...before, status: 'closed', closed_at: at.toISOString(), updated_at: at.toISOString() };
    db.transaction(() => {
      saveUpdate(next);
      audit('booking.close', ctx, next, { status: before.status }, { status: next.status }, at);
    })();
    return get(before.id);
  }

  return { endReservation, close, endFee };
}
