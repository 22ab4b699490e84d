/**
 * Time arithmetic for rentals. Durations are measured on instants (epoch ms), so the offset
 * written in an ISO string and daylight-saving changes never alter how many days are charged.
 * Only "which weekday does this rental day start on" needs a wall clock; that uses Intl with the
 * rate card's IANA time zone (or the booking's override).
 */

export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

// Intl formatters are costly to build; one per zone, and only zones Intl accepted are cached.
const weekdayFormatters = new Map<string, Intl.DateTimeFormat>();

function weekdayFormatter(timeZone: string): Intl.DateTimeFormat | undefined {
  let f = weekdayFormatters.get(timeZone);
  if (f) return f;
  try {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short' });
  } catch {
    return undefined;
  }
  weekdayFormatters.set(timeZone, f);
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  return weekdayFormatter(timeZone) !== undefined;
}

const ISO_WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** ISO weekday (Mon = 1 … Sun = 7) of an instant as seen on a wall clock in `timeZone`. */
export function isoWeekdayAt(epochMs: number, timeZone: string): number {
  const f = weekdayFormatter(timeZone);
  if (!f) throw new RangeError(`Unknown time zone ${timeZone}`);
  const day = ISO_WEEKDAY[f.format(epochMs)];
  if (day === undefined) throw new RangeError(`Unexpected weekday for ${timeZone}`);
  return day;
}

/** Each started 24 h from pickup is one rental day; a zero-length rental is refused earlier. */
export function startedDays(fromMs: number, toMs: number): number {
  return Math.ceil((toMs - fromMs) / MS_PER_DAY);
}
