import { MS_PER_HOUR } from './calendar';

export type LateCharge = {
  /** Started hours after the scheduled return. */
  hours: number;
  /** Of which whole 24 h blocks. */
  fullDays: number;
  amount: number;
  /** A daily cap lowered the charge. */
  capped: boolean;
  /** What each whole 24 h block costs (24 hours, or the daily cap if lower). */
  perFullDay: number;
  /** The hours after the whole days, and what they cost (capped at a day too). */
  restHours: number;
  restAmount: number;
};

/**
 * Late return: nothing within the grace period; beyond it, every started hour counted from the
 * scheduled return (grace is a tolerance, not a free allowance) at `hourlyRate`, each 24 h block
 * capped at `dailyRate`. Returns undefined when nothing is owed for lateness.
 */
export function chargeLateReturn(lateMs: number, graceMinutes: number, hourlyRate: number, dailyRate: number): LateCharge | undefined {
  if (lateMs <= graceMinutes * 60_000) return undefined;
  const hours = Math.ceil(lateMs / MS_PER_HOUR);
  const fullDays = Math.floor(hours / 24);
  const restHours = hours % 24;
  const perFullDay = Math.min(24 * hourlyRate, dailyRate);
  const rest = Math.min(restHours * hourlyRate, dailyRate);
  const amount = fullDays * perFullDay + rest;
  return { hours, fullDays, amount, capped: amount < hours * hourlyRate, perFullDay, restHours, restAmount: rest };
}
