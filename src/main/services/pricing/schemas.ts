import { z } from 'zod';
import { currencySchema, minorSchema, nonNegativeMinorSchema } from '../../../shared/money';
import { cardCountSchema, cardRefSchema, cardTimeZoneSchema } from '../../../shared/contract/pricing';
import { MS_PER_DAY, startedDays } from './calendar';

export { rateCardSchema } from '../../../shared/contract/pricing';
export type { ExtraRate, ParsedRateCard, RateCard, VehicleClassRate } from '../../../shared/contract/pricing';

/**
 * Schemas and types of the pricing engine: the booking facts the bookings service passes in, and the quote that comes out and is stored as the
 * booking's price snapshot (the rate card's schema is in the contract). All money is integer minor units of the card's currency.
 * Objects are strict: an unknown (e.g. misspelt) field is refused rather than silently ignored,
 * because an ignored optional field would silently change a price.
 */

/** Longest rental (and longest late return) priced here; longer hires are split into contracts. */
export const MAX_RENTAL_DAYS = 366;

const refSchema = cardRefSchema;
const countSchema = cardCountSchema;
const timeZoneSchema = cardTimeZoneSchema;
const instantSchema = z.iso.datetime({
  offset: true,
  message: 'must be a date and time with a UTC offset, e.g. 2025-06-01T09:00:00+02:00',
});

// ─── Rate card: its schema is part of the contract (src/shared/contract/pricing.ts) ───────────

// ─── Booking facts ────────────────────────────────────────────────────────────────────────────

const discountBase = {
  code: refSchema,
  /** Printed on the quote; a sensible English default is made from the figures when omitted. */
  description: z.string().trim().min(1).max(120).optional(),
  /** 'rental': vehicle time charges only (days, weekend days, weeks). 'whole': every charge line. */
  appliesTo: z.enum(['rental', 'whole'], { message: 'must be "rental" or "whole"' }),
};

export const discountInputSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      ...discountBase,
      type: z.literal('percent'),
      /** Basis points: 1000 = 10 %. */
      percentBp: z.number().int({ message: 'must be whole basis points (1000 = 10 %)' }).min(1).max(10_000, { message: 'cannot exceed 100 %' }),
    }),
    z.strictObject({ ...discountBase, type: z.literal('fixed'), amount: nonNegativeMinorSchema }),
  ],
  { message: 'type must be "percent" or "fixed"' },
);

export const priceInputSchema = z
  .strictObject({
    /** Must equal the rate card's currency. */
    currency: currencySchema,
    /** A key of the rate card's `classes`. */
    vehicleClass: refSchema,
    /** Pickup instant (scheduled before check-out, actual after). */
    pickupAt: instantSchema,
    /** Scheduled return instant: rental days are the started 24 h periods from pickup to this. */
    returnAt: instantSchema,
    /** Actual return instant, once the vehicle is back; later than `returnAt` + grace means a late charge. */
    actualReturnAt: instantSchema.optional(),
    /** Overrides the rate card's time zone for weekend detection (a card shared by several zones). */
    timeZone: timeZoneSchema.optional(),
    /** Overrides the rate card's tax name and rate (a location's own tax); the card's mode still applies. */
    tax: z
      .strictObject({
        name: z.string().trim().min(1, { message: 'must name the tax, e.g. VAT' }).max(20),
        rateBp: z.number().int({ message: 'must be whole basis points (2100 = 21 %)' }).min(0).max(10_000, { message: 'cannot exceed 100 %' }),
      })
      .optional(),
    pickupLocation: refSchema,
    returnLocation: refSchema,
    /** Age in whole years at pickup of each driver, main driver first. */
    driverAges: z
      .array(z.number().int({ message: 'must be whole years' }).min(0).max(120), { message: 'must be a list of ages' })
      .min(1, { message: 'needs at least the main driver' })
      .max(9),
    extras: z
      .array(z.strictObject({ code: refSchema, quantity: z.number().int({ message: 'must be a whole number' }).min(1).max(99).default(1) }))
      .max(50)
      .default([]),
    fees: z
      .array(z.strictObject({ code: refSchema, quantity: z.number().int({ message: 'must be a whole number' }).min(1).max(99).default(1) }))
      .max(50)
      .default([]),
    /** At return: levels in eighths (cards charging by the eighth) or litres missing in ml (cards charging by the litre). */
    fuel: z
      .discriminatedUnion(
        'unit',
        [
          z.strictObject({ unit: z.literal('eighth'), outEighths: countSchema(8), inEighths: countSchema(8) }),
          z.strictObject({ unit: z.literal('litre'), missingMillilitres: countSchema(1_000_000) }),
        ],
        { message: 'unit must be "eighth" or "litre"' },
      )
      .optional(),
    /** Odometer readings in the rate card's mileage unit. */
    odometer: z.strictObject({ out: countSchema(10_000_000), in: countSchema(10_000_000) }).optional(),
    /** Staff-assessed damage; amounts are gross when the card's tax is inclusive, net otherwise. */
    damages: z
      .array(z.strictObject({ description: z.string().trim().min(1, { message: 'must say what was damaged' }).max(200), amount: nonNegativeMinorSchema }))
      .max(50)
      .default([]),
    /** Applied one after another in this order, each to what is left; never below zero. */
    discounts: z.array(discountInputSchema).max(10).default([]),
    /** When the quote is made; copied to the quote (the engine never reads the clock). */
    computedAt: instantSchema,
  })
  .superRefine((input, ctx) => {
    const pickup = Date.parse(input.pickupAt);
    const ret = Date.parse(input.returnAt);
    if (!(ret > pickup)) {
      ctx.addIssue({ code: 'custom', path: ['returnAt'], message: 'must be after the pickup time' });
    } else if (startedDays(pickup, ret) > MAX_RENTAL_DAYS) {
      ctx.addIssue({ code: 'custom', path: ['returnAt'], message: `makes the rental longer than ${MAX_RENTAL_DAYS} days; split it into several contracts` });
    }
    if (input.actualReturnAt !== undefined) {
      const actual = Date.parse(input.actualReturnAt);
      if (!(actual > pickup)) {
        ctx.addIssue({ code: 'custom', path: ['actualReturnAt'], message: 'must be after the pickup time' });
      } else if (ret > pickup && actual - ret > MAX_RENTAL_DAYS * MS_PER_DAY) {
        ctx.addIssue({ code: 'custom', path: ['actualReturnAt'], message: `is more than ${MAX_RENTAL_DAYS} days after the scheduled return; check the date` });
      }
    }
    if (input.odometer && input.odometer.in < input.odometer.out) {
      ctx.addIssue({ code: 'custom', path: ['odometer', 'in'], message: 'is lower than the reading at pickup' });
    }
    for (const key of ['extras', 'fees'] as const) {
      const seen = new Set<string>();
      input[key].forEach((e, i) => {
        if (seen.has(e.code)) ctx.addIssue({ code: 'custom', path: [key, i, 'code'], message: `"${e.code}" is listed twice; raise its quantity instead` });
        seen.add(e.code);
      });
    }
  });

/** What the bookings service passes in (defaults may be omitted). */
export type PriceInput = z.input<typeof priceInputSchema>;
export type ParsedPriceInput = z.output<typeof priceInputSchema>;
export type DiscountInput = z.input<typeof discountInputSchema>;

// ─── Quote (the stored snapshot) ──────────────────────────────────────────────────────────────

export const PRICE_LINE_KINDS = [
  'rental_days',
  'weekend_days',
  'weekly',
  'extra',
  'one_way_fee',
  'young_driver_fee',
  'late_return',
  'fuel',
  'mileage',
  'damage',
  'fee',
  'discount',
  'tax',
] as const;
export type PriceLineKind = (typeof PRICE_LINE_KINDS)[number];

export const priceLineSchema = z.strictObject({
  kind: z.enum(PRICE_LINE_KINDS),
  /** Stable machine code: class code, extra/fee code, discount code, 'fuel', 'refuel_service', 'tax', … */
  code: z.string().min(1),
  /** English, for receipts and the booking screen. */
  description: z.string().min(1),
  /** Units charged (days, weeks, hours, eighths, km, items); divide by `quantityScale` for the real count. */
  quantity: z.number().int().min(0),
  /** 1 for whole units; 1000 when the quantity is in thousandths (fuel in litres is in millilitres). */
  quantityScale: z.union([z.literal(1), z.literal(1000)]),
  /** Price of one whole unit, minor units. */
  unitAmount: minorSchema,
  /**
   * What this line charges, minor units, signed (discounts negative). Equals
   * round(quantity × unitAmount / quantityScale) unless a cap applied (the description says so).
   */
  amount: minorSchema,
  /** Part of the tax base. */
  taxable: z.boolean(),
  /**
   * False only for the tax line of a tax-inclusive quote: its amount is already inside the other
   * lines. The quote's total is always Σ amount over lines with countsInTotal.
   */
  countsInTotal: z.boolean(),
});

export const priceQuoteSchema = z.strictObject({
  /** Shape version of this snapshot, for readers of old bookings. */
  quoteFormat: z.literal(1),
  currency: currencySchema,
  taxMode: z.enum(['exclusive', 'inclusive']),
  taxRateBp: z.number().int().min(0).max(10_000),
  /** Name of the tax charged (the card's, or the pickup location's); absent on quotes stored before it was recorded. */
  taxName: z.string().optional(),
  rateCardId: z.string(),
  rateCardVersion: z.number().int(),
  /** Copied from the input. */
  computedAt: z.string(),
  /** Time zone used for weekend days. */
  timeZone: z.string(),
  /** Started 24 h periods from pickup to scheduled return. */
  rentalDays: z.number().int().min(1),
  /** Minutes after the scheduled return (0 if on time or early); charged only beyond the grace period. */
  lateMinutes: z.number().int().min(0),
  lines: z.array(priceLineSchema),
  /** Σ charge lines (everything but discounts and tax); ≥ 0. */
  subtotal: minorSchema,
  /** Σ discount lines; ≤ 0 (signed like the lines, so subtotal + discountTotal is what is taxed). */
  discountTotal: minorSchema,
  /** Tax charged (exclusive) or contained (inclusive); ≥ 0. */
  taxTotal: minorSchema,
  /** exclusive: subtotal + discountTotal + taxTotal. inclusive: subtotal + discountTotal. Never negative. */
  total: minorSchema,
});

export type PriceLine = z.output<typeof priceLineSchema>;
export type PriceQuote = z.output<typeof priceQuoteSchema>;
