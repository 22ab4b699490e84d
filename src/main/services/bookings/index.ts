import type { BookingSummary } from '../../../shared/contract/bookings';
import type { ModuleWithApi } from '../../core/module';
import { bookingsHandlers } from './bookingsHandlers';
import { createBookingsRepo } from './bookingsRepo';
import { createBookingsService } from './bookingsService';
import type { BookingsDeps, BookingsService } from './bookingsService';
import { toSummary } from './bookingView';

export type { BookingsService } from './bookingsService';
// The demo seed writes bookings in bulk with the same pricing, refs and quote rows as the service.
export { priceFacts } from './bookingPricing';
export type { BookingDiscountFact, PriceFacts, PriceTerms } from './bookingPricing';
export { uniqueBookingRef } from './bookingRef';
export { CONFLICTS_SQL, createBookingsRepo } from './bookingsRepo';
export type { BookingRow } from './bookingsRepo';
export { writeQuote } from './quoteStore';
// What the counter still has to take (negative: owed back), for screens that re-price a booking.
export { balanceDue } from './bookingView';
// Photos are kept by the photos capability; this is the one check that a ref names a kept file.
export { isStoredFile } from './signatureStore';

export type BookingsApi = BookingsService & {
  /** Summaries of bookings by FTS rowid, for search's ranked hits. */
  summariesBySeq(seqs: readonly number[]): Map<number, BookingSummary>;
};

/** Bookings from reservation to close: quotes, hand-over, return, the counter's day. */
export function createBookingsModule(deps: BookingsDeps): ModuleWithApi<BookingsApi> {
  const bookings = createBookingsService(deps);
  const repo = createBookingsRepo(deps.db);
  const summariesBySeq = (seqs: readonly number[]) => new Map(repo.summariesBySeq(seqs).map((r) => [r.seq, toSummary(r)]));
  return { name: 'bookings', handlers: bookingsHandlers(bookings), api: { ...bookings, summariesBySeq } };
}
