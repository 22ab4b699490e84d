/**
 * Times at the counter are wall-clock times in the shop's time zone (settings.timeZone), which
 * may differ from the machine's. Instants travel as UTC ISO strings; these helpers convert
 * between the two with Intl only.
 */

import { addDays, zoneOffsetMs, zonedParts as parts } from '../../../shared/zonedTime';

export { addDays };

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

const offsetMs = zoneOffsetMs;

/** The shop's calendar date (YYYY-MM-DD) at an instant. */
export function shopDate(at: string | number | Date, timeZone: string): string {
  const p = parts(new Date(at).getTime(), timeZone);
  return `${pad(p.y, 4)}-${pad(p.mo)}-${pad(p.d)}`;
}

/** An instant as the value of an `<input type="datetime-local">` showing shop time: "2025-06-01T09:00". */
export function toLocalInput(at: string | number | Date, timeZone: string): string {
  const p = parts(new Date(at).getTime(), timeZone);
  return `${pad(p.y, 4)}-${pad(p.mo)}-${pad(p.d)}T${pad(p.h)}:${pad(p.mi)}`;
}

/** A datetime-local value read as shop time → UTC ISO instant; null when it is not a complete date and time. */
export function fromLocalInput(value: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return null;
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  if (new Date(wall).getUTCDate() !== d) return null;
  // Two passes settle the offset on either side of a daylight-saving change.
  let guess = wall - offsetMs(wall, timeZone);
  guess = wall - offsetMs(guess, timeZone);
  return new Date(guess).toISOString();
}

/** The UTC instant a shop calendar day starts. */
export function dayStart(date: string, timeZone: string): string {
  return fromLocalInput(`${date}T00:00`, timeZone) ?? new Date(`${date}T00:00:00Z`).toISOString();
}


function fmt(locale: string, timeZone: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(locale, { timeZone, ...opts });
  } catch {
    return new Intl.DateTimeFormat('en-GB', { timeZone, ...opts });
  }
}

const clean = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

/** "09:30" in shop time. */
export function showTime(at: string, timeZone: string, locale: string): string {
  return clean(fmt(locale, timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(at)));
}

/** "Mon 2 Jun 2025, 09:30" in shop time. */
export function showDateTime(at: string, timeZone: string, locale: string): string {
  return clean(
    fmt(locale, timeZone, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
      new Date(at),
    ),
  );
}

/** "2 Jun 2025" for a calendar date (no zone shift: the date is already local). */
export function showDate(date: string, locale: string): string {
  return clean(fmt(locale, 'UTC', { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(`${date}T12:00:00Z`)));
}

/** The clock a location's booking times are shown and typed on: its own zone, or the shop's when it has none (''). */
export function zoneOf(loc: { timeZone?: string | undefined } | null | undefined, shopZone: string): string {
  return loc?.timeZone || shopZone;
}

/** What to call that clock next to a time: "shop time", or "New York Penn time" for a location on its own clock. */
export function clockName(loc: { name: string; timeZone?: string | undefined } | null | undefined, shopZone: string): string {
  return !loc || zoneOf(loc, shopZone) === shopZone ? 'shop time' : `${loc.name} time`;
}
