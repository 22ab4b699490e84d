import { z } from 'zod';
import { method } from './define';
import { codeSchema, idSchema, instantSchema, noteSchema, optionalText, requiredText, searchQuerySchema, versionSchema } from './fields';

/** 'retired' vehicles are kept (bookings name them) but never offered again. */
export const VEHICLE_STATUSES = ['available', 'on_rent', 'in_service', 'retired'] as const;
export type VehicleStatus = (typeof VEHICLE_STATUSES)[number];

/** Fuel gauge in eighths: 0 = empty, 8 = full. */
export const fuelEighthsSchema = z
  .number({ message: 'Fuel must be a number of eighths, 0 to 8' })
  .int({ message: 'Fuel is counted in whole eighths, 0 to 8' })
  .min(0, { message: 'Fuel cannot be below empty (0)' })
  .max(8, { message: 'Fuel cannot be above full (8 eighths)' });

/** Odometer reading in the rate card's mileage unit (km or mi). */
export const odometerSchema = z
  .number({ message: 'Odometer must be a number' })
  .int({ message: 'Odometer must be a whole number' })
  .min(0, { message: 'Odometer cannot be negative' })
  .max(9_999_999, { message: 'Odometer reading is too large' });

export const plateSchema = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase().replace(/\s+/g, ' '))
  .pipe(
    z
      .string()
      .min(2, { message: 'Plate must be at least 2 characters' })
      .max(12, { message: 'Plate must be at most 12 characters' })
      .regex(/^[A-Z0-9][A-Z0-9 -]*$/, { message: 'Plate may contain only letters, digits, spaces and "-"' }),
  );

/** 17 characters, no I, O or Q (ISO 3779); spaces are dropped and letters upper-cased. */
export const vinSchema = z
  .string()
  .transform((s) => s.replace(/\s+/g, '').toUpperCase())
  .pipe(
    z
      .string()
      .length(17, { message: 'VIN must be exactly 17 characters' })
      .regex(/^[A-HJ-NPR-Z0-9]+$/, { message: 'VIN may contain letters and digits only, never I, O or Q' }),
  );

export const locationSchema = z.object({
  id: idSchema,
  /** Short code used by the rate card's one-way routes, e.g. "AMS". */
  code: z.string(),
  name: z.string(),
  /** The counter's own location: the default for pickups and returns. */
  isHome: z.boolean(),
  /** The location's IANA time zone; '' means the shop's (settings.timeZone). Booking times there are shown and typed on this clock. */
  timeZone: z.string(),
});
export type Location = z.infer<typeof locationSchema>;

export const vehicleSchema = z.object({
  id: idSchema,
  plate: z.string(),
  /** Vehicle identification number; null when the office has not entered it. */
  vin: z.string().nullable(),
  make: z.string(),
  model: z.string(),
  colour: z.string(),
  year: z.number().int().nullable(),
  /** Rate-card class code, e.g. "compact". */
  class: z.string(),
  /** The class's name on the current rate card, e.g. "Compact" (the code when the card lacks it). */
  className: z.string(),
  odometer: z.number().int(),
  fuelEighths: z.number().int().min(0).max(8),
  tankLitres: z.number().int(),
  status: z.enum(VEHICLE_STATUSES),
  /** Where the vehicle is based. */
  locationId: idSchema.nullable(),
  notes: z.string(),
  version: z.number().int(),
  createdAt: instantSchema,
  updatedAt: instantSchema,
});
export type Vehicle = z.infer<typeof vehicleSchema>;

/**
 * A free car with where it will be at the pickup: the return location of its last live booking
 * ending by then, else where it stands (the home location when never placed).
 */
export const availableVehicleSchema = vehicleSchema.extend({ projectedLocationId: idSchema.nullable() });
export type AvailableVehicle = z.infer<typeof availableVehicleSchema>;

export const vehicleUpsertSchema = z
  .object({
    /** Omit to add a vehicle; give it (and `expectedVersion`) to change one. */
    id: idSchema.optional(),
    expectedVersion: versionSchema.optional(),
    plate: plateSchema,
    vin: vinSchema.nullable().default(null),
    make: requiredText('Make', 40),
    model: requiredText('Model', 40),
    colour: optionalText('Colour', 30).default(''),
    year: z.number().int({ message: 'Year must be a whole number' }).min(1950).max(2100).nullable().default(null),
    class: codeSchema,
    odometer: odometerSchema,
    fuelEighths: fuelEighthsSchema,
    tankLitres: z.number().int({ message: 'Tank size must be whole litres' }).min(10).max(300).default(50),
    /** 'on_rent' is set by check-out and check-in only. */
    status: z.enum(['available', 'in_service', 'retired'], { message: 'Status must be available, in service or retired' }).default('available'),
    locationId: idSchema.nullable().default(null),
    notes: noteSchema('Notes').default(''),
  })
  .strict();
export type VehicleUpsert = z.input<typeof vehicleUpsertSchema>;

export const downtimeSchema = z.object({
  id: idSchema,
  vehicleId: idSchema,
  from: instantSchema,
  to: instantSchema,
  reason: z.string(),
  cancelled: z.boolean(),
});
export type Downtime = z.infer<typeof downtimeSchema>;

export const downtimeInputSchema = z
  .object({
    vehicleId: idSchema,
    from: instantSchema,
    to: instantSchema,
    reason: requiredText('Reason', 200),
  })
  .strict()
  .refine((v) => Date.parse(v.to) > Date.parse(v.from), { path: ['to'], message: 'Back in service must be after out of service' });

/** A booking that overlaps a vehicle's out-of-service period: a manager moves it to another vehicle. */
export const downtimeConflictSchema = z.object({
  bookingId: idSchema,
  ref: z.string(),
  customerName: z.string(),
  pickupAt: instantSchema,
  returnAt: instantSchema,
  status: z.string(),
});
export type DowntimeConflict = z.infer<typeof downtimeConflictSchema>;

export const fleetMethods = {
  'vehicles.list': method({
    access: 'clerk',
    summary: 'The fleet, optionally filtered by class, status or a plate/make/model fragment',
    input: z
      .object({
        class: codeSchema.optional(),
        status: z.enum(VEHICLE_STATUSES).optional(),
        query: searchQuerySchema.optional(),
      })
      .strict(),
    output: z.object({ vehicles: z.array(vehicleSchema) }),
  }),
  'vehicles.availability': method({
    access: 'clerk',
    summary: 'Vehicles free for a whole window, turnaround gap included (not in service, no overlapping booking)',
    input: z
      .object({
        from: instantSchema,
        to: instantSchema,
        class: codeSchema.optional(),
        /** When moving an existing booking, ignore its own slot. */
        excludeBookingId: idSchema.optional(),
        /** Where the rental ends: its turnaround gap follows the rental (default: the home location's). */
        returnLocationId: idSchema.optional(),
        /** Where the rental starts: cars that will be there come first (default: the home location). */
        pickupLocationId: idSchema.optional(),
      })
      .strict()
      .refine((v) => Date.parse(v.to) > Date.parse(v.from), { path: ['to'], message: 'Must be after the start of the window' }),
    output: z.object({ from: instantSchema, to: instantSchema, vehicles: z.array(availableVehicleSchema) }),
  }),
  'vehicles.upsert': method({
    access: 'manager',
    summary: 'Add a vehicle to the fleet or change one (plate, class, readings, in service)',
    input: vehicleUpsertSchema,
    output: vehicleSchema,
  }),
  'vehicles.move': method({
    access: 'manager',
    summary: 'Move a vehicle to another location',
    input: z.object({ id: idSchema, expectedVersion: versionSchema.optional(), locationId: idSchema }).strict(),
    output: vehicleSchema,
  }),
  'vehicles.downtime.add': method({
    access: 'manager',
    summary: 'Take a vehicle out of service for a date range; answers the bookings that now conflict',
    input: downtimeInputSchema,
    output: z.object({ downtime: downtimeSchema, conflicts: z.array(downtimeConflictSchema) }),
  }),
  'vehicles.downtime.list': method({
    access: 'manager',
    summary: 'Current and future out-of-service periods of a vehicle, each with its conflicting bookings',
    input: z.object({ vehicleId: idSchema }).strict(),
    output: z.object({ downtime: z.array(z.object({ downtime: downtimeSchema, conflicts: z.array(downtimeConflictSchema) })) }),
  }),
  'vehicles.downtime.cancel': method({
    access: 'manager',
    summary: 'Put a vehicle back in service: cancel an out-of-service period',
    input: z.object({ id: idSchema }).strict(),
    output: downtimeSchema,
  }),
  'locations.list': method({
    access: 'clerk',
    summary: 'Pickup and return locations of this shop',
    input: z.object({}).strict(),
    output: z.object({ locations: z.array(locationSchema) }),
  }),
} as const;
