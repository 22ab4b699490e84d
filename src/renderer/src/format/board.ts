import type { BookingSummary } from '../../../shared/contract/bookings';

/** A pickup this late is a candidate for marking a no-show (the clerk decides). */
export const NO_SHOW_AFTER_MINUTES = 120;

export type BoardFlag = { kind: 'late' | 'no-show'; text: string };

const span = (min: number) => (min >= 60 ? `${Math.floor(min / 60)} h ${String(min % 60).padStart(2, '0')} min` : `${min} min`);

/** A reserved pickup past its time: late, and past two hours a no-show candidate; null otherwise. */
export function pickupFlag(b: Pick<BookingSummary, 'status' | 'pickupAt'>, nowMs: number): BoardFlag | null {
  if (b.status !== 'reserved') return null;
  const late = Math.floor((nowMs - Date.parse(b.pickupAt)) / 60_000);
  if (late < 1) return null;
  return late >= NO_SHOW_AFTER_MINUTES ? { kind: 'no-show', text: `No-show? ${span(late)} late` } : { kind: 'late', text: `Late ${span(late)}` };
}
