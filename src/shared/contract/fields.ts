import { z } from 'zod';
import { ulidSchema } from '../ids';

/** Scalars shared by the bookings, fleet, customers, settings and staff contracts. */

// ─── Dates ────────────────────────────────────────────────────────────────────────────────────

/**
 * Every date the contract accepts lies in these bounds; shop-time arithmetic and pricing are
 * exact inside them. Bookings have a tighter, configurable horizon (see bookingHorizon.ts).
 */
export const EARLIEST_DATE = '1900-01-01';
export const LATEST_DATE = '2099-12-31';
const EARLIEST_INSTANT_MS = Date.parse('2000-01-01T00:00:00Z');
const LATEST_INSTANT_MS = Date.parse('2100-01-01T00:00:00Z');

/** Marks a zod issue so dispatch answers `date_out_of_range` instead of `invalid_input`. */
export const DATE_OUT_OF_RANGE = { posCode: 'date_out_of_range' } as const;

/** An instant on the wire: ISO 8601 with a UTC offset ("Z" or "+02:00"). Main answers in UTC ("Z"). */
export const instantSchema = z.iso
  .datetime({
    offset: true,
    message: 'Must be a date and time with a UTC offset, e.g. 2025-06-01T09:00:00+02:00',
  })
  .refine(
    (s) => {
      const ms = Date.parse(s);
      return ms >= EARLIEST_INSTANT_MS && ms < LATEST_INSTANT_MS;
    },
    { message: 'Must be a date between the years 2000 and 2099', params: DATE_OUT_OF_RANGE },
  );

/** A calendar date without a time (birthdays, licence expiry): YYYY-MM-DD. */
export const localDateSchema = z.iso
  .date({ message: 'Must be a date like 2025-06-01' })
  .refine((s) => s >= EARLIEST_DATE && s <= LATEST_DATE, {
    message: `Must be a date between ${EARLIEST_DATE} and ${LATEST_DATE}`,
    params: DATE_OUT_OF_RANGE,
  });

// ─── Ids ──────────────────────────────────────────────────────────────────────────────────────

export const idSchema = ulidSchema;

/** Record version for optimistic concurrency: pass the version you read; a stale one is refused with 'conflict'. */
export const versionSchema = z.number().int().min(1);

// ─── Text ─────────────────────────────────────────────────────────────────────────────────────

/**
 * The one text rule. Text is stored in Unicode NFC; control characters (Cc), format
 * characters (Cf: zero-width spaces and joiners, bidi overrides, BOM) and line/paragraph
 * separators are refused, except "\n" in fields that allow several lines (CR LF and CR become
 * "\n" first). Emptiness is judged on what a person would see: a value of only spaces or
 * invisible characters is empty.
 */
const FORBIDDEN_ONE_LINE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const FORBIDDEN_MULTI_LINE = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const INVISIBLE = /[\s\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

export function normaliseText(s: string, multiline: boolean): string {
  const nfc = s.normalize('NFC');
  return multiline ? nfc.replace(/\r\n?/g, '\n') : nfc;
}

export function hasForbiddenChars(s: string, multiline: boolean): boolean {
  return (multiline ? FORBIDDEN_MULTI_LINE : FORBIDDEN_ONE_LINE).test(s);
}

export function isBlank(s: string): boolean {
  return s.replace(INVISIBLE, '').length === 0;
}

export type TextOptions = {
  max: number;
  /** Refuse an empty (or invisible-only) value. */
  required?: boolean;
  /** Allow "\n" line breaks (notes, reasons). */
  multiline?: boolean;
};

export function textSchema(what: string, opts: TextOptions) {
  const multiline = opts.multiline ?? false;
  let s = z
    .string()
    .overwrite((v) => normaliseText(v, multiline))
    .trim();
  if (opts.required) s = s.refine((v) => !isBlank(v), { message: `${what} cannot be empty`, abort: true });
  return s
    .refine((v) => !hasForbiddenChars(v, multiline), {
      message: multiline
        ? `${what} may not contain control or invisible characters (only line breaks)`
        : `${what} may not contain line breaks, control or invisible characters`,
      abort: true,
    })
    .max(opts.max, { message: `${what} must be at most ${opts.max.toLocaleString('en-GB')} characters` });
}

/** Free text over several lines (notes, damage notes, reasons); may be empty. */
export const noteSchema = (what: string, max = 2000) => textSchema(what, { max, multiline: true });

/** One line that must say something (names, licence numbers, descriptions). */
export const requiredText = (what: string, max: number) => textSchema(what, { max, required: true });

/** One line that may be empty (colour, receipt footer line). */
export const optionalText = (what: string, max: number) => textSchema(what, { max });

/** Rate-card codes (vehicle classes, extras, fees): lower-case letters, digits, "-" and "_". */
export const codeSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, { message: 'Must be a code of lower-case letters, digits, "-" or "_"' });

export const searchQuerySchema = textSchema('Search', { max: 200 });

// ─── Files the app stored ─────────────────────────────────────────────────────────────────────

/**
 * A reference to a file Keydesk itself stored in its data folder: `<folder>/<name>.<png|jpg>`,
 * the name made of letters, digits, "-" and "_". Never an absolute path, a drive, a "..", a
 * backslash or a URL. The main process also checks that the file exists where it says.
 */
export const STORED_FILE_REF = /^(signatures|photos)\/[A-Za-z0-9_-]{1,100}\.(png|jpg)$/;

export const storedFileRefSchema = (folder: 'signatures' | 'photos', what: string) =>
  z
    .string()
    .max(120, { message: `${what} reference is too long` })
    .refine((s) => STORED_FILE_REF.test(s) && s.startsWith(`${folder}/`), {
      message: `${what} must be one Keydesk saved (${folder}/…), not a path`,
    });
