import type { OpeningHours } from '../../../shared/contract/locations';
import { badInput } from '../../core/errors';
import { zonedParts } from '../../core/shopTime';

/**
 * Opening hours on a location's own wall clock. No hours stored means always open; once any day
 * is listed, a day not listed is closed. Hours are inclusive at both ends: a car may be picked up
 * at the opening minute and returned at the closing minute.
 */
const DAY_PLURAL = ['', 'Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays', 'Sundays'] as const;

export type OpenCheck = { name: string; timeZone: string; openingHours: OpeningHours };

/** ISO weekday (Mon = 1) and the minute of the day (with seconds as a fraction) of `iso` in `timeZone`. */
function wallClock(iso: string, timeZone: string): { day: number; minute: number; hhmm: string; date: string } {
  const ms = Date.parse(iso);
  const p = zonedParts(ms, timeZone);
  const day = ((new Date(Date.UTC(p.y, p.mo - 1, p.d)).getUTCDay() + 6) % 7) + 1;
  const hhmm = `${String(p.h).padStart(2, '0')}:${String(p.mi).padStart(2, '0')}`;
  return { day, minute: p.h * 60 + p.mi + p.s / 60, hhmm, date: `${p.y}-${String(p.mo).padStart(2, '0')}-${String(p.d).padStart(2, '0')}` };
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The sentence for a time outside a location's hours, or null when it is open then. */
export function closedSentence(loc: OpenCheck, iso: string, what: 'Pickup' | 'Return'): string | null {
  if (loc.openingHours.length === 0) return null;
  const w = wallClock(iso, loc.timeZone);
  const hours = loc.openingHours.find((h) => h.day === w.day);
  const day = DAY_PLURAL[w.day] ?? '';
  const open = loc.openingHours.map((h) => `${DAY_PLURAL[h.day]?.slice(0, 3)} ${h.opens}–${h.closes}`).join(', ');
  if (!hours) return `${loc.name} is closed on ${day}, so ${what.toLowerCase()} on ${w.date} cannot be there. Open: ${open}.`;
  if (w.minute < minutes(hours.opens) || w.minute > minutes(hours.closes)) {
    return `${loc.name} opens ${hours.opens}–${hours.closes} on ${day}; ${what.toLowerCase()} at ${w.hhmm} (${loc.timeZone}) is outside those hours.`;
  }
  return null;
}

/** Refuses a pickup or return outside the location's opening hours, naming the field. */
export function assertOpen(loc: OpenCheck, iso: string, field: string, what: 'Pickup' | 'Return'): void {
  const sentence = closedSentence(loc, iso, what);
  if (sentence) throw badInput(field, sentence);
}
