import { z } from 'zod';
import { currencySchema, moneySchema, nonNegativeMinorSchema } from '../money';
import { method } from './define';
import { instantSchema as isoInstantSchema } from './fields';

/**
 * Pricing: the rate card an office configures (checked here, at the contract, so `rates.update`
 * stores only a card that parsed) and the methods that read and save it. The pricing engine
 * itself lives in `src/main/services/pricing`. All money is integer minor units of the card's
 * currency. Objects are strict: an unknown (e.g. misspelt) field is refused rather than
 * silently ignored, because an ignored optional field would silently change a price.
 */

/** True when Intl knows the IANA zone (the engine needs it to tell weekend days). */
function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export const cardCodeSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, { message: 'must be 1–40 lower-case letters, digits, "-" or "_"' });
export const cardNameSchema = z.string().trim().min(1, { message: 'must not be empty' }).max(80, { message: 'must be at most 80 characters' });
export const cardRefSchema = z.string().trim().min(1, { message: 'must not be empty' }).max(40, { message: 'must be at most 40 characters' });
export const cardCountSchema = (max: number) =>
  z
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .min(0, { message: 'cannot be negative' })
    .max(max, { message: `must be at most ${max}` });
export const cardTimeZoneSchema = z
  .string()
  .refine(isValidTimeZone, { message: 'is not a time zone Keydesk knows (use an IANA name such as Europe/Paris)' });

// ─── Rate card ────────────────────────────────────────────────────────────────────────────────

export const vehicleClassRateSchema = z.strictObject({
  name: cardNameSchema,
  /** Price of one rental day (weekday rate when a weekend rate is set). */
  dailyRate: nonNegativeMinorSchema,
  /** Price of a rental day that starts on a weekend day (see `weekendDays`). */
  weekendDailyRate: nonNegativeMinorSchema.optional(),
  /** Price of 7 consecutive rental days; used only where it makes the rental cheaper. */
  weeklyRate: nonNegativeMinorSchema.optional(),
  /** Late return: charged per started hour, capped at `dailyRate` per 24 h. */
  lateHourlyRate: nonNegativeMinorSchema,
  /** Overrides the card's fuel price per unit for this class (bigger tanks, dearer eighths). */
  fuelPricePerUnit: nonNegativeMinorSchema.optional(),
});

export const extraRateSchema = z.strictObject({
  name: cardNameSchema,
  charge: z.enum(['per_day', 'per_rental'], { message: 'must be "per_day" or "per_rental"' }),
  amount: nonNegativeMinorSchema,
  /** Most charged for one unit of this extra over the whole rental (e.g. child seat capped at 5 days). */
  maxAmount: nonNegativeMinorSchema.optional(),
  /** Most units of this extra one booking may take (e.g. 3 child seats). */
  maxQuantity: z.number().int().min(1).max(99).default(9),
  taxable: z.boolean().default(true),
});

export const feeRateSchema = z.strictObject({
  name: cardNameSchema,
  /** Charged once per unit asked for (e.g. airport surcharge, cleaning fee, fine admin fee). */
  amount: nonNegativeMinorSchema,
  taxable: z.boolean().default(true),
});

export const oneWayRouteSchema = z.strictObject({ from: cardRefSchema, to: cardRefSchema, fee: nonNegativeMinorSchema });

export const rateCardSchema = z
  .strictObject({
    id: cardRefSchema,
    version: z.number().int().min(1, { message: 'must be 1 or more' }),
    name: cardNameSchema,
    currency: currencySchema,
    /** IANA zone used to tell which local weekday a rental day starts on. */
    timeZone: cardTimeZoneSchema,
    /** ISO weekdays (Mon = 1 … Sun = 7) charged at `weekendDailyRate`; Fri + Sat where that is the weekend. */
    weekendDays: z
      .array(z.number().int().min(1).max(7), { message: 'must be a list of weekdays 1–7' })
      .max(7)
      .default([6, 7]),
    tax: z.strictObject({
      mode: z.enum(['exclusive', 'inclusive'], { message: 'must be "exclusive" or "inclusive"' }),
      /** Basis points: 2000 = 20 %. */
      rateBp: z.number().int({ message: 'must be whole basis points' }).min(0).max(10_000),
      name: z.string().trim().min(1).max(20).default('VAT'),
    }),
    classes: z.record(cardCodeSchema, vehicleClassRateSchema).refine((c) => Object.keys(c).length > 0, {
      message: 'must list at least one vehicle class',
    }),
    extras: z.record(cardCodeSchema, extraRateSchema).default({}),
    fees: z.record(cardCodeSchema, feeRateSchema).default({}),
    /** Fee when the return location differs from the pickup: a route's fee (either direction), else the flat fee. */
    oneWay: z
      .strictObject({
        flatFee: nonNegativeMinorSchema.optional(),
        routes: z.array(oneWayRouteSchema).max(500).default([]),
        taxable: z.boolean().default(true),
      })
      .optional(),
    /** Drivers younger than this are refused. */
    minimumDriverAge: z.number().int().min(16).max(99).optional(),
    youngDriver: z
      .strictObject({
        /** Drivers younger than `underAge` pay `perDay` per rental day. */
        underAge: z.number().int().min(17).max(99),
        perDay: nonNegativeMinorSchema,
        /** Most charged per young driver over the rental. */
        maxAmount: nonNegativeMinorSchema.optional(),
        taxable: z.boolean().default(true),
      })
      .optional(),
    lateReturn: z.strictObject({
      /** Minutes after the scheduled return during which no late charge is made. */
      graceMinutes: cardCountSchema(24 * 60),
      taxable: z.boolean().default(true),
    }),
    fuel: z
      .strictObject({
        unit: z.enum(['eighth', 'litre'], { message: 'must be "eighth" or "litre"' }),
        pricePerUnit: nonNegativeMinorSchema,
        /** Added once when any fuel is missing. */
        serviceFee: nonNegativeMinorSchema.optional(),
        taxable: z.boolean().default(true),
      })
      .optional(),
    /** Absent means unlimited mileage. */
    mileage: z
      .strictObject({
        unit: z.enum(['km', 'mi'], { message: 'must be "km" or "mi"' }),
        included: cardCountSchema(1_000_000),
        per: z.enum(['day', 'rental'], { message: 'must be "day" or "rental"' }),
        excessPrice: nonNegativeMinorSchema,
        taxable: z.boolean().default(true),
      })
      .optional(),
    /** Whether damage amounts carry tax; ask the office's accountant (many treat damage as compensation, outside VAT). */
    damageTaxable: z.boolean().default(false),
    /**
     * Fees when a reservation ends without a rental. Absent on older cards: nothing is charged.
     * A cancellation less than `freeUntilHours` before pickup pays `lateCancelFee`; a no-show pays `noShowFee`.
     */
    endFees: z
      .strictObject({
        freeUntilHours: cardCountSchema(24 * 90).default(24),
        lateCancelFee: nonNegativeMinorSchema.default(0),
        noShowFee: nonNegativeMinorSchema.default(0),
        taxable: z.boolean().default(true),
      })
      .optional(),
  })
  .superRefine((card, ctx) => {
    if (new Set(card.weekendDays).size !== card.weekendDays.length) {
      ctx.addIssue({ code: 'custom', path: ['weekendDays'], message: 'lists a weekday twice' });
    }
    card.oneWay?.routes.forEach((r, i) => {
      if (r.from === r.to) ctx.addIssue({ code: 'custom', path: ['oneWay', 'routes', i, 'to'], message: 'must differ from "from"' });
    });
    if (card.youngDriver && card.minimumDriverAge !== undefined && card.youngDriver.underAge <= card.minimumDriverAge) {
      ctx.addIssue({ code: 'custom', path: ['youngDriver', 'underAge'], message: 'must be above the minimum driver age' });
    }
  });

/** A rate card as written by an office (defaults may be omitted). */
export type RateCard = z.input<typeof rateCardSchema>;
/** A rate card after validation, defaults filled in. */
export type ParsedRateCard = z.output<typeof rateCardSchema>;
export type VehicleClassRate = z.output<typeof vehicleClassRateSchema>;
export type ExtraRate = z.output<typeof extraRateSchema>;

// ─── Methods ──────────────────────────────────────────────────────────────────────────────────

export const rateCardSummarySchema = z.object({
  id: z.string(),
  version: z.number().int(),
  name: z.string(),
  currency: currencySchema,
  taxMode: z.enum(['exclusive', 'inclusive']),
  taxRateBp: z.number().int(),
  taxName: z.string(),
  classes: z.array(
    z.object({ code: z.string(), name: z.string(), dailyRate: moneySchema, weekendDailyRate: moneySchema.nullable(), weeklyRate: moneySchema.nullable() }),
  ),
  extras: z.array(
    z.object({ code: z.string(), name: z.string(), charge: z.enum(['per_day', 'per_rental']), amount: moneySchema, maxQuantity: z.number().int() }),
  ),
  fees: z.array(z.object({ code: z.string(), name: z.string(), amount: moneySchema })),
  minimumDriverAge: z.number().int().nullable(),
  youngDriverUnderAge: z.number().int().nullable(),
  updatedAt: isoInstantSchema,
});

/** Where in `value` an own `__proto__`, `constructor` or `prototype` key sits, if anywhere. */
function unsafeKeyPath(value: unknown, path: (string | number)[] = [], depth = 0): (string | number)[] | null {
  if (value === null || typeof value !== 'object' || depth > 8) return null;
  for (const key of Object.keys(value)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') return [...path, key];
    const inner = unsafeKeyPath((value as Record<string, unknown>)[key], [...path, Array.isArray(value) ? Number(key) : key], depth + 1);
    if (inner) return inner;
  }
  return null;
}

/**
 * The card as `rates.update` accepts it. zod drops an own `__proto__` key inside a record
 * silently; a card that carries one was not written by Keydesk's editor, so it is refused whole
 * rather than saved without it. (Typed as the card schema: the guard changes no shape.)
 */
const rateCardInputSchema = z.preprocess((value, ctx) => {
  const at = unsafeKeyPath(value);
  if (at) ctx.addIssue({ code: 'custom', path: at, message: `"${String(at.at(-1))}" is not a field or code Keydesk accepts`, input: value });
  return value;
}, rateCardSchema) as unknown as typeof rateCardSchema;

const rateCardAnswer = z.object({ card: rateCardSummarySchema, raw: rateCardSchema });

/**
 * What to do with versions already scheduled after the one being saved (they would replace it
 * on their dates): 'cancel' them, or 'keep' them knowingly. Required only when there are some.
 */
export const laterVersionsSchema = z.enum(['cancel', 'keep'], { message: 'Choose whether to cancel the scheduled version or keep it' });

export const pricingMethods = {
  'rates.get': method({
    access: 'clerk',
    summary: 'The current rate card: a summary for screens and the full card for editing',
    input: z.object({}).strict(),
    output: rateCardAnswer,
  }),
  'rates.update': method({
    access: 'manager',
    summary: 'Save a new version of the rate card; existing bookings keep the version they were priced with',
    input: z.object({ card: rateCardInputSchema, laterVersions: laterVersionsSchema.optional() }).strict(),
    output: rateCardAnswer,
  }),
} as const;
