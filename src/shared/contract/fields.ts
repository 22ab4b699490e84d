import { z } from 'zod';
import { ulidSchema } from '../ids';

/** Scalars shared by the bookings, fleet, customers and staff contracts. */

/** An instant on the wire: ISO 8601 with a UTC offset ("Z" or "+02:00"). Main answers in UTC ("Z"). */
export const instantSchema = z.iso.datetime({
  offset: true,
  message: 'Must be a date and time with a UTC offset, e.g. 2025-06-01T09:00:00+02:00',
});

/** A calendar date without a time (birthdays, licence expiry): YYYY-MM-DD. */
export const localDateSchema = z.iso.date({ message: 'Must be a date like 2025-06-01' });

export const idSchema = ulidSchema;

/** Record version for optimistic concurrency: pass the version you read; a stale one is refused with 'conflict'. */
export const versionSchema = z.number().int().min(1);

export const noteSchema = (what: string, max = 2000) =>
  z.string().max(max, { message: `${what} must be at most ${max.toLocaleString('en-GB')} characters` });

export const requiredText = (what: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, { message: `${what} cannot be empty` })
    .max(max, { message: `${what} must be at most ${max} characters` });

/** Rate-card codes (vehicle classes, extras, fees): lower-case letters, digits, "-" and "_". */
export const codeSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, { message: 'Must be a code of lower-case letters, digits, "-" or "_"' });

export const searchQuerySchema = z.string().max(200, { message: 'Search must be at most 200 characters' });
