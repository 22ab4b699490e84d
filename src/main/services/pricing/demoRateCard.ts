import type { RateCard } from './schemas';

/**
 * Rate cards for demo mode and tests, with figures a European / Japanese / Kuwaiti counter would
 * recognise. EUR (default): Amsterdam, 20 % VAT added on top, fuel by the eighth.
 * JPY: Tokyo, 10 % consumption tax included in every price (as Japanese law requires prices to
 * be shown), fuel by the litre. KWD: Kuwait City, three-decimal fils, Fri + Sat weekend, no VAT.
 */
export type DemoCurrency = 'EUR' | 'JPY' | 'KWD';

export function demoRateCard(currency: DemoCurrency = 'EUR'): RateCard {
  switch (currency) {
    case 'EUR':
      return eur();
    case 'JPY':
      return jpy();
    case 'KWD':
      return kwd();
  }
}

function eur(): RateCard {
  return {
    id: 'demo-eur',
    version: 1,
    name: 'Demo tariff (EUR)',
    currency: 'EUR',
    timeZone: 'Europe/Amsterdam',
    weekendDays: [6, 7],
    tax: { mode: 'exclusive', rateBp: 2000, name: 'VAT' },
    classes: {
      economy: { name: 'Economy', dailyRate: 3500, weekendDailyRate: 2900, weeklyRate: 19900, lateHourlyRate: 900 },
      compact: { name: 'Compact', dailyRate: 4200, weekendDailyRate: 3500, weeklyRate: 23900, lateHourlyRate: 1100 },
      midsize: { name: 'Midsize', dailyRate: 4500, weekendDailyRate: 3900, weeklyRate: 26900, lateHourlyRate: 1200 },
      suv: { name: 'SUV', dailyRate: 6900, weekendDailyRate: 5900, weeklyRate: 41900, lateHourlyRate: 1800, fuelPricePerUnit: 1500 },
      van: { name: 'Van', dailyRate: 7900, weekendDailyRate: 6900, weeklyRate: 47900, lateHourlyRate: 2000, fuelPricePerUnit: 1800 },
      premium: { name: 'Premium', dailyRate: 9900, weekendDailyRate: 8900, weeklyRate: 62900, lateHourlyRate: 2500, fuelPricePerUnit: 1600 },
    },
    extras: {
      child_seat: { name: 'Child seat', charge: 'per_day', amount: 800, maxAmount: 4000, maxQuantity: 3 },
      booster_seat: { name: 'Booster seat', charge: 'per_day', amount: 600, maxAmount: 3000, maxQuantity: 3 },
      gps: { name: 'GPS', charge: 'per_day', amount: 600, maxQuantity: 1 },
      additional_driver: { name: 'Additional driver', charge: 'per_day', amount: 900, maxQuantity: 4 },
      roadside_cover: { name: 'Roadside cover', charge: 'per_day', amount: 700, maxQuantity: 1 },
      snow_chains: { name: 'Snow chains', charge: 'per_rental', amount: 2500, maxQuantity: 1 },
    },
    fees: {
      airport_surcharge: { name: 'Airport surcharge', amount: 3500 },
      cleaning: { name: 'Special cleaning', amount: 6000 },
      fine_admin: { name: 'Traffic fine handling', amount: 2500 },
    },
    oneWay: {
      flatFee: 7500,
      routes: [
        { from: 'AMS', to: 'RTM', fee: 4500 },
        { from: 'AMS', to: 'EIN', fee: 6000 },
      ],
    },
    minimumDriverAge: 21,
    youngDriver: { underAge: 25, perDay: 1500, maxAmount: 10500 },
    lateReturn: { graceMinutes: 59 },
    fuel: { unit: 'eighth', pricePerUnit: 1200, serviceFee: 1500 },
    mileage: { unit: 'km', included: 250, per: 'day', excessPrice: 25 },
    damageTaxable: false,
    endFees: { freeUntilHours: 24, lateCancelFee: 2500, noShowFee: 5000 },
  };
}

function jpy(): RateCard {
  return {
    id: 'demo-jpy',
    version: 1,
    name: 'Demo tariff (JPY)',
    currency: 'JPY',
    timeZone: 'Asia/Tokyo',
    weekendDays: [6, 7],
    tax: { mode: 'inclusive', rateBp: 1000, name: 'Consumption tax' },
    classes: {
      economy: { name: 'Economy', dailyRate: 5500, weekendDailyRate: 6600, weeklyRate: 33000, lateHourlyRate: 1400 },
      compact: { name: 'Compact', dailyRate: 6600, weekendDailyRate: 7700, weeklyRate: 39600, lateHourlyRate: 1700 },
      midsize: { name: 'Midsize', dailyRate: 7700, weekendDailyRate: 8800, weeklyRate: 46200, lateHourlyRate: 2000 },
      suv: { name: 'SUV', dailyRate: 11000, weekendDailyRate: 12100, weeklyRate: 66000, lateHourlyRate: 2800 },
      van: { name: 'Van', dailyRate: 13200, weekendDailyRate: 14300, weeklyRate: 79200, lateHourlyRate: 3300 },
      premium: { name: 'Premium', dailyRate: 16500, weekendDailyRate: 17600, weeklyRate: 99000, lateHourlyRate: 4100 },
    },
    extras: {
      child_seat: { name: 'Child seat', charge: 'per_day', amount: 1100, maxAmount: 5500, maxQuantity: 3 },
      gps: { name: 'Car navigation', charge: 'per_day', amount: 550, maxQuantity: 1 },
      additional_driver: { name: 'Additional driver', charge: 'per_day', amount: 1100, maxQuantity: 4 },
      roadside_cover: { name: 'Roadside cover', charge: 'per_day', amount: 1100, maxQuantity: 1 },
      etc_card: { name: 'ETC toll card', charge: 'per_rental', amount: 330, maxQuantity: 1 },
    },
    fees: { airport_surcharge: { name: 'Airport surcharge', amount: 2200 } },
    oneWay: { flatFee: 11000, routes: [{ from: 'HND', to: 'NRT', fee: 5500 }] },
    minimumDriverAge: 18,
    youngDriver: { underAge: 25, perDay: 1650, maxAmount: 11550 },
    lateReturn: { graceMinutes: 59 },
    fuel: { unit: 'litre', pricePerUnit: 198, serviceFee: 1100 },
    mileage: { unit: 'km', included: 250, per: 'day', excessPrice: 33 },
    damageTaxable: false,
  };
}

function kwd(): RateCard {
  return {
    id: 'demo-kwd',
    version: 1,
    name: 'Demo tariff (KWD)',
    currency: 'KWD',
    timeZone: 'Asia/Kuwait',
    weekendDays: [5, 6],
    tax: { mode: 'exclusive', rateBp: 0, name: 'VAT' },
    classes: {
      economy: { name: 'Economy', dailyRate: 9_500, weekendDailyRate: 8_750, weeklyRate: 55_000, lateHourlyRate: 2_500 },
      compact: { name: 'Compact', dailyRate: 11_000, weekendDailyRate: 10_250, weeklyRate: 65_000, lateHourlyRate: 3_000 },
      midsize: { name: 'Midsize', dailyRate: 13_500, weekendDailyRate: 12_500, weeklyRate: 80_000, lateHourlyRate: 3_500 },
      suv: { name: 'SUV', dailyRate: 22_000, weekendDailyRate: 20_500, weeklyRate: 130_000, lateHourlyRate: 5_500 },
      van: { name: 'Van', dailyRate: 25_000, weekendDailyRate: 23_500, weeklyRate: 150_000, lateHourlyRate: 6_500 },
      premium: { name: 'Premium', dailyRate: 35_000, weekendDailyRate: 33_000, weeklyRate: 210_000, lateHourlyRate: 9_000 },
    },
    extras: {
      child_seat: { name: 'Child seat', charge: 'per_day', amount: 2_000, maxAmount: 10_000, maxQuantity: 3 },
      gps: { name: 'GPS', charge: 'per_day', amount: 1_500, maxQuantity: 1 },
      additional_driver: { name: 'Additional driver', charge: 'per_day', amount: 2_500, maxQuantity: 4 },
    },
    fees: { airport_surcharge: { name: 'Airport surcharge', amount: 5_000 } },
    oneWay: { flatFee: 15_000, routes: [] },
    minimumDriverAge: 21,
    youngDriver: { underAge: 25, perDay: 3_000 },
    lateReturn: { graceMinutes: 59 },
    fuel: { unit: 'litre', pricePerUnit: 85, serviceFee: 3_000 },
    mileage: { unit: 'km', included: 300, per: 'day', excessPrice: 75 },
    damageTaxable: false,
  };
}
