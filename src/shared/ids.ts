import { z } from 'zod';

/** ULIDs are made on the device so records can later merge across counters without clashes. */
export const ULID_RE = /^[0-9A-HJKMNP-TV-Z]{26}$/;
export const ulidSchema = z.string().regex(ULID_RE, { message: 'Not a valid id' });
