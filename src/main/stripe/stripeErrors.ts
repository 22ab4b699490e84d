import { PosError } from '../../shared/errors';

/** The fields of a stripe-node error we read; typed loosely so any thrown value can be checked. */
type StripeLike = { type?: unknown; code?: unknown; decline_code?: unknown; message?: unknown; statusCode?: unknown };

const DECLINE_SENTENCES: Record<string, string> = {
  insufficient_funds: 'The card was declined: not enough funds. Ask for another card.',
  expired_card: 'The card has expired. Ask for another card.',
  incorrect_cvc: 'The card’s security code was wrong. Try the card again.',
  lost_card: 'The card was declined. Ask for another card.',
  stolen_card: 'The card was declined. Ask for another card.',
  processing_error: 'The card could not be processed. Try again in a moment.',
  generic_decline: 'The card was declined. Ask for another card.',
};

/**
 * Maps anything a Stripe call can throw to the one error shape the app shows. Card errors become
 * declines with their reason; network, rate-limit and Stripe-side errors are retryable;
 * authentication and permission errors mean the counter is set up wrongly.
 */
export function toPosError(err: unknown): PosError {
  if (err instanceof PosError) return err;
  const e = (err && typeof err === 'object' ? err : {}) as StripeLike;
  const type = typeof e.type === 'string' ? e.type : '';
  const code = typeof e.code === 'string' ? e.code : '';
  const decline = typeof e.decline_code === 'string' ? e.decline_code : '';
  switch (type) {
    case 'StripeCardError': {
      const reason = decline || code;
      return new PosError('payment_declined', DECLINE_SENTENCES[reason] ?? 'The card was declined. Ask for another card.', { cause: err, retryable: reason === 'processing_error' });
    }
    case 'StripeRateLimitError':
      return new PosError('rate_limited', 'Stripe is busy. Keydesk will try again in a moment.', { cause: err, retryable: true });
    case 'StripeConnectionError':
      return new PosError('unavailable', 'Keydesk cannot reach Stripe. Check the network; nothing was charged twice.', { cause: err, retryable: true });
    case 'StripeAPIError':
      return new PosError('unavailable', 'Stripe had a problem answering. Try again in a moment.', { cause: err, retryable: true });
    case 'StripeAuthenticationError':
      return new PosError('configuration', 'Stripe refused this counter’s key. A manager must check the Stripe key in Settings.', { cause: err });
    case 'StripePermissionError':
      return new PosError('configuration', 'This counter’s Stripe key is not allowed to do that. Call the office.', { cause: err });
    case 'StripeIdempotencyError':
      return new PosError('conflict', 'Stripe saw this request before with different details. Nothing was charged; call the office.', { cause: err });
    case 'StripeInvalidRequestError':
      if (code === 'resource_missing') return new PosError('not_found', 'Stripe has no record of that payment.', { cause: err });
      if (code === 'payment_intent_unexpected_state') return new PosError('conflict', 'That payment has already moved on at Stripe. Refresh and check its status.', { cause: err });
      return new PosError('internal', 'Stripe refused the request. Nothing was charged; call the office if it repeats.', { cause: err });
    default:
      return new PosError('internal', 'Something went wrong talking to Stripe. Nothing was lost; try again.', { cause: err });
  }
}
