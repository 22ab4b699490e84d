import type { BookingDetail } from '../../../shared/contract/bookings';
import type { DepositPolicy } from '../../../shared/contract/deposits';
import { depositPolicySchema } from '../../../shared/contract/deposits';
import { formatMoney } from '../../../shared/money';
import type { CurrencyCode } from '../../../shared/money';

/** What a shop starts with: a deposit per class, more for long rentals, never below €200. */
export function defaultPolicy(currency: string): DepositPolicy {
  return {
    currency: currency as CurrencyCode,
    minimum: 20_000,
    defaultAmount: 30_000,
    longRentalDays: 7,
    classes: [
      { classCode: 'economy', amount: 20_000, longAmount: 30_000 },
      { classCode: 'compact', amount: 25_000, longAmount: 35_000 },
      { classCode: 'midsize', amount: 30_000, longAmount: 40_000 },
      { classCode: 'suv', amount: 50_000, longAmount: 70_000 },
      { classCode: 'van', amount: 50_000, longAmount: 70_000 },
      { classCode: 'premium', amount: 100_000, longAmount: 150_000 },
    ],
  };
}

export function parsePolicy(json: string | undefined, currency: string): DepositPolicy {
  if (!json) return defaultPolicy(currency);
  const parsed = depositPolicySchema.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : defaultPolicy(currency);
}

/** The deposit the policy asks for this booking, and the sentence that says why. */
export function requiredDeposit(policy: DepositPolicy, b: BookingDetail, locale: string): { amount: number; reason: string } {
  const days = Math.max(1, b.quote.rentalDays);
  const line = policy.classes.find((c) => c.classCode === b.vehicle.class);
  const long = days >= policy.longRentalDays;
  const base = line ? (long ? line.longAmount : line.amount) : policy.defaultAmount;
  const amount = Math.max(base, policy.minimum);
  const fmt = (n: number) => formatMoney({ amount: n, currency: policy.currency }, locale);
  const cls = b.vehicle.className || b.vehicle.class;
  const length = `${days} day${days === 1 ? '' : 's'}${long ? ` (${policy.longRentalDays}+ days rate)` : ''}`;
  const why = line ? `${cls}, ${length}: ${fmt(base)}` : `${cls} has no line of its own, ${length}: default ${fmt(base)}`;
  return { amount, reason: base < policy.minimum ? `${why}; raised to the minimum ${fmt(policy.minimum)}` : `${why} (minimum ${fmt(policy.minimum)})` };
}
