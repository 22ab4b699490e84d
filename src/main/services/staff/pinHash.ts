import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

/** scrypt cost: about 30 ms per check on a counter PC; a 4-digit PIN's real defence is the lockout. */
const N = 16384;
const R = 8;
const P = 1;
const KEY_LEN = 32;

function encode(salt: Buffer, hash: Buffer): string {
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function hashPinSync(pin: string): string {
  const salt = randomBytes(16);
  return encode(salt, scryptSync(pin, salt, KEY_LEN, { N, r: R, p: P }));
}

type Parsed = { n: number; r: number; p: number; salt: Buffer; hash: Buffer };

function parse(stored: string): Parsed | null {
  const m = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored);
  if (!m) return null;
  return { n: Number(m[1]), r: Number(m[2]), p: Number(m[3]), salt: Buffer.from(m[4] ?? '', 'base64'), hash: Buffer.from(m[5] ?? '', 'base64') };
}

/** Off the event loop (libuv pool), so a sign-in never stalls the other window's calls. */
export function verifyPin(pin: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return Promise.resolve(false);
  return new Promise((resolve, reject) => {
    scrypt(pin, parsed.salt, parsed.hash.length, { N: parsed.n, r: parsed.r, p: parsed.p, maxmem: 64 * 1024 * 1024 }, (err, key) => {
      if (err) reject(err);
      else resolve(key.length === parsed.hash.length && timingSafeEqual(key, parsed.hash));
    });
  });
}
