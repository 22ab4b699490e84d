import { MS_PER_DAY, isoWeekdayAt } from './calendar';
import type { VehicleClassRate } from './schemas';

/** How a rental's days are charged: whole weeks at the weekly rate, the rest day by day. */
export type RentalBreakdown = {
  weeks: number;
  /** Days outside weeks charged at `dailyRate` (includes weekend days when the class has no weekend rate). */
  weekdayDays: number;
  /** Days outside weeks charged at `weekendDailyRate`. */
  weekendDays: number;
  amount: number;
};

/**
 * Cheapest way to charge `days` rental days for one class.
 *
 * Day i starts at pickup + i × 24 h and is a weekend day when that instant falls on one of
 * `weekendDays` in `timeZone` (so a rental picked up Friday 18:00 has its second day starting
 * Saturday 18:00: a weekend day). A week is any 7 consecutive rental days at `weeklyRate`.
 * Dynamic programming over day positions picks the cheapest mix of weeks and single days;
 * a week is used only when strictly cheaper, so ties show plain days. O(days).
 */
export function chargeRentalDays(
  rate: VehicleClassRate,
  days: number,
  pickupMs: number,
  timeZone: string,
  weekendDays: readonly number[],
): RentalBreakdown {
  const weekendRate = rate.weekendDailyRate;
  const isWeekend: boolean[] = new Array<boolean>(days).fill(false);
  if (weekendRate !== undefined && weekendDays.length > 0) {
    for (let i = 0; i < days; i++) isWeekend[i] = weekendDays.includes(isoWeekdayAt(pickupMs + i * MS_PER_DAY, timeZone));
  }
  const dayPrice = (i: number): number => (isWeekend[i] && weekendRate !== undefined ? weekendRate : rate.dailyRate);
  const weekly = rate.weeklyRate;

  if (weekly === undefined || days < 7) {
    let weekendCount = 0;
    let amount = 0;
    for (let i = 0; i < days; i++) {
      if (isWeekend[i]) weekendCount++;
      amount += dayPrice(i);
    }
    return { weeks: 0, weekdayDays: days - weekendCount, weekendDays: weekendCount, amount };
  }

  // best[i] = cheapest charge for days i..days-1; useWeek[i] = a week starts at day i.
  const best = new Array<number>(days + 1).fill(0);
  const useWeek = new Array<boolean>(days).fill(false);
  for (let i = days - 1; i >= 0; i--) {
    const single = dayPrice(i) + (best[i + 1] ?? 0);
    if (i + 7 <= days && weekly + (best[i + 7] ?? 0) < single) {
      best[i] = weekly + (best[i + 7] ?? 0);
      useWeek[i] = true;
    } else {
      best[i] = single;
    }
  }
  let weeks = 0;
  let weekdayDays = 0;
  let weekendCount = 0;
  for (let i = 0; i < days; ) {
    if (useWeek[i]) {
      weeks++;
      i += 7;
    } else {
      if (isWeekend[i]) weekendCount++;
      else weekdayDays++;
      i++;
    }
  }
  return { weeks, weekdayDays, weekendDays: weekendCount, amount: best[0] ?? 0 };
}
