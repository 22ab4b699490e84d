import { PosError } from '../errors';

/** How far ahead a booking may start or end, in days, unless the shop sets otherwise. */
export const DEFAULT_BOOKING_HORIZON_DAYS = 730;
export const MIN_BOOKING_HORIZON_DAYS = 30;
export const MAX_BOOKING_HORIZON_DAYS = 3650;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The booking horizon: a pickup or return further ahead than `horizonDays` from now is refused
 * with `date_out_of_range`, naming the field and the last day accepted. Used by quote, create
 * and modify (the contract already bounds every date to the years 2000–2099).
 */
export function assertWithinHorizon(dates: { pickupAt?: string; returnAt?: string }, now: Date, horizonDays: number): void {
  const limit = now.getTime() + horizonDays * DAY_MS;
  const last = new Date(limit).toISOString().slice(0, 10);
  for (const field of ['pickupAt', 'returnAt'] as const) {
    const v = dates[field];
    if (v === undefined || Date.parse(v) <= limit) continue;
    const what = field === 'pickupAt' ? 'Pickup' : 'Return';
    const sentence = `${what} is too far ahead: bookings can be made up to ${horizonDays} days ahead (until ${last}).`;
    throw new PosError('date_out_of_range', sentence, { fields: { [field]: sentence } });
  }
}
