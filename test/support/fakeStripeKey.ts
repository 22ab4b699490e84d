/**
 * A key-shaped string Stripe never issued, for tests of refusal paths. Built at run time so no
 * source file holds a literal that secret scanners take for a real Stripe key.
 */
export function fakeStripeKey(kind: 'sk_test' | 'sk_live' | 'rk_test', tail: string): string {
  return `${kind}_${tail}`;
}
