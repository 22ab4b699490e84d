import { PosError } from '../../shared/errors';

/** The fields of a stripe-node error we read; typed loosely so any thrown value can be checked. */
type StripeLike = { type?: unknown; code?: unknown; decline_code?: unknown; message?: unknown; statusCode?: unknown };

const ANOTHER_CARD = 'The card was declined. Ask for another card or take cash.';

/** One sentence per decline code and reader failure, each ending with the clerk's next step. */
const DECLINE_SENTENCES: Record<string, string> = {
  generic_decline: ANOTHER_CARD,
  card_declined: ANOTHER_CARD,
  do_not_honor: 'The bank refused the card. The customer should call their bank, or use another card.',
  insufficient_funds: 'The card was declined: not enough funds. Ask for another card or take cash.',
  card_velocity_exceeded: 'The card is over its limit. Ask for another card or take cash.',
  withdrawal_count_limit_exceeded: 'The card is over its limit. Ask for another card or take cash.',
  expired_card: 'The card has expired. Ask for another card.',
  incorrect_cvc: 'The card’s security code was wrong. Try the card again.',
  incorrect_number: 'The card number was not read correctly. Insert the card instead of tapping it.',
  invalid_number: 'The card number was not read correctly. Insert the card instead of tapping it.',
  lost_card: 'The card was declined. Keep calm, do not accuse; ask for another card.',
  stolen_card: 'The card was declined. Keep calm, do not accuse; ask for another card.',
  pickup_card: 'The card was declined. Keep calm, do not accuse; ask for another card.',
  fraudulent: 'The card was declined. Keep calm, do not accuse; ask for another card.',
  call_issuer: 'The bank wants the customer to call them. Ask for another card meanwhile.',
  processing_error: 'The card could not be processed. Try the same card again.',
  try_again_later: 'The bank did not answer. Try the same card again in a moment.',
  issuer_not_available: 'The bank did not answer. Try the same card again in a moment.',
  reenter_transaction: 'The payment did not go through. Try the same card again.',
  offline_pin_required: 'The card needs its PIN. Insert the card instead of tapping it.',
  online_or_offline_pin_required: 'The card needs its PIN. Insert the card instead of tapping it.',
  card_not_supported: 'This card cannot be used here. Ask for another card.',
  currency_not_supported: 'This card cannot pay in this currency. Ask for another card.',
  authentication_required: 'The bank wants the card verified. Insert the card and enter the PIN.',
  card_removed: 'The card was taken out too soon. Insert the card again and leave it in until the reader says so.',
  customer_canceled: 'The customer cancelled on the reader. Start the charge again when they are ready.',
  reader_timeout: 'The reader got no card in time. Charge again when the customer is ready, or take cash.',
  interrupted: 'The payment was interrupted before a card was read; nothing was charged. Charge again.',
};

/** The clerk's sentence for a decline code or reader failure code (unknown codes: "another card"). */
export function declineSentence(code: string | null | undefined): string {
  return (code && DECLINE_SENTENCES[code]) || ANOTHER_CARD;
}

/** Every code with its own sentence (tests check every emulator decline lands on one). */
export const KNOWN_DECLINE_CODES: readonly string[] = Object.keys(DECLINE_SENTENCES);

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
      return new PosError('payment_declined', declineSentence(reason), { cause: err, retryable: reason === 'processing_error' });
    }
    case 'StripeRateLimitError':
      return new PosError('rate_limited', 'Stripe is busy. Keydesk will try again in a moment.', { cause: err, retryable: true });
    case 'StripeConnectionError':
      return new PosError('unavailable', 'Keydesk cannot reach Stripe. Nothing was charged twice; take cash, or check the network and try again.', { cause: err, retryable: true });
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
      if (code === 'terminal_reader_busy') return new PosError('conflict', 'The reader is busy with another payment. Wait for it to finish, or cancel it on its own till.', { cause: err });
      if (code === 'terminal_reader_offline' || code === 'terminal_reader_timeout') return new PosError('unavailable', 'The reader is offline. Check its power and network, or take cash.', { cause: err, retryable: true });
      if (code === 'payment_intent_unexpected_state') return new PosError('conflict', 'That payment has already moved on at Stripe. Refresh and check its status.', { cause: err });
      return new PosError('internal', 'Stripe refused the request. Nothing was charged; call the office if it repeats.', { cause: err });
    default:
      return new PosError('internal', 'Something went wrong talking to Stripe. Nothing was lost; try again.', { cause: err });
  }
}
