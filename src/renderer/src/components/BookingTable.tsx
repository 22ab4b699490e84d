import type { BookingSummary } from '../../../shared/contract/bookings';
import { showMoney } from '../format/money';
import { showDateTime, showTime, zoneOf } from '../format/time';
import { useShop } from '../lib/useShop';
import { useCatalog } from '../stores/catalogStore';
import type { BoardFlag } from '../format/board';
import { StatusBadge } from './StatusBadge';

/**
 * Bookings as rows. Each row's reference is a button (Tab, then Enter), and a click anywhere
 * on the row opens it too, for a touch screen.
 */
export function BookingTable({
  bookings,
  caption,
  timeOf,
  timeLabel = 'Time',
  onOpen,
  empty,
  dateAndTime = false,
  showCustomer = true,
  flagOf,
}: {
  bookings: BookingSummary[];
  caption: string;
  timeOf: (b: BookingSummary) => string;
  timeLabel?: string;
  onOpen: (b: BookingSummary) => void;
  empty: string;
  dateAndTime?: boolean;
  /** Off on a customer's own page, where every row is theirs. */
  showCustomer?: boolean;
  /** A word for the clerk on a row that needs attention ("Late 25 min"). */
  flagOf?: (b: BookingSummary) => BoardFlag | null;
}) {
  const { locale, timeZone } = useShop();
  const classes = useCatalog((s) => s.card?.classes);
  const className = (code: string) => classes?.find((c) => c.code === code)?.name ?? code;
  // A pickup time reads on its pickup location's clock, a return time on its return location's.
  const zone = (b: BookingSummary) => zoneOf(timeOf(b) === b.pickupAt ? b.pickupLocation : b.returnLocation, timeZone);
  if (bookings.length === 0) {
    return (
      <section className="list-empty" aria-label={caption}>
        <h3>{caption}</h3>
        <p>{empty}</p>
      </section>
    );
  }
  return (
    <table className="bookings">
      <caption>
        {caption} <span className="count">({bookings.length})</span>
      </caption>
      <thead>
        <tr>
          <th scope="col">{timeLabel}</th>
          <th scope="col">Booking</th>
          {showCustomer && <th scope="col">Customer</th>}
          <th scope="col">Vehicle</th>
          <th scope="col">Status</th>
          <th scope="col" className="num">Balance due</th>
        </tr>
      </thead>
      <tbody>
        {bookings.map((b) => (
          <tr key={b.id} className="clickable" onClick={() => onOpen(b)}>
            <td className="time">{dateAndTime ? showDateTime(timeOf(b), zone(b), locale) : showTime(timeOf(b), zone(b), locale)}</td>
            <td>
              <button type="button" className="link" aria-label={`Open booking ${b.ref} for ${b.customer.name}`} onClick={(e) => { e.stopPropagation(); onOpen(b); }}>
                {b.ref}
              </button>
            </td>
            {showCustomer && <td className="wrap">{b.customer.name}</td>}
            <td>
              <span className="plate">{b.vehicle.plate}</span>
              <span className="sub">{className(b.vehicle.class)}</span>
            </td>
            {/* The board's flag ("No-show? 9 h 31") goes under the status rather than past the card's edge. */}
            <td className="wrap">
              <StatusBadge status={b.status} />
              {flagOf?.(b) && <span className={`flag ${flagOf(b)?.kind ?? ''}`}>{flagOf(b)?.text}</span>}
            </td>
            <td className={`num ${b.balanceDue.amount > 0 && b.status !== 'cancelled' && b.status !== 'no_show' ? 'due' : ''}`}>{showMoney(b.balanceDue, locale)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
