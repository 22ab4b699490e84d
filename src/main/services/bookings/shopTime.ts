/**
 * Wall-clock arithmetic in the shop's IANA time zone, with Intl only. "Today" at the counter is
 * the shop's calendar day, not the machine's or UTC's; instants are stored as UTC ISO strings.
 */

const partFormatters = new Map<string, Intl.DateTimeFormat>();

type Parts = { y: number; mo: number; d: number; h: number; mi: number; s: number };

// formatToParts is slow (~10 µs); lists and the demo seed ask about the same minutes over and over.
const partsCache = new Map<string, Parts>();

function parts(ms: number, timeZone: string): Parts {
  if (ms % 60_000 === 0) {
    const key = `${timeZone}|${ms}`;
    let hit = partsCache.get(key);
    if (!hit) {
      if (partsCache.size > 20_000) partsCache.clear();
      hit = uncachedParts(ms, timeZone);
      partsCache.set(key, hit);
    }
    return hit;
  }
  return uncachedParts(ms, timeZone);
}

function uncachedParts(ms: number, timeZone: string): Parts {
  let f = partFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partFormatters.set(timeZone, f);
  }
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(ms)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { y: out.year ?? 0, mo: out.month ?? 1, d: out.day ?? 1, h: out.hour ?? 0, mi: out.minute ?? 0, s: out.second ?? 0 };
}

/** Offset of `timeZone` from UTC at instant `ms`, in ms (Amsterdam in summer: +7_200_000). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const p = parts(ms, timeZone);
  const asUtc = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The shop's calendar date (YYYY-MM-DD) at instant `ms`. */
export function localDate(ms: number, timeZone: string): string {
  const p = parts(ms, timeZone);
  return `${String(p.y).padStart(4, '0')}-${String(p.mo).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
}

/** The instant a wall-clock time happens in `timeZone` (a time skipped by DST moves forward). */
export function zonedInstant(date: string, hour: number, minute: number, timeZone: string): number {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, mo - 1, d, hour, minute);
  // Two passes settle the offset on either side of a DST change.
  let guess = wall - zoneOffsetMs(wall, timeZone);
  guess = wall - zoneOffsetMs(guess, timeZone);
  return guess;
}

export function addDays(date: string, days: number): string {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, mo - 1, d + days)).toISOString().slice(0, 10);
}

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
