import { randomFillSync } from 'node:crypto';
import { ulid } from 'ulid';

// ulid's default source asks the OS for randomness once per character; a booking writes a dozen
// ids (quote, lines, handover), so draw crypto bytes in blocks instead.
const pool = new Uint32Array(1024);
let next = pool.length;

function cryptoPrng(): number {
  if (next >= pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return (pool[next++] as number) / 4294967296;
}

/** A ULID made on this device; `ms` sets its time part (default now). */
export function newId(ms: number = Date.now()): string {
  return ulid(ms, cryptoPrng);
}
