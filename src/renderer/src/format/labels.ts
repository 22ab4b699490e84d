import type { BookingStatus } from '../../../shared/contract/bookings';

export const STATUS_LABEL: Record<BookingStatus, string> = {
  reserved: 'Reserved',
  checked_out: 'Out',
  returned: 'Returned',
  closed: 'Closed',
  cancelled: 'Cancelled',
  no_show: 'No-show',
};

/** What a clerk may do with a booking in each status (main refuses the rest anyway). */
export type BookingAction = 'checkOut' | 'checkIn' | 'extend' | 'modify' | 'cancel' | 'noShow' | 'close';

export function actionsFor(status: BookingStatus): BookingAction[] {
  switch (status) {
    case 'reserved':
      return ['checkOut', 'modify', 'extend', 'noShow', 'cancel'];
    case 'checked_out':
      return ['checkIn', 'extend'];
    case 'returned':
      return ['close'];
    case 'closed':
    case 'cancelled':
    case 'no_show':
      return [];
  }
}

/** A fuel gauge reading in eighths, as a clerk says it. */
export function fuelLabel(eighths: number): string {
  if (eighths <= 0) return 'Empty';
  if (eighths >= 8) return 'Full';
  if (eighths === 4) return '1/2';
  if (eighths % 2 === 0) return `${eighths / 2}/4`;
  return `${eighths}/8`;
}

/** Lines that appear only when the vehicle comes back, highlighted on the booking. */
export const RETURN_LINE_KINDS = new Set(['late_return', 'fuel', 'mileage', 'damage']);

/** A price line's quantity in real units ("2.5" litres), never as a float calculation shown raw. */
export function lineQuantity(quantity: number, scale: number): string {
  if (scale <= 1) return String(quantity);
  const digits = String(scale).length - 1;
  if (10 ** digits !== scale) return String(Math.round((quantity / scale) * 100) / 100);
  const sign = quantity < 0 ? '-' : '';
  const s = String(Math.abs(quantity)).padStart(digits + 1, '0');
  const whole = s.slice(0, -digits);
  const frac = s.slice(-digits).replace(/0+$/, '');
  return sign + (frac ? `${whole}.${frac}` : whole);
}

/** True when a licence expiring on `expiry` (YYYY-MM-DD) is no longer valid on `date`. */
export function licenceExpiredOn(expiry: string, date: string): boolean {
  return expiry < date;
}
