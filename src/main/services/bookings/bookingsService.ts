import type { z } from 'zod';
import type { BookingDetail, BookingStatus, BookingSummary, QuoteView, bookingCheckInPreviewSchema, bookingCheckInSchema, bookingCheckOutSchema, bookingCreateSchema, bookingModifySchema, bookingQuoteSchema } from '../../../shared/contract/bookings';
import type { bookingSearchResultSchema } from '../../../shared/contract/search';
import type { Customer } from '../../../shared/contract/customers';
import type { AvailableVehicle } from '../../../shared/contract/fleet';
import type { BookingsDeps, Ctx } from './bookingContext';
import { createBookingContext } from './bookingContext';
import { createBookingQueries } from './bookingQueries';
import { createBookingWrites } from './bookingWrites';
import { createHandovers } from './handovers';
import { createLifecycle } from './lifecycle';
import { createAgreement } from './agreement';
import { createAssignCar } from './assignCar';
import type { AssignInput } from './assignCar';
import type { PriceTerms } from './bookingPricing';
import type { BookingRow } from './bookingsRepo';

export type { BookingsDeps } from './bookingContext';
type CreateInput = z.output<typeof bookingCreateSchema>;
type QuoteInput = z.output<typeof bookingQuoteSchema>;
type ModifyInput = z.output<typeof bookingModifySchema>;
type CheckOutInput = z.output<typeof bookingCheckOutSchema>;
type CheckInInput = z.output<typeof bookingCheckInSchema>;
type SearchResult = z.output<typeof bookingSearchResultSchema>;
type CheckInPreview = z.output<typeof bookingCheckInPreviewSchema>;

export type BookingsService = {
  today(date?: string): { date: string; timeZone: string; location: { id: string; code: string; name: string } | null; pickups: BookingSummary[]; returns: BookingSummary[]; overdue: BookingSummary[]; unsettled: BookingSummary[] };
  search(query: string, limit: number): SearchResult[];
  list(f: { from: string; to: string; vehicleId?: string | undefined; customerId?: string | undefined; statuses?: BookingStatus[] | undefined; limit: number }): BookingSummary[];
  get(id: string): BookingDetail;
  quote(input: QuoteInput): QuoteView;
  create(input: CreateInput, ctx: Ctx): BookingDetail;
  modify(input: ModifyInput, ctx: Ctx): BookingDetail;
  extend(input: { id: string; expectedVersion?: number | undefined; returnAt: string }, ctx: Ctx): BookingDetail;
  cancel(input: { id: string; expectedVersion?: number | undefined; reason: string }, ctx: Ctx): BookingDetail;
  noShow(input: { id: string; expectedVersion?: number | undefined; reason: string }, ctx: Ctx): BookingDetail;
  /** The cancellation or no-show fee the booking would owe now; writes nothing. */
  endFee(input: { id: string; kind: 'cancel' | 'no_show' }): { fee: BookingDetail['total']; quote: QuoteView | null; rule: string };
  checkOut(input: CheckOutInput, ctx: Ctx): BookingDetail;
  checkIn(input: CheckInInput, ctx: Ctx): BookingDetail;
  /** What checkIn would charge for these readings; writes nothing. */
  checkInPreview(input: CheckInInput, ctx: Ctx): CheckInPreview;
  close(input: { id: string; expectedVersion?: number | undefined }, ctx: Ctx): BookingDetail;
  assignable(input: { id: string; query: string }): { bookedClass: string; cars: (AvailableVehicle & { current: boolean; upgrade: boolean; upgradeCharge: BookingDetail['total'] })[] };
  assign(input: AssignInput, ctx: Ctx): BookingDetail;
  /** Terms from settings and the signature taken at check-out, for the printed agreement. */
  agreement(input: { id: string }): { shopName: string; terms: string; signature: string | null; signedAt: string | null; signedOnPaper: boolean };
  customerWithBookings(id: string): { customer: Customer; bookings: BookingSummary[] };
  /** The clock and tax a saved booking is re-priced with (those of its quote), for the discounts repricer. */
  keptTerms(b: BookingRow): PriceTerms;
};


/** The bookings capability, composed from one module per kind of operation over a shared context. */
export function createBookingsService(deps: BookingsDeps): BookingsService {
  const k = createBookingContext(deps);
  const { get, today, search, quote, list, customerWithBookings } = createBookingQueries(k);
  const { create, modify, extend } = createBookingWrites(k, get);
  const { checkOut, checkIn, checkInPreview } = createHandovers(k, get);
  const { endReservation, close, endFee } = createLifecycle(k, get);
  const { agreement } = createAgreement(k);
  const { assignable, assign } = createAssignCar(k, get);
  return {
    today,
    search,
    list,
    get,
    quote,
    create,
    modify,
    extend,
    cancel: (input, ctx) => endReservation('cancel', input, ctx),
    noShow: (input, ctx) => endReservation('no_show', input, ctx),
    endFee,
    checkOut,
    checkIn,
    checkInPreview,
    close,
    agreement,
    assignable,
    assign,
    customerWithBookings,
    keptTerms: k.keptTerms,
  };
}

export { quoteToView } from './bookingView';
