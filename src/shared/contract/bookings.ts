import { z } from 'zod';
import { currencySchema, moneySchema, nonNegativeMinorSchema } from '../money';
import { customerSchema } from './customers';
import { method } from './define';
import { codeSchema, idSchema, instantSchema, noteSchema, requiredText, storedFileRefSchema, versionSchema } from './fields';
import { availableVehicleSchema, fuelEighthsSchema, locationSchema, odometerSchema, vehicleSchema } from './fleet';

/**
 * Bookings: a booking's life from reservation to close, and a customer's bookings. The counter's
 * day is in `counter.ts`, search in `search.ts`, the rate card in `pricing.ts`. Main computes every amount; inputs carry
 * facts (times, readings, choices), never prices — except staff-assessed damage at check-in.
 * (Over 400 lines: one capability's schemas and its one method table, which every screen reads
 * together; splitting the table would make contract.ts join half-capabilities.)
 */

export const BOOKING_STATUSES = ['reserved', 'checked_out', 'returned', 'closed', 'cancelled', 'no_show'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** An extra (child seat, GPS…) or fee (airport surcharge…) from the rate card, by code. */
export const selectionSchema = z
  .object({
    code: codeSchema,
    quantity: z.number().int({ message: 'Quantity must be a whole number' }).min(1, { message: 'Quantity must be at least 1' }).max(99).default(1),
  })
  .strict();
export type Selection = z.input<typeof selectionSchema>;

const selectionsSchema = z.array(selectionSchema).max(50, { message: 'At most 50 items' });

// ─── Outputs ──────────────────────────────────────────────────────────────────────────────────

export const bookingSummarySchema = z.object({
  id: idSchema,
  /** Short reference said over the phone, e.g. "KD-7F3K9". */
  ref: z.string(),
  status: z.enum(BOOKING_STATUSES),
  pickupAt: instantSchema,
  returnAt: instantSchema,
  customer: z.object({ id: idSchema, name: z.string(), phone: z.string() }),
  vehicle: z.object({ id: idSchema, plate: z.string(), class: z.string(), name: z.string() }),
  /** timeZone: the location's IANA zone, '' for the shop's; the booking's times there are shown on that clock. */
  pickupLocation: z.object({ id: idSchema, code: z.string(), name: z.string(), timeZone: z.string() }),
  returnLocation: z.object({ id: idSchema, code: z.string(), name: z.string(), timeZone: z.string() }),
  total: moneySchema,
  /** total − payments captured + refunds; what the counter still has to take (negative: owed to the customer). */
  balanceDue: moneySchema,
  version: z.number().int(),
});
export type BookingSummary = z.infer<typeof bookingSummarySchema>;

export const priceLineSchema = z.object({
  /** rental_days, weekend_days, weekly, extra, one_way_fee, young_driver_fee, late_return, fuel, mileage, damage, fee, discount, tax. */
  kind: z.string(),
  code: z.string(),
  description: z.string(),
  /** Units charged; divide by quantityScale for the real count (fuel in litres is in millilitres). */
  quantity: z.number().int(),
  quantityScale: z.number().int(),
  unitAmount: moneySchema,
  amount: moneySchema,
  taxable: z.boolean(),
  /** False only for the tax line of a tax-inclusive quote (the tax is already inside the other lines). */
  countsInTotal: z.boolean(),
});
export type PriceLineView = z.infer<typeof priceLineSchema>;

export const quoteSchema = z.object({
  currency: currencySchema,
  taxMode: z.enum(['exclusive', 'inclusive']),
  taxRateBp: z.number().int(),
  rateCardId: z.string(),
  rateCardVersion: z.number().int(),
  rentalDays: z.number().int(),
  lateMinutes: z.number().int(),
  lines: z.array(priceLineSchema),
  subtotal: moneySchema,
  discountTotal: moneySchema,
  taxTotal: moneySchema,
  total: moneySchema,
  computedAt: instantSchema,
});
export type QuoteView = z.infer<typeof quoteSchema>;

export const damageSchema = z.object({ description: z.string(), amount: moneySchema });

/** A point marked on the car's top-view diagram, in the diagram's 0–1000 coordinates, with what is there. */
export const damageMarkSchema = z
  .object({
    x: z.number().int().min(0).max(1000),
    y: z.number().int().min(0).max(1000),
    note: requiredText('Damage note', 200),
  })
  .strict();
export type DamageMark = z.infer<typeof damageMarkSchema>;
const marksSchema = z.array(damageMarkSchema).max(40, { message: 'At most 40 marks on the diagram' }).default([]);

export const checkOutRecordSchema = z.object({
  at: instantSchema,
  odometer: z.number().int(),
  fuelEighths: z.number().int(),
  damageNotes: z.string(),
  photos: z.array(z.string()),
  marks: z.array(damageMarkSchema),
  /** Where the signature image is stored (relative to the data folder), or null when none was taken. */
  signatureRef: z.string().nullable(),
  staffId: z.string().nullable(),
  staffName: z.string(),
});

export const checkInRecordSchema = z.object({
  at: instantSchema,
  odometer: z.number().int(),
  fuelEighths: z.number().int(),
  newDamage: z.array(damageSchema),
  photos: z.array(z.string()),
  /** Every mark on the diagram at return; those not at check-out are new. */
  marks: z.array(damageMarkSchema),
  notes: z.string(),
  staffId: z.string().nullable(),
  staffName: z.string(),
});

export const auditSummarySchema = z.object({
  at: instantSchema,
  action: z.string(),
  actorName: z.string(),
  /** One line, e.g. "Extended return to 2025-06-09 10:00 (+€45.00)". */
  summary: z.string(),
});

export const BOOKING_FLAG_KINDS = ['dispute', 'refund_failed', 'payment_failed'] as const;
export const bookingFlagSchema = z.object({
  kind: z.enum(BOOKING_FLAG_KINDS),
  /** One sentence for the manager, e.g. "Customer disputed 42.00 EUR (fraudulent)." */
  detail: z.string(),
  at: instantSchema,
});

export const bookingDetailSchema = bookingSummarySchema.extend({
  customer: customerSchema,
  vehicle: vehicleSchema,
  pickupLocation: locationSchema,
  returnLocation: locationSchema,
  extras: z.array(z.object({ code: z.string(), quantity: z.number().int() })),
  fees: z.array(z.object({ code: z.string(), quantity: z.number().int() })),
  notes: z.string(),
  quote: quoteSchema,
  /** False for a booking made by class: the car shown is held for it, the car is given at pickup. */
  carAssigned: z.boolean(),
  /** What the booking owes: its total, or once cancelled or a no-show, its fee (zero if none). */
  owed: moneySchema,
  /** Σ captured payments. */
  paid: moneySchema,
  /** Σ refunds not failed or cancelled. */
  refunded: moneySchema,
  checkOut: checkOutRecordSchema.nullable(),
  checkIn: checkInRecordSchema.nullable(),
  cancellation: z.object({ at: instantSchema, reason: z.string(), staffName: z.string() }).nullable(),
  /** Oldest first. */
  audit: z.array(auditSummarySchema),
  /** Open flags that need a manager: a dispute opened at Stripe, a refund that failed. Oldest first. */
  flags: z.array(bookingFlagSchema),
  createdAt: instantSchema,
  updatedAt: instantSchema,
});
export type BookingDetail = z.infer<typeof bookingDetailSchema>;

/** What check-in would charge for the readings on the counter's form, before anything is saved. */
export const bookingCheckInPreviewSchema = z.object({
  quote: quoteSchema,
  total: moneySchema,
  /** total − payments captured + refunds, as it will be once the booking is returned. */
  balanceDue: moneySchema,
});
export type CheckInPreview = z.infer<typeof bookingCheckInPreviewSchema>;

// ─── Inputs ───────────────────────────────────────────────────────────────────────────────────

function returnAfterPickup(v: { pickupAt?: string | undefined; returnAt?: string | undefined }): boolean {
  return v.pickupAt === undefined || v.returnAt === undefined || Date.parse(v.returnAt) > Date.parse(v.pickupAt);
}
const ORDER_MESSAGE = { path: ['returnAt'], message: 'Return must be after pickup' };

export const bookingCreateSchema = z
  .object({
    customerId: idSchema,
    /** The car; omit it and give `vehicleClass` to book the class (a free car is held, the car is given at pickup). */
    vehicleId: idSchema.optional(),
    vehicleClass: codeSchema.optional(),
    pickupAt: instantSchema,
    returnAt: instantSchema,
    /** Default: the shop's home location. */
    pickupLocationId: idSchema.optional(),
    /** Default: the pickup location. */
    returnLocationId: idSchema.optional(),
    extras: selectionsSchema.default([]),
    fees: selectionsSchema.default([]),
    notes: noteSchema('Notes').default(''),
  })
  .strict()
  .refine(returnAfterPickup, ORDER_MESSAGE)
  .refine((v) => v.vehicleId !== undefined || v.vehicleClass !== undefined, { path: ['vehicleId'], message: 'Choose a vehicle or a class' });
export type BookingCreate = z.input<typeof bookingCreateSchema>;

export const bookingQuoteSchema = z
  .object({
    /** Gives the driver's age (young-driver fee, minimum age); omit for a walk-up price. */
    customerId: idSchema.optional(),
    /** A vehicle, or just a class. */
    vehicleId: idSchema.optional(),
    vehicleClass: codeSchema.optional(),
    pickupAt: instantSchema,
    returnAt: instantSchema,
    pickupLocationId: idSchema.optional(),
    returnLocationId: idSchema.optional(),
    extras: selectionsSchema.default([]),
    fees: selectionsSchema.default([]),
    /** A change to this booking (extend, modify): priced on the rate card the booking was priced on, as the change will be. */
    bookingId: idSchema.optional(),
  })
  .strict()
  .refine(returnAfterPickup, ORDER_MESSAGE)
  .refine((v) => v.vehicleId !== undefined || v.vehicleClass !== undefined, { path: ['vehicleClass'], message: 'Choose a vehicle or a class' });

export const bookingModifySchema = z
  .object({
    id: idSchema,
    expectedVersion: versionSchema.optional(),
    customerId: idSchema.optional(),
    vehicleId: idSchema.optional(),
    pickupAt: instantSchema.optional(),
    returnAt: instantSchema.optional(),
    pickupLocationId: idSchema.optional(),
    returnLocationId: idSchema.optional(),
    extras: selectionsSchema.optional(),
    fees: selectionsSchema.optional(),
    notes: noteSchema('Notes').optional(),
  })
  .strict()
  .refine(returnAfterPickup, ORDER_MESSAGE);

export const bookingCheckOutSchema = z
  .object({
    id: idSchema,
    expectedVersion: versionSchema.optional(),
    odometer: odometerSchema,
    fuelEighths: fuelEighthsSchema,
    damageNotes: noteSchema('Damage notes').default(''),
    /** Refs of photos Keydesk already saved in its data folder (photos/<name>.jpg); never paths or image data. */
    photos: z
      .array(storedFileRefSchema('photos', 'Photo'))
      .max(20, { message: 'At most 20 photos' })
      .default([]),
    /** A PNG/JPEG data URL (≤ 256 KB; main saves it to a file and stores its ref) or the ref of one saved earlier. */
    signature: z
      .string()
      .max(350_000, { message: 'Signature image is too large (at most 256 KB)' })
      .refine((s) => /^data:image\/(png|jpeg);base64,[A-Za-z0-9+/=]+$/.test(s) || storedFileRefSchema('signatures', 'Signature').safeParse(s).success, {
        message: 'Signature must be a PNG or JPEG image, or one Keydesk saved (signatures/…), not a path',
      })
      .nullable()
      .default(null),
    /** Damage already on the car, marked on its diagram. */
    marks: marksSchema,
    /** Default: now. */
    at: instantSchema.optional(),
  })
  .strict();

export const bookingCheckInSchema = z
  .object({
    id: idSchema,
    expectedVersion: versionSchema.optional(),
    odometer: odometerSchema,
    fuelEighths: fuelEighthsSchema,
    /** Default: now. */
    returnedAt: instantSchema.optional(),
    newDamage: z
      .array(
        z
          .object({
            description: requiredText('Damage description', 200),
            amount: nonNegativeMinorSchema,
            currency: currencySchema,
          })
          .strict(),
      )
      .max(50, { message: 'At most 50 damage items' })
      .default([]),
    /** The diagram at return: the marks from check-out plus any new ones. */
    marks: marksSchema,
    photos: z
      .array(storedFileRefSchema('photos', 'Photo'))
      .max(20, { message: 'At most 20 photos' })
      .default([]),
    notes: noteSchema('Notes').default(''),
  })
  .strict();

const byId = z.object({ id: idSchema, expectedVersion: versionSchema.optional() }).strict();

// ─── Methods ──────────────────────────────────────────────────────────────────────────────────

export const bookingsMethods = {
  'bookings.list': method({
    access: 'clerk',
    summary: 'Bookings overlapping a window (planner), optionally for one vehicle or customer',
    input: z
      .object({
        from: instantSchema,
        to: instantSchema,
        vehicleId: idSchema.optional(),
        customerId: idSchema.optional(),
        statuses: z.array(z.enum(BOOKING_STATUSES)).max(6).optional(),
        limit: z.number().int().min(1).max(1000).default(500),
      })
      .strict()
      .refine((v) => Date.parse(v.to) > Date.parse(v.from), { path: ['to'], message: 'Must be after the start of the window' }),
    output: z.object({ bookings: z.array(bookingSummarySchema) }),
  }),
  'bookings.get': method({
    access: 'clerk',
    summary: 'One booking with customer, vehicle, price lines, totals, balance due and audit trail',
    input: z.object({ id: idSchema }).strict(),
    output: bookingDetailSchema,
  }),
  'bookings.quote': method({
    access: 'clerk',
    summary: 'Price a prospective booking without saving it',
    input: bookingQuoteSchema,
    output: z.object({ quote: quoteSchema }),
  }),
  'bookings.create': method({
    access: 'clerk',
    summary: 'Reserve a vehicle for a customer; refused if it overlaps another booking (turnaround included)',
    input: bookingCreateSchema,
    output: bookingDetailSchema,
  }),
  'bookings.modify': method({
    access: 'clerk',
    summary: 'Change a reserved booking (customer, vehicle, times, locations, extras, fees, notes); re-priced',
    input: bookingModifySchema,
    output: bookingDetailSchema,
  }),
  'bookings.extend': method({
    access: 'clerk',
    summary: 'Move the return later (reserved or out); re-priced',
    input: z.object({ id: idSchema, expectedVersion: versionSchema.optional(), returnAt: instantSchema }).strict(),
    output: bookingDetailSchema,
  }),
  'bookings.cancel': method({
    access: 'clerk',
    summary: 'Cancel a reserved booking, with a reason',
    input: z.object({ id: idSchema, expectedVersion: versionSchema.optional(), reason: requiredText('Reason', 500) }).strict(),
    output: bookingDetailSchema,
  }),
  'bookings.noShow': method({
    access: 'clerk',
    summary: 'Mark a reserved booking as a no-show (after its pickup time)',
    input: z.object({ id: idSchema, expectedVersion: versionSchema.optional(), reason: noteSchema('Reason', 500).default('') }).strict(),
    output: bookingDetailSchema,
  }),
  'bookings.endFee': method({
    access: 'clerk',
    summary: 'The cancellation or no-show fee this booking would owe now, from its rate card; writes nothing',
    input: z.object({ id: idSchema, kind: z.enum(['cancel', 'no_show']) }).strict(),
    output: z.object({ fee: moneySchema, quote: quoteSchema.nullable(), rule: z.string() }),
  }),
  'bookings.assignable': method({
    access: 'clerk',
    summary: 'Free cars of the booked class or better for a reserved booking, by plate (type-ahead); upgrades with what charging them would add',
    input: z.object({ id: idSchema, query: z.string().max(20, { message: 'At most 20 characters' }).default('') }).strict(),
    output: z.object({
      bookedClass: z.string(),
      cars: z.array(availableVehicleSchema.extend({ current: z.boolean(), upgrade: z.boolean(), upgradeCharge: moneySchema })),
    }),
  }),
  'bookings.assign': method({
    access: 'clerk',
    summary: 'Give a reserved booking a car of its class or better; an upgrade is charged (re-priced) or free (audited)',
    input: z.object({ id: idSchema, expectedVersion: versionSchema.optional(), vehicleId: idSchema, upgrade: z.enum(['charge', 'free']).optional() }).strict(),
    output: bookingDetailSchema,
  }),
  'bookings.agreement': method({
    access: 'clerk',
    summary: "The rental agreement's parts main keeps: the shop's terms and, once signed at check-out, the signature",
    input: z.object({ id: idSchema }).strict(),
    output: z.object({
      shopName: z.string(),
      terms: z.string(),
      /** The customer's signature taken at check-out (a data URL), or null before it / when signed on paper. */
      signature: z.string().nullable(),
      signedAt: instantSchema.nullable(),
      signedOnPaper: z.boolean(),
    }),
  }),
  'bookings.checkOut': method({
    access: 'clerk',
    summary: 'Hand the vehicle over: odometer, fuel, damage notes, photos, signature',
    input: bookingCheckOutSchema,
    output: bookingDetailSchema,
  }),
  'bookings.checkIn': method({
    access: 'clerk',
    summary: 'Take the vehicle back: odometer, fuel, new damage, return time; re-priced (late, fuel, mileage, damage)',
    input: bookingCheckInSchema,
    output: bookingDetailSchema,
  }),
  'bookings.checkInPreview': method({
    access: 'clerk',
    summary: 'Price a check-in (late, fuel, mileage, damage) and the balance due without saving anything',
    input: bookingCheckInSchema,
    output: bookingCheckInPreviewSchema,
  }),
  'bookings.close': method({
    access: 'clerk',
    summary: 'Close a returned booking once nothing is left to pay',
    input: byId,
    output: bookingDetailSchema,
  }),
  'customers.get': method({
    access: 'clerk',
    summary: 'One customer and their bookings, newest first',
    input: z.object({ id: idSchema }).strict(),
    output: z.object({ customer: customerSchema, bookings: z.array(bookingSummarySchema) }),
  }),
} as const;

/** Pushed when something outside this screen changed bookings (Stripe's events through the relay). */
export const bookingsEvents = {
  'bookings.changed': z.object({ ids: z.array(z.string()).max(1000) }),
} as const;
