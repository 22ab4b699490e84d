import { z } from 'zod';

/**
 * Every failure that crosses the rpc boundary has this shape. `message` is a sentence a clerk
 * can act on; technical detail stays in main's log. `fields` maps a dotted input path to what
 * is wrong with it, so a form can mark the right control.
 */
export const ERROR_CODES = [
  'unknown_method',
  'invalid_input',
  'invalid_output',
  'not_signed_in',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limited',
  'unavailable',
  'payment_declined',
  'configuration',
  'disk_full',
  'disk_read_only',
  'disk_error',
  'date_out_of_range',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const posErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  fields: z.record(z.string(), z.string()).optional(),
  /** true when trying again later may succeed (network, rate limit). */
  retryable: z.boolean().optional(),
});

export type PosErrorShape = z.infer<typeof posErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: PosErrorShape };

export const resultSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: posErrorSchema }),
]);

/** Thrown by services; dispatch turns it into a Result. */
export class PosError extends Error {
  readonly code: ErrorCode;
  readonly fields: Record<string, string> | undefined;
  readonly retryable: boolean | undefined;

  constructor(code: ErrorCode, message: string, opts: { fields?: Record<string, string>; retryable?: boolean; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'PosError';
    this.code = code;
    this.fields = opts.fields;
    this.retryable = opts.retryable;
  }

  toShape(): PosErrorShape {
    const shape: PosErrorShape = { code: this.code, message: this.message };
    if (this.fields) shape.fields = this.fields;
    if (this.retryable !== undefined) shape.retryable = this.retryable;
    return shape;
  }
}

/** Sentences shown when a code arrives without a more specific message (e.g. from a transport). */
export const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  unknown_method: 'The app asked for something this version does not know. Restart Keydesk; if it keeps happening, call the office.',
  invalid_input: 'Some details are missing or not right. Check the highlighted fields.',
  invalid_output: 'Keydesk got an answer it could not read. Nothing was changed; try again or call the office.',
  not_signed_in: 'Sign in to continue.',
  forbidden: 'Your role cannot do this. Ask a manager.',
  not_found: 'That record could not be found. It may have been removed.',
  conflict: 'That clashes with something already saved.',
  rate_limited: 'Stripe is busy. Keydesk will try again in a moment.',
  unavailable: 'Keydesk cannot reach the service right now. Check the network and try again.',
  payment_declined: 'The card was declined.',
  configuration: 'Keydesk is not set up correctly for this. Call the office.',
  disk_full: 'The disk is full: nothing was saved. Free space and try again.',
  disk_read_only: 'Keydesk cannot write to its database (the disk or the file is read-only): nothing was saved. Call the office.',
  disk_error: 'The disk failed while saving: nothing was saved. Try again; if it repeats, call the office.',
  date_out_of_range: 'That date is outside the dates Keydesk accepts.',
  internal: 'Something went wrong inside Keydesk. Nothing was lost; try again, and call the office if it repeats.',
};

/**
 * A storage failure (SQLite's result code or Node's errno) as the code a clerk sees, or null
 * for anything else. A failed write was a transaction that rolled back: nothing was saved.
 */
export function storageErrorCode(code: unknown): ErrorCode | null {
  if (typeof code !== 'string') return null;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return 'disk_full';
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') return 'disk_read_only';
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return 'disk_error';
  return null;
}
