import type { BookingStatus } from '../../../shared/contract/bookings';
import { STATUS_LABEL } from '../format/labels';

export function StatusBadge({ status }: { status: BookingStatus }) {
  return <span className={`status status-${status}`}>{STATUS_LABEL[status]}</span>;
}
