/**
 * Pricing engine: a pure function from (booking facts, rate card) to a price quote.
 * No database, no I/O, no clock: the same input and card always give the same quote, byte for
 * byte, so a quote can be recomputed to check a stored one.
 *
 * ── API (import each name from the file shown; there is no index file) ────────────────────────
 *   priceBooking.ts  priceBooking(input: PriceInput, card: RateCard | PreparedRateCard): PriceQuote
 *                      Validates both arguments and prices the booking. Throws PricingError
 *                      (never anything else for bad data) whose `field` is the dotted path of the
 *                      first bad field (`extras.0.code`; rate-card paths start `rateCard.`) and
 *                      whose `message` a clerk can read ("Vehicle class: "limo" is not on rate
 *                      card Demo tariff (EUR) (demo-eur v1) (it has economy, …)"). `fields` lists
 *                      every bad field.
 *                    prepareRateCard(card: RateCard): PreparedRateCard
 *                      Validates a card once and returns a deep-frozen copy that priceBooking
 *                      skips re-validating (about 3× faster per booking; see bench/pricing.bench.ts).
 *   schemas.ts       rateCardSchema, priceInputSchema, priceQuoteSchema, priceLineSchema,
 *                    discountInputSchema, PRICE_LINE_KINDS, MAX_RENTAL_DAYS;
 *                    types RateCard, PriceInput (what callers write), ParsedRateCard,
 *                    ParsedPriceInput (defaults filled), PriceQuote, PriceLine, PriceLineKind,
 *                    DiscountInput.
 *   pricingError.ts  class PricingError extends PosError { field: string } (code 'invalid_input'
 *                    for the booking, 'configuration' for the rate card; rpc dispatch maps it).
 *   demoRateCard.ts  demoRateCard(currency?: 'EUR' | 'JPY' | 'KWD'): RateCard.
 *
 * ── What the bookings service should do ───────────────────────────────────────────────────────
 *   Store the whole PriceQuote (JSON) or its lines as booking_lines, plus rateCardId/version:
 *   the quote is the snapshot; never re-price a stored booking with a newer card unless staff ask.
 *   Re-price at return with `actualReturnAt`, `fuel`, `odometer`, `damages` filled in.
 *   Read stored quotes back with priceQuoteSchema.parse.
 *
 * ── Rules ─────────────────────────────────────────────────────────────────────────────────────
 *   Money: integer minor units of the card's currency (JPY 0 decimals, EUR 2, KWD 3).
 *   Rental days: each started 24 h from pickupAt to returnAt (instants; offsets and DST don't
 *     change the count). Minimum 1, maximum MAX_RENTAL_DAYS. Returning early refunds nothing.
 *   Weekend days: a rental day is a weekend day when its start (pickup + n × 24 h) falls on one
 *     of the card's `weekendDays` (default Sat, Sun) on the wall clock of `input.timeZone` or
 *     else `card.timeZone`, found with Intl. Charged at `weekendDailyRate` when the class has one.
 *   Weeks: any 7 consecutive rental days may be charged at `weeklyRate`; the cheapest mix of
 *     weeks and single days is chosen (a week only when strictly cheaper; deterministic).
 *   Extras: per_day × rental days or per_rental, × quantity; `maxAmount` caps each unit per rental.
 *   Young driver: each driver younger than `youngDriver.underAge` pays perDay × rental days,
 *     capped per driver at `maxAmount`. Drivers under `minimumDriverAge` are refused.
 *   One-way: when returnLocation ≠ pickupLocation, the route fee (either direction) or the
 *     flat fee; neither configured → refused.
 *   Late return: nothing up to `graceMinutes` after returnAt; beyond, every started hour from
 *     returnAt at the class's `lateHourlyRate`, each 24 h block capped at its `dailyRate`.
 *     Per-day extras, young-driver fee and mileage allowance use the booked days only, so
 *     returning later can never lower a charge.
 *   Fuel: eighths missing (out − in, never negative) or millilitres missing × price per unit
 *     (class override first), plus the card's refuelling service fee once when any is missing.
 *     Litre lines have quantityScale 1000 (quantity in ml); amount rounded once.
 *   Mileage: allowance = included × rental days (per 'day') or included (per 'rental'); each
 *     unit driven beyond it × excessPrice. No `mileage` on the card = unlimited.
 *   Damage: staff-entered amounts, one line each; taxable per `card.damageTaxable`.
 *   Discounts: in order, each on what remains of its scope ('rental' = day/weekend/week lines,
 *     'whole' = all charge lines), capped at what remains: the total never goes below zero.
 *     Fixed amounts are in the card's tax mode (gross when inclusive).
 *   Tax: one line on Σ taxable lines after discounts, rate in basis points (the card's, or
 *     `input.tax` — a location's own name and rate — when given). Exclusive: added.
 *     Inclusive: amounts are gross, the tax line says how much of the total is tax and has
 *     countsInTotal: false.
 *   Rounding: half away from zero, once per line (see rounding.ts for why). Only percentage
 *     discounts, fixed-discount splits, fuel by the litre and tax ever round.
 *   Totals: total = Σ amount of lines with countsInTotal; subtotal = Σ charge lines;
 *     discountTotal = Σ discount lines (≤ 0); taxTotal = the tax line's amount (0 if none).
 *   Line order: weekly, rental_days, weekend_days, extras (input order), young_driver_fee,
 *     one_way_fee, fees, late_return, fuel, mileage, damage, discounts, tax. Lines whose
 *     quantity is 0 are left out (discounts and tax are always shown).
 */
import { MAX_MINOR } from '../../../shared/money';
import { discountLines, taxLine } from './adjustments';
import { startedDays } from './calendar';
import { formatMilli, formatMinor, plural } from './format';
import { chargeLateReturn } from './lateReturn';
import { PricingError, fallbackMessage, fieldError, fromZodError } from './pricingError';
import { chargeRentalDays } from './rentalCharge';
import { mulDivRound, mulExact } from './rounding';
import {
  priceInputSchema,
  rateCardSchema,
  type ParsedPriceInput,
  type ParsedRateCard,
  type PriceInput,
  type PriceLine,
  type PriceQuote,
  type RateCard,
  type VehicleClassRate,
} from './schemas';

type LineDraft = Omit<PriceLine, 'quantityScale' | 'countsInTotal'> & { quantityScale?: 1 | 1000 };

// One key order for every line, so stored snapshots diff cleanly.
function line(d: LineDraft): PriceLine {
  return {
    kind: d.kind,
    code: d.code,
    description: d.description,
    quantity: d.quantity,
    quantityScale: d.quantityScale ?? 1,
    unitAmount: d.unitAmount,
    amount: d.amount,
    taxable: d.taxable,
    countsInTotal: true,
  };
}

function parseCard(card: RateCard | PreparedRateCard): ParsedRateCard {
  if (preparedCards.has(card)) return card as PreparedRateCard;
  const r = rateCardSchema.safeParse(card, { error: fallbackMessage });
  if (!r.success) throw fromZodError(r.error, ['rateCard']);
  return r.data;
}

declare const preparedBrand: unique symbol;
/** A rate card validated once by prepareRateCard: deep-frozen, so it cannot drift from what was checked. */
export type PreparedRateCard = ParsedRateCard & { readonly [preparedBrand]: true };

// Identity of cards this module validated and froze; membership cannot go stale because they are frozen.
const preparedCards = new WeakSet<object>();

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * Validates a rate card once (throws PricingError like priceBooking) and returns a frozen copy
 * that priceBooking accepts without validating again: most of the cost of pricing is checking the
 * card, so a caller pricing many bookings against one card (the bookings service, reports)
 * should prepare it when it loads it.
 */
export function prepareRateCard(card: RateCard): PreparedRateCard {
  const parsed = deepFreeze(parseCard(card)) as PreparedRateCard;
  preparedCards.add(parsed);
  return parsed;
}

function parseInput(input: PriceInput): ParsedPriceInput {
  const r = priceInputSchema.safeParse(input, { error: fallbackMessage });
  if (!r.success) throw fromZodError(r.error);
  return r.data;
}

function cardLabel(card: ParsedRateCard): string {
  return `${card.name} (${card.id} v${card.version})`;
}

/** Prices one booking against one rate card. Pure; throws PricingError on bad data (rules at the top of this file). */
export function priceBooking(input: PriceInput, card: RateCard | PreparedRateCard): PriceQuote {
  try {
    return price(input, card);
  } catch (err) {
    // Arithmetic guards throw RangeError only for absurd figures (e.g. a huge odometer excess × price).
    if (err instanceof RangeError) throw tooLarge();
    throw err;
  }
}

function price(input: PriceInput, card: RateCard | PreparedRateCard): PriceQuote {
  const c = parseCard(card);
  const b = parseInput(input);
  const cur = c.currency;
  const money = (n: number): string => formatMinor(n, cur);

  if (b.currency !== cur) {
    throw fieldError(['currency'], `this booking is in ${b.currency} but rate card ${cardLabel(c)} is in ${cur}`);
  }
  const rate = c.classes[b.vehicleClass];
  if (!Object.hasOwn(c.classes, b.vehicleClass) || !rate) {
    throw fieldError(['vehicleClass'], `"${b.vehicleClass}" is not on rate card ${cardLabel(c)} (it has ${Object.keys(c.classes).join(', ')})`);
  }

  const pickupMs = Date.parse(b.pickupAt);
  const returnMs = Date.parse(b.returnAt);
  const days = startedDays(pickupMs, returnMs);
  const timeZone = b.timeZone ?? c.timeZone;
  const lines: PriceLine[] = [];

  // Vehicle time.
  const rental = chargeRentalDays(rate, days, pickupMs, timeZone, c.weekendDays);
  if (rental.weeks > 0) {
    lines.push(line({ kind: 'weekly', code: b.vehicleClass, description: `${rate.name}, ${plural(rental.weeks, 'week')} × ${money(rate.weeklyRate ?? 0)}`, quantity: rental.weeks, unitAmount: rate.weeklyRate ?? 0, amount: mulExact(rental.weeks, rate.weeklyRate ?? 0), taxable: true }));
  }
  if (rental.weekdayDays > 0) {
    lines.push(line({ kind: 'rental_days', code: b.vehicleClass, description: `${rate.name}, ${plural(rental.weekdayDays, 'day')} × ${money(rate.dailyRate)}`, quantity: rental.weekdayDays, unitAmount: rate.dailyRate, amount: mulExact(rental.weekdayDays, rate.dailyRate), taxable: true }));
  }
  if (rental.weekendDays > 0) {
    const wr = rate.weekendDailyRate ?? rate.dailyRate;
    lines.push(line({ kind: 'weekend_days', code: b.vehicleClass, description: `${rate.name}, ${plural(rental.weekendDays, 'weekend day')} × ${money(wr)}`, quantity: rental.weekendDays, unitAmount: wr, amount: mulExact(rental.weekendDays, wr), taxable: true }));
  }

  lines.push(...extraLines(b, c, days, money));
  lines.push(...driverLines(b, c, days, money));
  lines.push(...oneWayLines(b, c));
  lines.push(...feeLines(b, c, money));
  lines.push(...lateLines(b, c, rate, returnMs, money));
  lines.push(...fuelLines(b, c, rate, money));
  lines.push(...mileageLines(b, c, days, money));
  for (const d of b.damages) {
    lines.push(line({ kind: 'damage', code: 'damage', description: `Damage: ${d.description}`, quantity: 1, unitAmount: d.amount, amount: d.amount, taxable: c.damageTaxable }));
  }

  const charges = lines.slice();
  const discounts = discountLines(charges, b.discounts, cur);
  lines.push(...discounts);
  // A location may charge its own tax (name and rate); the card's mode (inclusive or not) stays.
  const taxName = b.tax?.name ?? c.tax.name;
  const taxRateBp = b.tax?.rateBp ?? c.tax.rateBp;
  const tax = taxLine(lines, c.tax.mode, taxRateBp, taxName, money);
  if (tax) {
    // A line outside tax says so, so a customer can check the tax line against the others.
    for (const l of lines) if (!l.taxable && l.amount !== 0 && l.kind !== 'discount') l.description += ` (no ${taxName})`;
    lines.push(tax);
  }
  // Every line reads quantity × unit = amount. A capped line ("6 days × €8.00, capped at €40.00")
  // is one of its cap, the description telling how it came about.
  for (const l of lines) {
    if (mulDivRound(l.quantity, l.unitAmount, l.quantityScale) !== l.amount) {
      l.quantity = 1;
      l.quantityScale = 1;
      l.unitAmount = l.amount;
    }
  }

  const subtotal = sum(charges);
  const discountTotal = sum(discounts);
  const taxTotal = tax?.amount ?? 0;
  const total = subtotal + discountTotal + (c.tax.mode === 'exclusive' ? taxTotal : 0);
  for (const l of lines) if (Math.abs(l.amount) > MAX_MINOR || Math.abs(l.unitAmount) > MAX_MINOR) throw tooLarge();
  if (subtotal > MAX_MINOR || total > MAX_MINOR) throw tooLarge();

  const lateMs = b.actualReturnAt === undefined ? 0 : Date.parse(b.actualReturnAt) - returnMs;
  return {
    quoteFormat: 1,
    currency: cur,
    taxMode: c.tax.mode,
    taxRateBp,
    taxName,
    rateCardId: c.id,
    rateCardVersion: c.version,
    computedAt: b.computedAt,
    timeZone,
    rentalDays: days,
    lateMinutes: lateMs > 0 ? Math.ceil(lateMs / 60_000) : 0,
    lines,
    subtotal,
    discountTotal,
    taxTotal,
    total,
  };
}

function sum(lines: readonly PriceLine[]): number {
  let s = 0;
  for (const l of lines) s += l.amount;
  return s;
}

function tooLarge(): PricingError {
  return new PricingError('total', 'Total: this booking comes to more than Keydesk can charge at once; split it into several bookings.');
}

type Fmt = (n: number) => string;

function extraLines(b: ParsedPriceInput, c: ParsedRateCard, days: number, money: Fmt): PriceLine[] {
  return b.extras.map((e, i) => {
    const x = c.extras[e.code];
    if (!Object.hasOwn(c.extras, e.code) || !x) throw fieldError(['extras', i, 'code'], `"${e.code}" is not an extra on rate card ${cardLabel(c)}`);
    if (e.quantity > x.maxQuantity) throw fieldError(['extras', i, 'quantity'], `at most ${x.maxQuantity} × ${x.name} per booking`);
    const perUnitDays = x.charge === 'per_day' ? days : 1;
    const uncapped = mulExact(perUnitDays, x.amount);
    const perUnit = x.maxAmount === undefined ? uncapped : Math.min(uncapped, x.maxAmount);
    const what = x.charge === 'per_day' ? `${plural(days, 'day')} × ${money(x.amount)}` : money(x.amount);
    const capped = perUnit < uncapped ? ` (capped at ${money(perUnit)}${e.quantity > 1 ? ' each' : ''})` : '';
    return line({
      kind: 'extra',
      code: e.code,
      description: `${x.name}, ${e.quantity > 1 ? `${e.quantity} × ` : ''}${what}${capped}`,
      quantity: e.quantity * perUnitDays,
      unitAmount: x.amount,
      amount: mulExact(e.quantity, perUnit),
      taxable: x.taxable,
    });
  });
}

function driverLines(b: ParsedPriceInput, c: ParsedRateCard, days: number, money: Fmt): PriceLine[] {
  b.driverAges.forEach((age, i) => {
    if (c.minimumDriverAge !== undefined && age < c.minimumDriverAge) {
      throw fieldError(['driverAges', i], `is ${age}; rate card ${cardLabel(c)} requires drivers to be at least ${c.minimumDriverAge}`);
    }
  });
  const yd = c.youngDriver;
  if (!yd) return [];
  const young = b.driverAges.filter((a) => a < yd.underAge).length;
  if (young === 0) return [];
  const uncapped = mulExact(days, yd.perDay);
  const perDriver = yd.maxAmount === undefined ? uncapped : Math.min(uncapped, yd.maxAmount);
  const drivers = young > 1 ? `${young} drivers × ` : '';
  const capped = perDriver < uncapped ? ` (capped at ${money(perDriver)}${young > 1 ? ' per driver' : ''})` : '';
  return [
    line({
      kind: 'young_driver_fee',
      code: 'young_driver',
      description: `Young driver fee (under ${yd.underAge}), ${drivers}${plural(days, 'day')} × ${money(yd.perDay)}${capped}`,
      quantity: young * days,
      unitAmount: yd.perDay,
      amount: mulExact(young, perDriver),
      taxable: yd.taxable,
    }),
  ];
}

function oneWayLines(b: ParsedPriceInput, c: ParsedRateCard): PriceLine[] {
  if (b.pickupLocation === b.returnLocation) return [];
  const ow = c.oneWay;
  const route = ow?.routes.find((r) => r.from === b.pickupLocation && r.to === b.returnLocation) ?? ow?.routes.find((r) => r.from === b.returnLocation && r.to === b.pickupLocation);
  const fee = route?.fee ?? ow?.flatFee;
  if (!ow || fee === undefined) {
    throw fieldError(['returnLocation'], `rate card ${cardLabel(c)} has no one-way price from ${b.pickupLocation} to ${b.returnLocation}; return to ${b.pickupLocation} or ask the office`);
  }
  return [line({ kind: 'one_way_fee', code: 'one_way', description: `One-way fee, ${b.pickupLocation} to ${b.returnLocation}`, quantity: 1, unitAmount: fee, amount: fee, taxable: ow.taxable })];
}

function feeLines(b: ParsedPriceInput, c: ParsedRateCard, money: Fmt): PriceLine[] {
  return b.fees.map((f, i) => {
    const fee = c.fees[f.code];
    if (!Object.hasOwn(c.fees, f.code) || !fee) throw fieldError(['fees', i, 'code'], `"${f.code}" is not a fee on rate card ${cardLabel(c)}`);
    return line({ kind: 'fee', code: f.code, description: f.quantity > 1 ? `${fee.name}, ${f.quantity} × ${money(fee.amount)}` : fee.name, quantity: f.quantity, unitAmount: fee.amount, amount: mulExact(f.quantity, fee.amount), taxable: fee.taxable });
  });
}

function lateLines(b: ParsedPriceInput, c: ParsedRateCard, rate: VehicleClassRate, returnMs: number, money: Fmt): PriceLine[] {
  if (b.actualReturnAt === undefined) return [];
  const late = chargeLateReturn(Date.parse(b.actualReturnAt) - returnMs, c.lateReturn.graceMinutes, rate.lateHourlyRate, rate.dailyRate);
  if (!late) return [];
  // Each line reads quantity × unit = amount: whole days late at the day's charge (the daily cap
  // when it is lower than 24 hours), then the remaining hours, or the cap for them when lower.
  const out: PriceLine[] = [];
  const taxable = c.lateReturn.taxable;
  if (late.fullDays > 0) {
    const cap = late.perFullDay < 24 * rate.lateHourlyRate ? ` (24 h capped at ${money(rate.dailyRate)})` : ` (24 h × ${money(rate.lateHourlyRate)}/h)`;
    out.push(line({ kind: 'late_return', code: 'late_return', description: `Late return, ${plural(late.fullDays, 'full day')} × ${money(late.perFullDay)}${cap}`, quantity: late.fullDays, unitAmount: late.perFullDay, amount: mulExact(late.fullDays, late.perFullDay), taxable }));
  }
  if (late.restHours > 0) {
    const more = late.fullDays > 0 ? ' more' : '';
    out.push(
      late.restAmount < late.restHours * rate.lateHourlyRate
        ? line({ kind: 'late_return', code: 'late_return', description: `Late return, ${late.restHours} h${more} at ${money(rate.lateHourlyRate)}/h, capped at ${money(rate.dailyRate)} a day`, quantity: 1, unitAmount: late.restAmount, amount: late.restAmount, taxable })
        : line({ kind: 'late_return', code: 'late_return', description: `Late return, ${late.restHours} h${more} × ${money(rate.lateHourlyRate)}/h`, quantity: late.restHours, unitAmount: rate.lateHourlyRate, amount: late.restAmount, taxable }),
    );
  }
  return out;
}

function fuelLines(b: ParsedPriceInput, c: ParsedRateCard, rate: VehicleClassRate, money: Fmt): PriceLine[] {
  if (!b.fuel) return [];
  const f = c.fuel;
  if (!f) throw fieldError(['fuel'], `rate card ${cardLabel(c)} does not charge for fuel; leave fuel out`);
  if (b.fuel.unit !== f.unit) throw fieldError(['fuel', 'unit'], `rate card ${cardLabel(c)} charges fuel by the ${f.unit}; enter it in ${f.unit}s`);
  const price = rate.fuelPricePerUnit ?? f.pricePerUnit;
  const out: PriceLine[] = [];
  if (b.fuel.unit === 'eighth') {
    const missing = Math.max(0, b.fuel.outEighths - b.fuel.inEighths);
    if (missing === 0) return [];
    out.push(line({ kind: 'fuel', code: 'fuel', description: `Fuel, ${plural(missing, 'eighth')} of a tank missing × ${money(price)}`, quantity: missing, unitAmount: price, amount: mulExact(missing, price), taxable: f.taxable }));
  } else {
    const ml = b.fuel.missingMillilitres;
    if (ml === 0) return [];
    out.push(line({ kind: 'fuel', code: 'fuel', description: `Fuel, ${formatMilli(ml)} litres missing × ${money(price)}/litre`, quantity: ml, quantityScale: 1000, unitAmount: price, amount: mulDivRound(ml, price, 1000), taxable: f.taxable }));
  }
  if (f.serviceFee !== undefined) {
    out.push(line({ kind: 'fuel', code: 'refuel_service', description: 'Refuelling service', quantity: 1, unitAmount: f.serviceFee, amount: f.serviceFee, taxable: f.taxable }));
  }
  return out;
}

function mileageLines(b: ParsedPriceInput, c: ParsedRateCard, days: number, money: Fmt): PriceLine[] {
  const m = c.mileage;
  if (!m || !b.odometer) return [];
  const allowance = m.per === 'day' ? mulExact(m.included, days) : m.included;
  const excess = b.odometer.in - b.odometer.out - allowance;
  if (excess <= 0) return [];
  return [line({ kind: 'mileage', code: 'mileage', description: `Excess mileage, ${excess} ${m.unit} over the ${allowance} ${m.unit} allowance × ${money(m.excessPrice)}/${m.unit}`, quantity: excess, unitAmount: m.excessPrice, amount: mulExact(excess, m.excessPrice), taxable: m.taxable })];
}
