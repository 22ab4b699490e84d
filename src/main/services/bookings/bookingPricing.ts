import type { Selection } from '../../../shared/contract/bookings';
import { PosError } from '../../../shared/errors';
import { priceBooking, PricingError } from '../pricing/index';
import type { LoadedCard, PriceInput, PriceQuote } from '../pricing/index';
import { ageOn, localDate, toStored } from '../../core/shopTime';

/** What a booking knows that changes its price. Readings and damage only exist at check-in. */
export type PriceFacts = {
  vehicleClass: string;
  pickupAt: string;
  returnAt: string;
  pickupCode: string;
  returnCode: string;
  /** Main driver's birth date; null for a walk-up quote with no customer yet (priced as an adult). */
  dateOfBirth: string | null;
  extras: readonly Selection[];
  fees: readonly Selection[];
  actualReturnAt?: string;
  fuel?: { outEighths: number; inEighths: number; tankLitres: number };
  odometer?: { out: number; in: number };
  damages?: readonly { description: string; amount: number }[];
  /** Additional drivers' birth dates: the young-driver fee is priced for each (drivers module). */
  extraDriverBirthDates?: readonly string[];
  /** Discounts on this booking, applied in order to the whole price (discounts module). */
  discounts?: readonly BookingDiscountFact[];
};

/**
 * The clock and tax a price is worked out with: the pickup location's (bookingContext.pricingTerms)
 * or, re-pricing a saved booking, those of the quote it holds (keptTerms). A bare time zone is the
 * older form (driver ages on that clock, weekend days on the card's), kept for the demo seed.
 */
export type PriceTerms = { timeZone: string; tax?: { name: string; rateBp: number } | undefined };

export type BookingDiscountFact = { kind: 'percent'; percentBp: number; reason: string } | { kind: 'fixed'; amount: number; reason: string };

/** Age assumed when quoting without a customer: above every young-driver band. */
const WALK_UP_AGE = 30;

/**
 * The one place bookings call the pricing engine. Engine field paths are mapped to the fields of
 * the bookings contract (`driverAges.0` → `customerId`, `damages.1.amount` → `newDamage.1.amount`)
 * so the screen marks the control the clerk actually filled in.
 */
export function priceFacts(card: LoadedCard, f: PriceFacts, terms: PriceTerms | string, now: Date, classField: 'vehicleId' | 'vehicleClass' = 'vehicleId'): PriceQuote {
  const t = typeof terms === 'string' ? undefined : terms;
  const pickupDate = localDate(Date.parse(f.pickupAt), typeof terms === 'string' ? terms : terms.timeZone);
  const input: PriceInput = {
    currency: card.card.currency,
    vehicleClass: f.vehicleClass,
    pickupAt: toStored(f.pickupAt),
    returnAt: toStored(f.returnAt),
    pickupLocation: f.pickupCode,
    returnLocation: f.returnCode,
    driverAges: [
      f.dateOfBirth === null ? WALK_UP_AGE : Math.max(0, ageOn(f.dateOfBirth, pickupDate)),
      ...(f.extraDriverBirthDates ?? []).map((d) => Math.max(0, ageOn(d, pickupDate))),
    ],
    discounts: (f.discounts ?? []).map((d) =>
      d.kind === 'percent'
        ? { code: 'discount', description: d.reason.slice(0, 120), appliesTo: 'whole' as const, type: 'percent' as const, percentBp: d.percentBp }
        : { code: 'discount', description: d.reason.slice(0, 120), appliesTo: 'whole' as const, type: 'fixed' as const, amount: d.amount },
    ),
    extras: f.extras.map((e) => ({ code: e.code, quantity: e.quantity ?? 1 })),
    fees: f.fees.map((e) => ({ code: e.code, quantity: e.quantity ?? 1 })),
    damages: (f.damages ?? []).map((d) => ({ description: d.description, amount: d.amount })),
    computedAt: now.toISOString(),
  };
  if (t) input.timeZone = t.timeZone;
  if (t?.tax) input.tax = t.tax;
  if (f.actualReturnAt !== undefined) input.actualReturnAt = toStored(f.actualReturnAt);
  if (f.odometer) input.odometer = f.odometer;
  if (f.fuel && card.card.fuel) {
    const missing = Math.max(0, f.fuel.outEighths - f.fuel.inEighths);
    input.fuel =
      card.card.fuel.unit === 'eighth'
        ? { unit: 'eighth', outEighths: f.fuel.outEighths, inEighths: f.fuel.inEighths }
        : // An eighth of the tank, in millilitres: tank litres × 1000 / 8.
          { unit: 'litre', missingMillilitres: missing * f.fuel.tankLitres * 125 };
  }
  try {
    return priceBooking(input, card.card);
  } catch (err) {
    if (err instanceof PricingError) throw remap(err, classField);
    throw err;
  }
}

function mapField(field: string, classField: string): string {
  if (field.startsWith('rateCard')) return field;
  if (field.startsWith('vehicleClass')) return classField;
  if (field.startsWith('driverAges')) return 'customerId';
  if (field === 'pickupLocation') return 'pickupLocationId';
  if (field === 'returnLocation') return 'returnLocationId';
  if (field.startsWith('damages.')) return `newDamage.${field.slice('damages.'.length)}`;
  if (field.startsWith('odometer')) return 'odometer';
  if (field.startsWith('fuel')) return 'fuelEighths';
  if (field.startsWith('actualReturnAt')) return 'returnedAt';
  return field;
}

function remap(err: PricingError, classField: string): PosError {
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(err.fields ?? {})) fields[mapField(k, classField)] ??= v;
  return new PosError(err.code, err.message, { fields, cause: err });
}
