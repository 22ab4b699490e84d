// Over 400 lines on purpose: worked prices for every rule of the rate card, one block per rule, read as a table.
import { describe, expect, it } from 'vitest';
import { demoRateCard } from './demoRateCard';
import { prepareRateCard, priceBooking } from './priceBooking';
import { PricingError } from './pricingError';
import { mulDivRound } from './rounding';
import { priceQuoteSchema, type PriceInput, type PriceLineKind, type PriceQuote, type RateCard } from './schemas';

// 2 June 2025 is a Monday. Amsterdam is UTC+2 in summer.
const MON_9 = '2025-06-02T09:00:00+02:00';

function eurBooking(over: Partial<PriceInput> = {}): PriceInput {
  return {
    currency: 'EUR',
    vehicleClass: 'midsize',
    pickupAt: MON_9,
    returnAt: '2025-06-05T09:00:00+02:00', // Thursday: 3 weekdays
    pickupLocation: 'AMS',
    returnLocation: 'AMS',
    driverAges: [40],
    computedAt: '2025-06-01T12:00:00Z',
    ...over,
  };
}

function jpyBooking(over: Partial<PriceInput> = {}): PriceInput {
  return {
    currency: 'JPY',
    vehicleClass: 'economy',
    pickupAt: '2025-06-02T10:00:00+09:00',
    returnAt: '2025-06-05T10:00:00+09:00',
    pickupLocation: 'HND',
    returnLocation: 'HND',
    driverAges: [40],
    computedAt: '2025-06-01T12:00:00Z',
    ...over,
  };
}

function linesOf(q: PriceQuote, kind: PriceLineKind) {
  return q.lines.filter((l) => l.kind === kind);
}

function only(q: PriceQuote, kind: PriceLineKind) {
  const ls = linesOf(q, kind);
  expect(ls).toHaveLength(1);
  return ls[0]!;
}

function errorOf(fn: () => unknown): PricingError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PricingError);
    return e as PricingError;
  }
  throw new Error('expected a PricingError');
}

describe('priceBooking: rental days, weekends and weeks', () => {
  it('3 days midsize at €45.00 + child seat €8/day + 20% VAT = €190.80', () => {
    const q = priceBooking(eurBooking({ extras: [{ code: 'child_seat' }] }), demoRateCard());
    expect(q.lines.map((l) => [l.kind, l.description, l.amount])).toEqual([
      ['rental_days', 'Midsize, 3 days × €45.00', 13500],
      ['extra', 'Child seat, 3 days × €8.00', 2400],
      ['tax', 'VAT 20% of €159.00', 3180],
    ]);
    expect(q).toMatchObject({ rentalDays: 3, subtotal: 15900, discountTotal: 0, taxTotal: 3180, total: 19080, currency: 'EUR', taxMode: 'exclusive', rateCardId: 'demo-eur', rateCardVersion: 1 });
    expect(priceQuoteSchema.parse(q)).toEqual(q);
  });

  it('a Saturday day is charged at the weekend rate and the child seat is capped at €40.00', () => {
    // Mon 09:00 → Sun 09:00: days start Mon..Sat, Saturday at €39.00. Seat 6 × €8 = €48 → €40.
    const q = priceBooking(eurBooking({ returnAt: '2025-06-08T09:00:00+02:00', extras: [{ code: 'child_seat' }] }), demoRateCard());
    expect(only(q, 'rental_days')).toMatchObject({ quantity: 5, unitAmount: 4500, amount: 22500 });
    expect(only(q, 'weekend_days')).toMatchObject({ quantity: 1, unitAmount: 3900, amount: 3900, description: 'Midsize, 1 weekend day × €39.00' });
    expect(only(q, 'extra')).toMatchObject({ quantity: 1, unitAmount: 4000, amount: 4000, description: 'Child seat, 6 days × €8.00 (capped at €40.00)' });
    expect(q.subtotal).toBe(30400);
    expect(q.taxTotal).toBe(6080);
    expect(q.total).toBe(36480);
  });

  it('each started 24 h is a day: 3 days and 1 minute is 4 days', () => {
    const q = priceBooking(eurBooking({ returnAt: '2025-06-05T09:01:00+02:00' }), demoRateCard());
    expect(q.rentalDays).toBe(4);
    expect(only(q, 'rental_days').amount).toBe(4 * 4500);
  });

  it('a week costs the weekly rate: 10 days = 1 week €269.00 + 3 days × €45.00', () => {
    const q = priceBooking(eurBooking({ returnAt: '2025-06-12T09:00:00+02:00' }), demoRateCard());
    expect(only(q, 'weekly')).toMatchObject({ quantity: 1, unitAmount: 26900, amount: 26900, description: 'Midsize, 1 week × €269.00' });
    expect(only(q, 'rental_days')).toMatchObject({ quantity: 3, amount: 13500 });
    expect(linesOf(q, 'weekend_days')).toHaveLength(0);
    expect(q.subtotal).toBe(40400); // day by day would be 8 × 45 + 2 × 39 = €438.00
  });

  it('the weekly rate is not used where single days are cheaper', () => {
    const card = demoRateCard();
    card.classes.midsize!.weeklyRate = 30400; // 5 × 45 + 2 × 39 = 303.00 is cheaper
    const q = priceBooking(eurBooking({ returnAt: '2025-06-09T09:00:00+02:00' }), card);
    expect(linesOf(q, 'weekly')).toHaveLength(0);
    expect(q.subtotal).toBe(30300);
  });

  it('6 days can cost more than 7 (weeks apply only to full 7 days) — a known consequence', () => {
    const six = priceBooking(eurBooking({ returnAt: '2025-06-08T09:00:00+02:00' }), demoRateCard());
    const seven = priceBooking(eurBooking({ returnAt: '2025-06-09T09:00:00+02:00' }), demoRateCard());
    expect(six.subtotal).toBe(26400);
    expect(seven.subtotal).toBe(26900);
    const economySix = priceBooking(eurBooking({ vehicleClass: 'economy', returnAt: '2025-06-08T09:00:00+02:00' }), demoRateCard());
    const economySeven = priceBooking(eurBooking({ vehicleClass: 'economy', returnAt: '2025-06-09T09:00:00+02:00' }), demoRateCard());
    expect(economySix.subtotal).toBe(5 * 3500 + 2900); // €204.00
    expect(economySeven.subtotal).toBe(19900); // €199.00: cheaper than six days
  });

  it('weekend days are found on the local wall clock of the card’s time zone, or the input’s override', () => {
    // Sat 00:30 in Amsterdam is still Friday 22:30 in UTC.
    const input = eurBooking({ pickupAt: '2025-06-07T00:30:00+02:00', returnAt: '2025-06-09T00:30:00+02:00' });
    const amsterdam = priceBooking(input, demoRateCard());
    expect(only(amsterdam, 'weekend_days').quantity).toBe(2);
    expect(amsterdam.subtotal).toBe(7800);
    const utc = priceBooking({ ...input, timeZone: 'UTC' }, demoRateCard());
    expect(only(utc, 'rental_days').quantity).toBe(1);
    expect(only(utc, 'weekend_days').quantity).toBe(1);
    expect(utc.subtotal).toBe(8400);
    expect(utc.timeZone).toBe('UTC');
  });

  it('days are counted on instants across a DST change, and each day’s weekday is its local start', () => {
    // Sat 29 Mar 2025 23:30 CET → Tue 1 Apr 23:30 CEST is 71 real hours: 3 days. Day 2 starts
    // 24 h later = Mon 00:30 CEST (the clocks went forward), so only Saturday is a weekend day.
    const q = priceBooking(eurBooking({ pickupAt: '2025-03-29T23:30:00+01:00', returnAt: '2025-04-01T23:30:00+02:00' }), demoRateCard());
    expect(q.rentalDays).toBe(3);
    expect(only(q, 'weekend_days').quantity).toBe(1);
    expect(only(q, 'rental_days').quantity).toBe(2);
  });

  it('the same instants written with different offsets price the same', () => {
    const a = priceBooking(eurBooking(), demoRateCard());
    const b = priceBooking(eurBooking({ pickupAt: '2025-06-02T07:00:00Z', returnAt: '2025-06-05T16:00:00+09:00' }), demoRateCard());
    expect(b).toEqual(a);
  });

  it('KWD: three decimals, Friday + Saturday weekend, no VAT line when the rate is 0', () => {
    // Thu 10:00 Kuwait → Sun 10:00: Thu (9.500) + Fri, Sat (8.750 each) = KWD 27.000.
    const q = priceBooking(
      { ...eurBooking(), currency: 'KWD', vehicleClass: 'economy', pickupAt: '2025-06-05T10:00:00+03:00', returnAt: '2025-06-08T10:00:00+03:00', pickupLocation: 'KWI', returnLocation: 'KWI' },
      demoRateCard('KWD'),
    );
    expect(only(q, 'weekend_days')).toMatchObject({ quantity: 2, unitAmount: 8750, description: 'Economy, 2 weekend days × KWD 8.750' });
    expect(q.total).toBe(27000);
    expect(linesOf(q, 'tax')).toHaveLength(0);
    expect(q.taxTotal).toBe(0);
  });
});

describe('priceBooking: extras, drivers, one-way and fees', () => {
  it('per-rental extras and several units of a per-day extra', () => {
    const q = priceBooking(eurBooking({ extras: [{ code: 'snow_chains' }, { code: 'child_seat', quantity: 2 }, { code: 'gps' }] }), demoRateCard());
    expect(linesOf(q, 'extra').map((l) => [l.code, l.description, l.quantity, l.amount])).toEqual([
      ['snow_chains', 'Snow chains, €25.00', 1, 2500],
      ['child_seat', 'Child seat, 2 × 3 days × €8.00', 6, 4800],
      ['gps', 'GPS, 3 days × €6.00', 3, 1800],
    ]);
  });

  it('a young driver pays €15.00 a day, capped at €105.00; the driver over 25 pays nothing', () => {
    const q3 = priceBooking(eurBooking({ driverAges: [22, 30] }), demoRateCard());
    expect(only(q3, 'young_driver_fee')).toMatchObject({ quantity: 3, unitAmount: 1500, amount: 4500, description: 'Young driver fee (under 25), 3 days × €15.00' });
    const q10 = priceBooking(eurBooking({ driverAges: [22, 24], returnAt: '2025-06-12T09:00:00+02:00' }), demoRateCard());
    expect(only(q10, 'young_driver_fee')).toMatchObject({ quantity: 1, unitAmount: 21000, amount: 21000, description: 'Young driver fee (under 25), 2 drivers × 10 days × €15.00 (capped at €105.00 per driver)' });
    expect(linesOf(priceBooking(eurBooking({ driverAges: [25] }), demoRateCard()), 'young_driver_fee')).toHaveLength(0);
  });

  it('one-way: the route fee in either direction, else the flat fee', () => {
    const fee = (from: string, to: string) => only(priceBooking(eurBooking({ pickupLocation: from, returnLocation: to }), demoRateCard()), 'one_way_fee');
    expect(fee('AMS', 'RTM')).toMatchObject({ amount: 4500, description: 'One-way fee, AMS to RTM' });
    expect(fee('RTM', 'AMS').amount).toBe(4500);
    expect(fee('AMS', 'UTR').amount).toBe(7500);
    expect(linesOf(priceBooking(eurBooking(), demoRateCard()), 'one_way_fee')).toHaveLength(0);
  });

  it('fees from the rate card, with quantity', () => {
    const q = priceBooking(eurBooking({ fees: [{ code: 'airport_surcharge' }, { code: 'cleaning', quantity: 2 }] }), demoRateCard());
    expect(linesOf(q, 'fee').map((l) => [l.description, l.amount])).toEqual([
      ['Airport surcharge', 3500],
      ['Special cleaning, 2 × €60.00', 12000],
    ]);
  });
});

describe('priceBooking: return charges', () => {
  const lateBy = (actual: string) => linesOf(priceBooking(eurBooking({ actualReturnAt: actual }), demoRateCard()), 'late_return');

  it('late return: free within 59 minutes, then €12.00 per started hour, capped at €45.00 per day', () => {
    expect(lateBy('2025-06-05T09:59:00+02:00')).toEqual([]);
    expect(lateBy('2025-06-05T08:00:00+02:00')).toEqual([]); // early: nothing back, nothing extra
    expect(lateBy('2025-06-05T10:00:00+02:00')[0]).toMatchObject({ quantity: 1, unitAmount: 1200, amount: 1200, description: 'Late return, 1 h × €12.00/h' });
    expect(lateBy('2025-06-05T10:01:00+02:00')[0]).toMatchObject({ quantity: 2, amount: 2400 });
    expect(lateBy('2025-06-05T13:30:00+02:00')).toEqual([expect.objectContaining({ quantity: 1, unitAmount: 4500, amount: 4500, description: 'Late return, 5 h at €12.00/h, capped at €45.00 a day' })]);
    // 1 day 2 h: one capped day + 2 hours, each line quantity × unit = amount.
    expect(lateBy('2025-06-06T11:00:00+02:00').map((l) => [l.description, l.quantity, l.unitAmount, l.amount])).toEqual([
      ['Late return, 1 full day × €45.00 (24 h capped at €45.00)', 1, 4500, 4500],
      ['Late return, 2 h more × €12.00/h', 2, 1200, 2400],
    ]);
  });

  it('late minutes are recorded on the quote and the rental days stay the booked ones', () => {
    const q = priceBooking(eurBooking({ actualReturnAt: '2025-06-05T11:30:00+02:00', extras: [{ code: 'gps' }] }), demoRateCard());
    expect(q.lateMinutes).toBe(150);
    expect(q.rentalDays).toBe(3);
    expect(only(q, 'extra').quantity).toBe(3);
  });

  it('fuel by the eighth: 3 eighths × €12.00 + €15.00 service; SUV eighths cost €15.00', () => {
    const q = priceBooking(eurBooking({ fuel: { unit: 'eighth', outEighths: 8, inEighths: 5 } }), demoRateCard());
    expect(linesOf(q, 'fuel').map((l) => [l.code, l.description, l.amount])).toEqual([
      ['fuel', 'Fuel, 3 eighths of a tank missing × €12.00', 3600],
      ['refuel_service', 'Refuelling service', 1500],
    ]);
    const suv = priceBooking(eurBooking({ vehicleClass: 'suv', fuel: { unit: 'eighth', outEighths: 8, inEighths: 7 } }), demoRateCard());
    expect(linesOf(suv, 'fuel')[0]!.amount).toBe(1500);
    const full = priceBooking(eurBooking({ fuel: { unit: 'eighth', outEighths: 6, inEighths: 8 } }), demoRateCard());
    expect(linesOf(full, 'fuel')).toEqual([]);
  });

  it('fuel by the litre in yen: 0.75 L × ¥198 = ¥148.5 → ¥149 (half away from zero)', () => {
    const q = priceBooking(jpyBooking({ fuel: { unit: 'litre', missingMillilitres: 750 } }), demoRateCard('JPY'));
    expect(linesOf(q, 'fuel')[0]).toMatchObject({ quantity: 750, quantityScale: 1000, unitAmount: 198, amount: 149, description: 'Fuel, 0.75 litres missing × JP¥198/litre' });
    const q2 = priceBooking(jpyBooking({ fuel: { unit: 'litre', missingMillilitres: 12_345 } }), demoRateCard('JPY'));
    expect(linesOf(q2, 'fuel')[0]!.amount).toBe(2444); // 2,444.31
  });

  it('excess mileage: 870 km in 3 days over 750 km allowance = 120 × €0.25 = €30.00', () => {
    const q = priceBooking(eurBooking({ odometer: { out: 10_000, in: 10_870 } }), demoRateCard());
    expect(only(q, 'mileage')).toMatchObject({ quantity: 120, unitAmount: 25, amount: 3000, description: 'Excess mileage, 120 km over the 750 km allowance × €0.25/km' });
    expect(linesOf(priceBooking(eurBooking({ odometer: { out: 10_000, in: 10_750 } }), demoRateCard()), 'mileage')).toEqual([]);
    const perRental = demoRateCard();
    perRental.mileage = { unit: 'mi', included: 500, per: 'rental', excessPrice: 40 };
    const qr = priceBooking(eurBooking({ odometer: { out: 0, in: 620 } }), perRental);
    expect(only(qr, 'mileage')).toMatchObject({ quantity: 120, amount: 4800 });
  });

  it('damage is charged as entered and, on the demo card, carries no VAT', () => {
    const q = priceBooking(eurBooking({ damages: [{ description: 'Scratch on rear bumper', amount: 25_000 }] }), demoRateCard());
    expect(only(q, 'damage')).toMatchObject({ description: 'Damage: Scratch on rear bumper (no VAT)', amount: 25_000, taxable: false });
    expect(only(q, 'tax').description).toBe('VAT 20% of €135.00');
    expect(q.taxTotal).toBe(2700); // 20% of €135.00 only
    expect(q.total).toBe(13_500 + 25_000 + 2700);
  });
});

describe('priceBooking: discounts and tax', () => {
  it('10% off rental takes €13.50 off €135.00 before VAT', () => {
    const q = priceBooking(eurBooking({ extras: [{ code: 'gps' }], discounts: [{ code: 'CORP10', type: 'percent', percentBp: 1000, appliesTo: 'rental' }] }), demoRateCard());
    expect(only(q, 'discount')).toMatchObject({ code: 'CORP10', description: '10% off rental', amount: -1350, taxable: true });
    expect(q.discountTotal).toBe(-1350);
    expect(q.subtotal).toBe(13_500 + 1800);
    expect(q.taxTotal).toBe(2790); // 20% of €139.50
    expect(q.total).toBe(13_500 + 1800 - 1350 + 2790);
  });

  it('12.5% of €105.00 is €13.125 → €13.13: half away from zero (banker’s would give €13.12)', () => {
    const q = priceBooking(eurBooking({ vehicleClass: 'economy', discounts: [{ code: 'X', type: 'percent', percentBp: 1250, appliesTo: 'whole' }] }), demoRateCard());
    expect(only(q, 'discount').amount).toBe(-1313);
  });

  it('discounts apply in order to what is left: 10% then 10% is 19%', () => {
    const q = priceBooking(
      eurBooking({ discounts: [{ code: 'A', type: 'percent', percentBp: 1000, appliesTo: 'rental' }, { code: 'B', type: 'percent', percentBp: 1000, appliesTo: 'whole' }] }),
      demoRateCard(),
    );
    expect(linesOf(q, 'discount').map((l) => l.amount)).toEqual([-1350, -1215]);
  });

  it('a rental discount after a whole discount applies to the rental that is left', () => {
    // €135.00 rental + €18.00 GPS; 10% whole = €15.30 (€13.50 of it on the rental); 10% of €121.50 = €12.15.
    const q = priceBooking(
      eurBooking({ extras: [{ code: 'gps' }], discounts: [{ code: 'A', type: 'percent', percentBp: 1000, appliesTo: 'whole' }, { code: 'B', type: 'percent', percentBp: 1000, appliesTo: 'rental' }] }),
      demoRateCard(),
    );
    expect(linesOf(q, 'discount').map((l) => l.amount)).toEqual([-1530, -1215]);
  });

  it('a fixed discount never takes the total below zero', () => {
    const q = priceBooking(eurBooking({ discounts: [{ code: 'VIP', type: 'fixed', amount: 100_000, appliesTo: 'whole' }] }), demoRateCard());
    expect(only(q, 'discount')).toMatchObject({ amount: -13_500, description: '€1,000.00 off total' });
    expect(q.taxTotal).toBe(0);
    expect(q.total).toBe(0);
  });

  it('a whole discount over taxable and non-taxable lines is split so VAT follows the taxable part', () => {
    const q = priceBooking(
      eurBooking({ damages: [{ description: 'Dent', amount: 25_000 }], discounts: [{ code: 'GOODWILL', type: 'percent', percentBp: 1000, appliesTo: 'whole', description: 'Goodwill 10%' }] }),
      demoRateCard(),
    );
    expect(linesOf(q, 'discount').map((l) => [l.description, l.amount, l.taxable])).toEqual([
      ['Goodwill 10% (taxable items)', -1350, true],
      ['Goodwill 10% (non-taxable items)', -2500, false],
    ]);
    expect(q.taxTotal).toBe(2430); // 20% of €121.50
    expect(q.total).toBe(38_500 - 3850 + 2430); // €370.80
  });

  it('inclusive tax (JPY): prices already contain 10%, the tax line shows it and is not added', () => {
    // ¥5,500 × 3 + fuel ¥149 + service ¥1,100 = ¥17,749; tax inside = 17,749 / 11 = 1,613.5 → ¥1,614.
    const q = priceBooking(jpyBooking({ fuel: { unit: 'litre', missingMillilitres: 750 } }), demoRateCard('JPY'));
    expect(q.total).toBe(17_749);
    expect(q.taxMode).toBe('inclusive');
    expect(only(q, 'tax')).toMatchObject({ amount: 1614, countsInTotal: false, description: 'Includes Consumption tax 10% of JP¥17,749' });
    expect(q.taxTotal).toBe(1614);
    expect(only(q, 'rental_days').description).toBe('Economy, 3 days × JP¥5,500');
  });

  it('tax rounds once on the total base, half away from zero', () => {
    const card = demoRateCard();
    card.tax.rateBp = 2100; // 21% of €0.50 = 10.5 cents
    card.classes.midsize!.dailyRate = 50;
    const q = priceBooking(eurBooking({ returnAt: '2025-06-03T09:00:00+02:00' }), card);
    expect(q.taxTotal).toBe(11);
    expect(mulDivRound(-50, 2100, 10_000)).toBe(-11);
  });
});

describe('priceBooking: refusing bad input with the field named', () => {
  const cases: Array<[string, () => unknown, string, RegExp]> = [
    ['return before pickup', () => priceBooking(eurBooking({ returnAt: '2025-06-01T09:00:00+02:00' }), demoRateCard()), 'returnAt', /^Return time: must be after the pickup time/],
    ['return equal to pickup', () => priceBooking(eurBooking({ returnAt: MON_9 }), demoRateCard()), 'returnAt', /^Return time: must be after/],
    ['actual return before pickup', () => priceBooking(eurBooking({ actualReturnAt: '2025-06-01T09:00:00+02:00' }), demoRateCard()), 'actualReturnAt', /^Actual return time: must be after the pickup/],
    ['date without offset', () => priceBooking(eurBooking({ pickupAt: '2025-06-02T09:00:00' }), demoRateCard()), 'pickupAt', /^Pickup time: must be a date and time with a UTC offset/],
    ['rental over a year', () => priceBooking(eurBooking({ returnAt: '2026-06-05T09:00:00+02:00' }), demoRateCard()), 'returnAt', /longer than 366 days/],
    ['negative damage amount', () => priceBooking(eurBooking({ damages: [{ description: 'Dent', amount: -100 }] }), demoRateCard()), 'damages.0.amount', /^Damage 1 amount: amount cannot be negative/],
    ['fractional damage amount', () => priceBooking(eurBooking({ damages: [{ description: 'Dent', amount: 12.5 }] }), demoRateCard()), 'damages.0.amount', /^Damage 1 amount: .*whole number/],
    ['fractional card rate', () => priceBooking(eurBooking(), { ...demoRateCard(), classes: { midsize: { name: 'Midsize', dailyRate: 45.5, lateHourlyRate: 1200 } } }), 'rateCard.classes.midsize.dailyRate', /^Rate card class midsize daily rate: .*whole number/],
    ['negative card rate', () => priceBooking(eurBooking(), { ...demoRateCard(), classes: { midsize: { name: 'Midsize', dailyRate: -1, lateHourlyRate: 1200 } } }), 'rateCard.classes.midsize.dailyRate', /cannot be negative/],
    ['unknown currency', () => priceBooking(eurBooking({ currency: 'XYZ' }), demoRateCard()), 'currency', /^Currency: unknown currency/],
    ['currency mismatch', () => priceBooking(eurBooking({ currency: 'USD' }), demoRateCard()), 'currency', /^Currency: this booking is in USD but rate card Demo tariff \(EUR\) \(demo-eur v1\) is in EUR/],
    ['unknown vehicle class', () => priceBooking(eurBooking({ vehicleClass: 'limo' }), demoRateCard()), 'vehicleClass', /^Vehicle class: "limo" is not on rate card .* \(it has economy, compact, midsize, suv, van, premium\)/],
    ['inherited property as class', () => priceBooking(eurBooking({ vehicleClass: 'toString' }), demoRateCard()), 'vehicleClass', /"toString" is not on rate card/],
    ['unknown extra', () => priceBooking(eurBooking({ extras: [{ code: 'gps' }, { code: 'jetpack' }] }), demoRateCard()), 'extras.1.code', /^Extra 2 code: "jetpack" is not an extra on rate card/],
    ['too many of an extra', () => priceBooking(eurBooking({ extras: [{ code: 'child_seat', quantity: 4 }] }), demoRateCard()), 'extras.0.quantity', /at most 3 × Child seat/],
    ['extra listed twice', () => priceBooking(eurBooking({ extras: [{ code: 'gps' }, { code: 'gps' }] }), demoRateCard()), 'extras.1.code', /listed twice/],
    ['unknown fee', () => priceBooking(eurBooking({ fees: [{ code: 'parking' }] }), demoRateCard()), 'fees.0.code', /^Fee 1 code: "parking" is not a fee/],
    ['driver under minimum age', () => priceBooking(eurBooking({ driverAges: [30, 19] }), demoRateCard()), 'driverAges.1', /^Driver 2: is 19; .*at least 21/],
    ['no drivers', () => priceBooking(eurBooking({ driverAges: [] }), demoRateCard()), 'driverAges', /^Driver: needs at least the main driver/],
    ['one-way without a price', () => priceBooking(eurBooking({ returnLocation: 'BER' }), { ...demoRateCard(), oneWay: { routes: [] } }), 'returnLocation', /^Return location: .*no one-way price from AMS to BER/],
    ['fuel in the wrong unit', () => priceBooking(eurBooking({ fuel: { unit: 'litre', missingMillilitres: 5000 } }), demoRateCard()), 'fuel.unit', /by the eighth/],
    ['fuel level above a full tank', () => priceBooking(eurBooking({ fuel: { unit: 'eighth', outEighths: 9, inEighths: 2 } }), demoRateCard()), 'fuel.outEighths', /^Fuel level at pickup \(eighths\): must be at most 8/],
    ['odometer going backwards', () => priceBooking(eurBooking({ odometer: { out: 500, in: 400 } }), demoRateCard()), 'odometer.in', /^Odometer at return: is lower than the reading at pickup/],
    ['unknown time zone', () => priceBooking(eurBooking({ timeZone: 'Mars/Olympus' }), demoRateCard()), 'timeZone', /^Time zone: is not a time zone/],
    ['misspelt field', () => priceBooking({ ...eurBooking(), actualReturnAT: '2025-06-05T10:00:00+02:00' } as PriceInput, demoRateCard()), 'actualReturnAT', /is not a field Keydesk knows/],
    ['discount over 100%', () => priceBooking(eurBooking({ discounts: [{ code: 'X', type: 'percent', percentBp: 12_000, appliesTo: 'whole' }] }), demoRateCard()), 'discounts.0.percentBp', /cannot exceed 100 %/],
    ['missing vehicle class', () => priceBooking({ ...eurBooking(), vehicleClass: undefined } as unknown as PriceInput, demoRateCard()), 'vehicleClass', /^Vehicle class: is required/],
    ['card without classes', () => priceBooking(eurBooking(), { ...demoRateCard(), classes: {} }), 'rateCard.classes', /at least one vehicle class/],
    ['huge figures', () => priceBooking(eurBooking({ odometer: { out: 0, in: 9_000_000 } }), { ...demoRateCard(), mileage: { unit: 'km', included: 0, per: 'rental', excessPrice: 9_000_000_000 } }), 'total', /more than Keydesk can charge/],
  ];

  it.each(cases)('%s', (_name, fn, field, message) => {
    const err = errorOf(fn);
    expect(err.field).toBe(field);
    expect(err.message).toMatch(message);
    expect(err.fields?.[field]).toBe(err.message);
    expect(err.code).toBe(field.startsWith('rateCard') ? 'configuration' : 'invalid_input');
  });

  it('lists every bad field, not only the first', () => {
    const err = errorOf(() => priceBooking(eurBooking({ pickupAt: 'tomorrow', driverAges: [1.5], extras: [{ code: 'gps', quantity: 0 }] }), demoRateCard()));
    expect(Object.keys(err.fields ?? {})).toEqual(['pickupAt', 'driverAges.0', 'extras.0.quantity']);
    expect(err.toShape()).toMatchObject({ code: 'invalid_input', fields: { 'driverAges.0': 'Driver 1: must be whole years' } });
  });

  it('does not touch its arguments', () => {
    const input = eurBooking({ extras: [{ code: 'gps' }], discounts: [{ code: 'A', type: 'fixed', amount: 500, appliesTo: 'rental' }] });
    const card = demoRateCard();
    const before = JSON.stringify([input, card]);
    priceBooking(input, card);
    expect(JSON.stringify([input, card])).toBe(before);
  });
});

describe('prepareRateCard', () => {
  it('prices exactly like the raw card, and the prepared card cannot be changed afterwards', () => {
    const prepared = prepareRateCard(demoRateCard());
    const input = eurBooking({ extras: [{ code: 'child_seat' }], actualReturnAt: '2025-06-05T12:00:00+02:00' });
    expect(priceBooking(input, prepared)).toEqual(priceBooking(input, demoRateCard()));
    expect(() => {
      (prepared.classes.midsize as { dailyRate: number }).dailyRate = 1;
    }).toThrow(TypeError);
    expect(priceBooking(input, prepared).subtotal).toBe(priceBooking(input, demoRateCard()).subtotal);
  });

  it('refuses a bad card with the field named', () => {
    const err = errorOf(() => prepareRateCard({ ...demoRateCard(), timeZone: 'Europe/Atlantis' }));
    expect(err.field).toBe('rateCard.timeZone');
    expect(err.code).toBe('configuration');
    expect(err.message).toMatch(/^Rate card time zone: is not a time zone/);
  });
});

describe('demoRateCard', () => {
  it.each(['EUR', 'JPY', 'KWD'] as const)('%s card prices a booking with every extra and fee it offers', (cur) => {
    const card: RateCard = demoRateCard(cur);
    const loc = cur === 'EUR' ? 'AMS' : cur === 'JPY' ? 'HND' : 'KWI';
    const q = priceBooking(
      {
        ...eurBooking(),
        currency: cur,
        pickupLocation: loc,
        returnLocation: loc,
        extras: Object.keys(card.extras ?? {}).map((code) => ({ code })),
        fees: Object.keys(card.fees ?? {}).map((code) => ({ code })),
      },
      card,
    );
    expect(q.currency).toBe(cur);
    expect(linesOf(q, 'extra')).toHaveLength(Object.keys(card.extras ?? {}).length);
    expect(Object.keys(card.classes).sort()).toEqual(['compact', 'economy', 'midsize', 'premium', 'suv', 'van']);
  });
});
