import type { Mode } from '../shared/contract/app';

/**
 * The mode follows from the configured Stripe key: none → demo (embedded emulator),
 * sk_test_/rk_test_ → test, sk_live_/rk_live_ → live. Anything else is refused at setup.
 */
export function modeForKey(key: string | null | undefined): Mode {
  if (!key) return 'demo';
  if (/^(sk|rk)_test_/.test(key)) return 'test';
  if (/^(sk|rk)_live_/.test(key)) return 'live';
  throw new Error('That is not a Stripe secret key: it should start with sk_test_ or sk_live_.');
}
