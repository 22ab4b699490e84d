import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { PosError } from '../../shared/errors';
import { toPosError } from './stripeErrors';

// Typed loosely on purpose: these mimic what Stripe sends, including fields the types do not list.
const raw = (type: string, extra: Record<string, unknown> = {}) => ({ type, message: 'raw stripe text sk_test_abc', ...extra }) as never;

describe('toPosError', () => {
  const cases: [string, unknown, string, boolean | undefined, RegExp][] = [
    ['card decline with reason', new Stripe.errors.StripeCardError(raw('card_error', { code: 'card_declined', decline_code: 'insufficient_funds' })), 'payment_declined', false, /not enough funds/],
    ['expired card', new Stripe.errors.StripeCardError(raw('card_error', { code: 'expired_card' })), 'payment_declined', false, /expired/],
    ['processing error is retryable', new Stripe.errors.StripeCardError(raw('card_error', { code: 'processing_error' })), 'payment_declined', true, /could not be processed/],
    ['rate limit', new Stripe.errors.StripeRateLimitError(raw('rate_limit_error')), 'rate_limited', true, /busy/],
    ['connection', new Stripe.errors.StripeConnectionError(raw('api_connection_error')), 'unavailable', true, /cannot reach Stripe/],
    ['api error', new Stripe.errors.StripeAPIError(raw('api_error')), 'unavailable', true, /problem/],
    ['authentication', new Stripe.errors.StripeAuthenticationError(raw('authentication_error')), 'configuration', undefined, /key/],
    ['permission', new Stripe.errors.StripePermissionError(raw('invalid_request_error')), 'configuration', undefined, /not allowed/],
    ['idempotency', new Stripe.errors.StripeIdempotencyError(raw('idempotency_error')), 'conflict', undefined, /before with different details/],
    ['missing resource', new Stripe.errors.StripeInvalidRequestError(raw('invalid_request_error', { code: 'resource_missing' })), 'not_found', undefined, /no record/],
    ['unexpected state', new Stripe.errors.StripeInvalidRequestError(raw('invalid_request_error', { code: 'payment_intent_unexpected_state' })), 'conflict', undefined, /moved on/],
    ['unknown thrown value', 'boom', 'internal', undefined, /Nothing was lost/],
    ['null', null, 'internal', undefined, /Nothing was lost/],
  ];
  for (const [name, input, code, retryable, message] of cases) {
    it(name, () => {
      const e = toPosError(input);
      expect(e).toBeInstanceOf(PosError);
      expect(e.code).toBe(code);
      expect(e.retryable).toBe(retryable);
      expect(e.message).toMatch(message);
      // Stripe's own text (which may carry ids or keys) never becomes the clerk's sentence.
      expect(e.message).not.toMatch(/raw stripe text|sk_test/);
    });
  }
  it('passes a PosError through unchanged', () => {
    const original = new PosError('conflict', 'x');
    expect(toPosError(original)).toBe(original);
  });
});
