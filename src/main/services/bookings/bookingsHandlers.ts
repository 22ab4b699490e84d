import type { PartialHandlerTable } from '../../core/handlers';
import type { BookingsService } from './bookingsService';

export function bookingsHandlers(bookings: BookingsService): PartialHandlerTable {
  return {
    'counter.today': (input) => bookings.today(input.date),
    'bookings.list': (input) => ({ bookings: bookings.list(input) }),
    'bookings.get': (input) => bookings.get(input.id),
    'bookings.quote': (input) => ({ quote: bookings.quote(input) }),
    'bookings.create': (input, ctx) => bookings.create(input, ctx),
    'bookings.modify': (input, ctx) => bookings.modify(input, ctx),
    'bookings.extend': (input, ctx) => bookings.extend(input, ctx),
    'bookings.cancel': (input, ctx) => bookings.cancel(input, ctx),
    'bookings.noShow': (input, ctx) => bookings.noShow(input, ctx),
    'bookings.endFee': (input) => bookings.endFee(input),
    'bookings.agreement': (input) => bookings.agreement(input),
    'bookings.assignable': (input) => bookings.assignable(input),
    'bookings.assign': (input, ctx) => bookings.assign(input, ctx),
    'bookings.checkOut': (input, ctx) => bookings.checkOut(input, ctx),
    'bookings.checkIn': (input, ctx) => bookings.checkIn(input, ctx),
    'bookings.checkInPreview': (input, ctx) => bookings.checkInPreview(input, ctx),
    'bookings.close': (input, ctx) => bookings.close(input, ctx),
    'customers.get': (input) => bookings.customerWithBookings(input.id),
  };
}
