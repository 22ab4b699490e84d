import { randomInt } from 'node:crypto';

/** No 0/O, 1/I/L: a ref read out over the phone or from a crumpled printout can't be misheard as another. */
export const REF_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const REF_PREFIX = 'KD-';
export const REF_LENGTH = 5;

/** `random(n)` returns an integer in [0, n); crypto by default, a seeded generator for the demo shop. */
export function makeBookingRef(random: (n: number) => number = (n) => randomInt(n)): string {
  let code = '';
  for (let i = 0; i < REF_LENGTH; i++) code += REF_ALPHABET[random(REF_ALPHABET.length)];
  return REF_PREFIX + code;
}

/** Makes a ref not yet used; 31^5 ≈ 28 million codes, so a clash is rare and a few tries always suffice. */
export function uniqueBookingRef(isTaken: (ref: string) => boolean, random?: (n: number) => number): string {
  for (let attempt = 0; attempt < 20; attempt++) {
    const ref = makeBookingRef(random);
    if (!isTaken(ref)) return ref;
  }
  throw new Error('Could not find a free booking ref after 20 tries');
}
