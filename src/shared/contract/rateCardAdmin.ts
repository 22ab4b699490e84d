import { z } from 'zod';
import { moneySchema } from '../money';
import { method } from './define';
import { instantSchema, requiredText } from './fields';
import { laterVersionsSchema, rateCardSchema } from './pricing';

export type LaterVersionsChoice = z.infer<typeof laterVersionsSchema>;

/**
 * Rate-card editing for managers (issue 15): a preview that prices one sample booking with the
 * card in force and with the edited card, side by side, before anything is saved. Saving is
 * `rates.update` (a new version; bookings keep the version they were quoted with).
 */
export const sampleBookingSchema = z
  .object({
    vehicleClass: z.string().min(1, { message: 'Choose a vehicle class' }),
    pickupAt: instantSchema,
    returnAt: instantSchema,
    /** Ages of the drivers, main driver first (young-driver fee priced for each). */
    driverAges: z.array(z.number().int().min(16, { message: 'Driver must be at least 16' }).max(99)).min(1).max(9).default([30]),
    extras: z.array(z.object({ code: z.string(), quantity: z.number().int().min(1).max(99).default(1) }).strict()).max(20).default([]),
  })
  .strict()
  .refine((v) => Date.parse(v.returnAt) > Date.parse(v.pickupAt), { path: ['returnAt'], message: 'Return must be after pickup' });

export const previewQuoteSchema = z.object({
  rateCardVersion: z.number().int(),
  rentalDays: z.number().int(),
  /** `key` (kind:code) lines the two cards' rows up; `description` says the figures of each. */
  lines: z.array(z.object({ key: z.string(), description: z.string(), amount: moneySchema })),
  taxTotal: moneySchema,
  total: moneySchema,
});
export type PreviewQuote = z.infer<typeof previewQuoteSchema>;

const upcomingSchema = z.array(z.object({ id: z.string(), version: z.number().int(), effectiveFrom: instantSchema }));

/** One saved version and what it is now. `effectiveFrom` is its date, or when it was saved if it applied at once. */
export const rateCardVersionSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  name: z.string(),
  savedAt: instantSchema,
  savedBy: z.string().nullable(),
  effectiveFrom: instantSchema,
  state: z.enum(['in_force', 'scheduled', 'superseded', 'cancelled']),
  /** The version that took (or will take) over from this one, and when; null if none. */
  replacedBy: z.object({ version: z.number().int(), at: instantSchema }).nullable(),
  cancelledAt: instantSchema.nullable(),
  cancelledBy: z.string().nullable(),
});
export type RateCardVersionView = z.infer<typeof rateCardVersionSchema>;

export const rateCardAdminMethods = {
  'rates.schedule': method({
    access: 'manager',
    summary: 'Save a new version of the rate card that takes effect at a future date and time',
    input: z.object({ card: rateCardSchema, effectiveFrom: instantSchema, laterVersions: laterVersionsSchema.optional() }).strict(),
    output: z.object({ version: z.number().int(), effectiveFrom: instantSchema, upcoming: upcomingSchema }),
  }),
  'rates.upcoming': method({
    access: 'manager',
    summary: 'Rate-card versions saved to take effect later',
    input: z.object({}).strict(),
    output: z.object({ upcoming: upcomingSchema }),
  }),
  'rates.versions': method({
    access: 'manager',
    summary: 'Every saved version of the rate card: in force, scheduled, superseded or cancelled',
    input: z.object({}).strict(),
    output: z.object({ versions: z.array(rateCardVersionSchema) }),
  }),
  'rates.cancelScheduled': method({
    access: 'manager',
    summary: 'Cancel a rate-card version scheduled for a later date, before it takes effect; audited',
    input: z.object({ id: z.string().min(1), version: z.number().int().min(1), reason: requiredText('Reason', 200) }).strict(),
    output: z.object({ versions: z.array(rateCardVersionSchema) }),
  }),
  'rates.preview': method({
    access: 'manager',
    summary: 'Price a sample booking with the current card and with an edited (unsaved) card, side by side',
    input: z.object({ card: rateCardSchema, sample: sampleBookingSchema }).strict(),
    output: z.object({
      /** null when no card is in force yet, or the current card cannot price the sample (e.g. a new class). */
      current: previewQuoteSchema.nullable(),
      currentError: z.string().nullable(),
      proposed: previewQuoteSchema,
      /** Vehicle classes in the fleet that the edited card does not price: saving it would be refused. */
      missingClasses: z.array(z.string()),
    }),
  }),
} as const;
