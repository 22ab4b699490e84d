import { randomToken } from './ids';

/**
 * The keys this emulator issued, as a Stripe account has its own: a secret key and a restricted
 * key, random per state file (kept in it, so a restart keeps them), plus any keys the caller
 * names at start. Any other key, a live key or another `sk_test_`, is refused with Stripe's 401.
 */
export type IssuedKeys = { secret: string; restricted: string };

const TEST_KEY = /^(sk|rk)_test_[A-Za-z0-9_]+$/;

export function issueKeys(): IssuedKeys {
  return { secret: `sk_test_${randomToken(32)}`, restricted: `rk_test_${randomToken(32)}` };
}

export function isIssuedKeys(v: unknown): v is IssuedKeys {
  if (typeof v !== 'object' || v === null) return false;
  const k = v as Record<string, unknown>;
  return typeof k.secret === 'string' && k.secret.startsWith('sk_test_') && typeof k.restricted === 'string' && k.restricted.startsWith('rk_test_');
}

export class KeyRing {
  private readonly accepted: Set<string>;

  constructor(
    readonly issued: IssuedKeys,
    extra: readonly string[] = [],
  ) {
    for (const key of extra) {
      // A live key here would teach a test that live keys work against the emulator.
      if (!TEST_KEY.test(key)) throw new Error(`The emulator accepts only test-mode keys (sk_test_… or rk_test_…); refused an extra key ${key.slice(0, 8)}…`);
    }
    this.accepted = new Set([issued.secret, issued.restricted, ...extra]);
  }

  accepts(key: string): boolean {
    return this.accepted.has(key);
  }
}
