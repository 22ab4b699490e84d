import type { PartialHandlerTable } from '../../core/handlers';
import type { BookingsService } from './bookingsService';
import type { RateCardService } from './rateCards';

export function bookingsHandlers(bookings: BookingsService, rates: RateCardService): PartialHandlerTable {
  const card = (l: ReturnType<RateCardService['current']>) => ({ card: rates.summary(l), raw: l.raw as Record<string, unknown> });
  return {
    'counter.today': (input) => bookings.today(input.date),
    'bookings.search': (input) => ({ results: bookings.search(input.query, input.limit) }),
    'bookings.list': (input) => ({ bookings: bookings.list(input) }),
    'bookings.get': (input) => bookings.get(input.id),
    'bookings.quote': (input) => ({ quote: bookings.quote(input) }),
    'bookings.create': (input, ctx) => bookings.create(input, ctx),
    'bookings.modify': (input, ctx) => bookings.modify(input, ctx),
    'bookings.extend': (input, ctx) => bookings.extend(input, ctx),
    'bookings.cancel': (input, ctx) => bookings.cancel(input, ctx),
    'bookings.noShow': (input, ctx) => bookings.noShow(input, ctx),
    'bookings.checkOut': (input, ctx) => bookings.checkOut(input, ctx),
    'bookings.checkIn': (input, ctx) => bookings.checkIn(input, ctx),
    'bookings.checkInPreview': (input, ctx) => bookings.checkInPreview(input, ctx),
    'bookings.close': (input, ctx) => bookings.close(input, ctx),
    'customers.get': (input) => bookings.customerWithBookings(input.id),
    'rates.get': () => card(rates.current()),
    'rates.update': (input, ctx) => card(rates.save(input.card, ctx)),
  };
}
