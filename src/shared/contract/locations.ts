import { z } from 'zod';
import { currencySchema } from '../money';
import { method } from './define';
import { idSchema, optionalText, requiredText, versionSchema } from './fields';
import { cardTimeZoneSchema } from './pricing';

/** A location's own settings (issue 15): where it is, its clock and money, when it is open. */
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'Use a time like 08:30' });

export const openingHoursSchema = z
  .array(
    z
      .object({ day: z.number().int().min(1).max(7), opens: hhmm, closes: hhmm })
      .strict()
      .refine((h) => h.closes > h.opens, { path: ['closes'], message: 'Closing time must be after opening time' }),
  )
  .max(7)
  .refine((days) => new Set(days.map((d) => d.day)).size === days.length, { message: 'A weekday is listed twice' });
export type OpeningHours = z.infer<typeof openingHoursSchema>;

export const locationDetailSchema = z.object({
  id: idSchema,
  code: z.string(),
  name: z.string(),
  isHome: z.boolean(),
  address: z.string(),
  /** '' until set: the shop's time zone applies. */
  timeZone: z.string(),
  /** '' until set: the rate card's currency applies. Any other currency than the card's is refused (one card prices one currency). */
  currency: z.string(),
  /** Monday = 1. Empty: always open; otherwise a day not listed is closed. Pickups and returns must fall within them. */
  openingHours: openingHoursSchema,
  /** null: the shop-wide turnaround gap. */
  turnaroundMinutes: z.number().int().nullable(),
  taxName: z.string(),
  /** null: the rate card's tax rate. Basis points: 2100 = 21 %. */
  taxRateBp: z.number().int().nullable(),
  version: z.number().int(),
});
export type LocationDetail = z.infer<typeof locationDetailSchema>;

export const locationUpsertSchema = z
  .object({
    id: idSchema.optional(),
    expectedVersion: versionSchema.optional(),
    code: z
      .string()
      .trim()
      .transform((s) => s.toUpperCase())
      .pipe(z.string().regex(/^[A-Z0-9][A-Z0-9_-]{0,39}$/, { message: 'Code is letters and digits, e.g. AMS' })),
    name: requiredText('Name', 80),
    address: optionalText('Address', 300).default(''),
    timeZone: z.union([z.literal(''), cardTimeZoneSchema.transform((s) => s)]).default(''),
    currency: z.union([z.literal(''), currencySchema]).default(''),
    openingHours: openingHoursSchema.default([]),
    turnaroundMinutes: z.number({ message: 'Turnaround must be a number of minutes' }).int({ message: 'Turnaround is whole minutes' }).min(0, { message: 'Turnaround cannot be negative' }).max(1440, { message: 'Turnaround is at most 1,440 minutes (a day)' }).nullable().default(null),
    taxName: optionalText('Tax name', 20).default(''),
    taxRateBp: z.number({ message: 'Tax rate must be a number' }).int({ message: 'Tax rate is whole basis points' }).min(0, { message: 'Tax rate cannot be negative' }).max(10_000, { message: 'Tax rate cannot be above 100 %' }).nullable().default(null),
  })
  .strict();
export type LocationUpsert = z.input<typeof locationUpsertSchema>;

export const locationAdminMethods = {
  'locations.manage.list': method({
    access: 'manager',
    summary: 'Every location with its address, clock, currency, opening hours, turnaround and tax',
    input: z.object({}).strict(),
    output: z.object({ locations: z.array(locationDetailSchema) }),
  }),
  'locations.upsert': method({
    access: 'manager',
    summary: 'Add a location or change one',
    input: locationUpsertSchema,
    output: locationDetailSchema,
  }),
} as const;
