/**
 * Wall-clock arithmetic in an IANA time zone with Intl only, shared by main (which decides what
 * "today" is at the counter) and the renderer (which shows and reads shop times).
 */

const partFormatters = new Map<string, Intl.DateTimeFormat>();

export type ZonedParts = { y: number; mo: number; d: number; h: number; mi: number; s: number };

// formatToParts is slow (~10 µs); lists and the demo seed ask about the same minutes over and over.
const partsCache = new Map<string, ZonedParts>();

export function zonedParts(ms: number, timeZone: string): ZonedParts {
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

function uncachedParts(ms: number, timeZone: string): ZonedParts {
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
  const p = zonedParts(ms, timeZone);
  const asUtc = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The shop's calendar date (YYYY-MM-DD) at instant `ms`. */
export function localDate(ms: number, timeZone: string): string {
  const p = zonedParts(ms, timeZone);
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
