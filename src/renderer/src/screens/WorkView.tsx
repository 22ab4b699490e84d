import type { View } from '../stores/viewStore';
import { BookingDetailView } from './bookings/BookingDetailView';
import { BookingForm } from './bookings/BookingForm';
import { CheckInForm } from './bookings/CheckInForm';
import { CheckOutForm } from './bookings/CheckOutForm';
import { CustomerView } from './customers/CustomerView';

/** A view opened on top of the Counter or Bookings screen; keyed so each opens fresh. */
export function WorkView({ view }: { view: View }) {
  switch (view.kind) {
    case 'booking':
      return <BookingDetailView key={view.id} id={view.id} />;
    case 'bookingForm':
      return <BookingForm key={view.id ?? 'new'} id={view.id} customerId={view.customerId} />;
    case 'checkOut':
      return <CheckOutForm key={view.id} id={view.id} />;
    case 'checkIn':
      return <CheckInForm key={view.id} id={view.id} />;
    case 'customer':
      return <CustomerView key={view.id} id={view.id} />;
  }
}
