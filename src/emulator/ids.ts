import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

// One syscall per 4 KiB of randomness instead of one per id: ids are made on the hot path.
let pool = randomBytes(4096);
let poolPos = 0;

/** Random base62 text; 248 of 256 byte values are kept so every character is equally likely. */
export function randomToken(length: number): string {
  let out = '';
  while (out.length < length) {
    if (poolPos >= pool.length) {
      pool = randomBytes(4096);
      poolPos = 0;
    }
    const byte = pool[poolPos++] as number;
    if (byte < 248) out += ALPHABET[byte % 62];
  }
  return out;
}

/** Stripe-style id: `pi_3Pxy…` (prefix, underscore, 24 base62 characters). */
export function newId(prefix: string): string {
  return `${prefix}_${randomToken(24)}`;
}

/** `pi_…_secret_…`, as Stripe's client secrets embed the object id. */
export function newClientSecret(id: string): string {
  return `${id}_secret_${randomToken(25)}`;
}

export function newCheckoutSessionId(): string {
  return `cs_test_a1${randomToken(56)}`;
}

export function newRequestId(): string {
  return `req_${randomToken(14)}`;
}

/** Same card number, same fingerprint (as Stripe's fingerprints identify a card across payments). */
export function fingerprintOf(text: string): string {
  const digest = createHash('sha256').update(`keydesk-emulator:${text}`).digest();
  let out = '';
  for (let i = 0; out.length < 16; i++) out += ALPHABET[(digest[i] as number) % 62];
  return out;
}
