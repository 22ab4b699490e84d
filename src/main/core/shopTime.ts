/**
 * Wall-clock arithmetic in the shop's IANA time zone, with Intl only. "Today" at the counter is
 * the shop's calendar day, not the machine's or UTC's; instants are stored as UTC ISO strings.
 */

import { addDays, localDate, zoneOffsetMs, zonedInstant, zonedParts } from '../../shared/zonedTime';

export { addDays, localDate, zoneOffsetMs, zonedInstant, zonedParts };

/** [start, end) of the shop's calendar day containing `ms`, as UTC ISO strings. */
export function dayBounds(date: string, timeZone: string): { start: string; end: string } {
  return {
    start: new Date(zonedInstant(date, 0, 0, timeZone)).toISOString(),
    end: new Date(zonedInstant(addDays(date, 1), 0, 0, timeZone)).toISOString(),
  };
}

/** Whole years from a birth date to a calendar date (both YYYY-MM-DD). */
export function ageOn(birthDate: string, date: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Any ISO instant with an offset → the stored form, UTC with milliseconds ("2025-06-02T07:00:00.000Z"). */
export function toStored(iso: string | number): string {
  return new Date(iso).toISOString();
}

const textFormatters = new Map<string, Intl.DateTimeFormat>();

/** "2 Jun 2025, 09:00" in the shop's zone and locale, for messages a clerk reads. */
export function formatShopTime(iso: string | number, timeZone: string, locale: string): string {
  const key = `${locale}|${timeZone}`;
  let f = textFormatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    textFormatters.set(key, f);
  }
  return f.format(new Date(iso)).replace(/[\u00a0\u202f]/g, ' ');
}
