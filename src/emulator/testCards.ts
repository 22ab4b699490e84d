/**
 * Stripe's test cards and `pm_card_*` test PaymentMethods, with the outcome each one forces.
 * Any other number that passes the Luhn check is approved, with a brand from its prefix.
 */

export type Decline = {
  code: 'card_declined' | 'expired_card' | 'incorrect_cvc' | 'processing_error' | 'authentication_required';
  decline_code: string;
  message: string;
};

export type CardOutcome =
  | { kind: 'approve' }
  | { kind: 'decline'; decline: Decline }
  /** Approved; a refund of it starts pending and then fails. */
  | { kind: 'refund_fail' }
  /** Approved; a refund of it starts pending and later succeeds (Stripe's pendingRefund test card). */
  | { kind: 'refund_pending' }
  /** Needs 3-D Secure: the PaymentIntent goes to requires_action. */
  | { kind: 'authenticate' };

export type TestCard = {
  number: string;
  brand: string;
  funding: 'credit' | 'debit' | 'prepaid';
  country: string;
  outcome: CardOutcome;
};

const DECLINED: Decline = { code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' };

function decline(code: Decline['code'], decline_code: string, message: string): CardOutcome {
  return { kind: 'decline', decline: { code, decline_code, message } };
}

const APPROVE: CardOutcome = { kind: 'approve' };

const CARDS: Record<string, TestCard> = {};
const TOKENS: Record<string, string> = {};

function card(number: string, brand: string, outcome: CardOutcome, tokens: string[], funding: TestCard['funding'] = 'credit', country = 'US'): void {
  CARDS[number] = { number, brand, funding, country, outcome };
  for (const t of tokens) TOKENS[t] = number;
}

card('4242424242424242', 'visa', APPROVE, ['pm_card_visa', 'tok_visa']);
card('4000056655665556', 'visa', APPROVE, ['pm_card_visa_debit', 'tok_visa_debit'], 'debit');
card('5555555555554444', 'mastercard', APPROVE, ['pm_card_mastercard', 'tok_mastercard']);
card('5200828282828210', 'mastercard', APPROVE, ['pm_card_mastercard_debit', 'tok_mastercard_debit'], 'debit');
card('378282246310005', 'amex', APPROVE, ['pm_card_amex', 'tok_amex']);
card('6011111111111117', 'discover', APPROVE, ['pm_card_discover', 'tok_discover']);
card('4506445006931933', 'interac', APPROVE, [], 'debit', 'CA');
card('4000000000000002', 'visa', { kind: 'decline', decline: DECLINED }, ['pm_card_chargeDeclined', 'tok_chargeDeclined']);
card('4000000000009995', 'visa', decline('card_declined', 'insufficient_funds', 'Your card has insufficient funds.'), [
  'pm_card_chargeDeclinedInsufficientFunds',
  'tok_chargeDeclinedInsufficientFunds',
]);
card('4000000000009987', 'visa', decline('card_declined', 'lost_card', 'Your card was declined.'), ['pm_card_chargeDeclinedLostCard']);
card('4000000000009979', 'visa', decline('card_declined', 'stolen_card', 'Your card was declined.'), ['pm_card_chargeDeclinedStolenCard']);
card('4000000000000069', 'visa', decline('expired_card', 'expired_card', 'Your card has expired.'), [
  'pm_card_chargeDeclinedExpiredCard',
  'tok_chargeDeclinedExpiredCard',
]);
card('4000000000000127', 'visa', decline('incorrect_cvc', 'incorrect_cvc', "Your card's security code is incorrect."), [
  'pm_card_chargeDeclinedIncorrectCvc',
  'tok_chargeDeclinedIncorrectCvc',
]);
card(
  '4000000000000119',
  'visa',
  decline('processing_error', 'processing_error', 'An error occurred while processing your card. Try again in a little bit.'),
  ['pm_card_chargeDeclinedProcessingError', 'tok_chargeDeclinedProcessingError'],
);
card('4000000000005126', 'visa', { kind: 'refund_fail' }, ['pm_card_refundFail', 'tok_refundFail']);
card('4000000000007726', 'visa', { kind: 'refund_pending' }, ['pm_card_pendingRefund', 'tok_pendingRefund']);
card('4000002760003184', 'visa', { kind: 'authenticate' }, ['pm_card_authenticationRequired', 'tok_authenticationRequired'], 'credit', 'DE');

/** The reader simulator's names for the same outcomes (Stripe's testPaymentMethod values). */
const READER_NAMES: Record<string, string> = {
  visa: '4242424242424242',
  visa_debit: '4000056655665556',
  mastercard: '5555555555554444',
  mastercard_debit: '5200828282828210',
  amex: '378282246310005',
  discover: '6011111111111117',
  interac: '4506445006931933',
  charge_declined: '4000000000000002',
  charge_declined_insufficient_funds: '4000000000009995',
  charge_declined_lost_card: '4000000000009987',
  charge_declined_stolen_card: '4000000000009979',
  charge_declined_expired_card: '4000000000000069',
  charge_declined_processing_error: '4000000000000119',
  refund_fail: '4000000000005126',
  refund_pending: '4000000000007726',
};

export function luhnValid(number: string): boolean {
  if (!/^\d{12,19}$/.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = number.charCodeAt(number.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function brandOf(number: string): string {
  if (/^4/.test(number)) return 'visa';
  if (/^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/.test(number)) return 'mastercard';
  if (/^3[47]/.test(number)) return 'amex';
  if (/^(6011|65|64[4-9])/.test(number)) return 'discover';
  if (/^35/.test(number)) return 'jcb';
  if (/^3(0[0-5]|[68])/.test(number)) return 'diners';
  if (/^62/.test(number)) return 'unionpay';
  return 'unknown';
}

/** The card a number stands for, or null when it is not a plausible card number. */
export function cardForNumber(number: string): TestCard | null {
  const digits = number.replace(/[\s-]/g, '');
  const known = CARDS[digits];
  if (known) return known;
  if (!luhnValid(digits)) return null;
  return { number: digits, brand: brandOf(digits), funding: 'credit', country: 'US', outcome: APPROVE };
}

/** `pm_card_visa` (and `tok_visa`) → its card number, or undefined for anything else. */
export function numberForTestToken(token: string): string | undefined {
  return TOKENS[token];
}

export function numberForReaderName(name: string): string | undefined {
  return READER_NAMES[name];
}

/** Brands that support incremental and extended authorization on card_present. */
export const EXTENSIBLE_BRANDS = new Set(['visa', 'mastercard', 'amex', 'discover']);
