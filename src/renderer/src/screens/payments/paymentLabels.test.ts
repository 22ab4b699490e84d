import { describe, expect, it } from 'vitest';
import type { Payment, Reader } from '../../../../shared/contract/payments';
import { awaitsRetry, cardText, failureSentence, holdOutcome, methodLabel, readerProblem, statusLabel } from './paymentLabels';

const p: Payment = {
  id: '01J00000000000000000000000',
  bookingId: '01J00000000000000000000001',
  kind: 'charge',
  method: 'card_present',
  status: 'failed',
  amount: { amount: 4200, currency: 'EUR' },
  tendered: null,
  change: null,
  cardBrand: 'visa',
  cardLast4: '9995',
  authCode: null,
  stripePaymentIntentId: 'pi_1',
  stripeChargeId: null,
  fee: null,
  net: null,
  errorCode: 'insufficient_funds',
  errorMessage: 'Your card has insufficient funds.',
  readerId: 'tmr_1',
  thisTill: true,
  attempts: [{ at: '2026-11-30T10:00:00Z', outcome: 'declined', code: 'insufficient_funds', message: 'The card was declined: not enough funds. Ask for another card or take cash.', cardBrand: 'visa', cardLast4: '9995' }],
  hold: null,
  staffName: 'Demo clerk',
  createdAt: '2026-11-30T10:00:00Z',
  updatedAt: '2026-11-30T10:00:00Z',
};

describe('payment words for the clerk', () => {
  it('prefers the attempt’s sentence (with its next step) over Stripe’s raw message', () => {
    expect(failureSentence(p)).toBe('The card was declined: not enough funds. Ask for another card or take cash.');
    expect(failureSentence({ ...p, attempts: [] })).toBe('Your card has insufficient funds.');
    expect(failureSentence({ ...p, status: 'succeeded', errorMessage: null, attempts: [{ ...p.attempts[0]!, outcome: 'succeeded', message: null }] })).toBeNull();
  });

  it('calls a refused card declined, and offers another card only on a reader payment', () => {
    expect(statusLabel(p)).toBe('Declined');
    expect(statusLabel({ ...p, attempts: [{ ...p.attempts[0]!, outcome: 'timed_out' }] })).toBe('Failed');
    expect(awaitsRetry(p)).toBe(true);
    expect(awaitsRetry({ ...p, method: 'cash' })).toBe(false);
    expect(awaitsRetry({ ...p, status: 'succeeded' })).toBe(false);
    expect(awaitsRetry({ ...p, status: 'requires_action', errorMessage: null })).toBe(false);
  });

  it('names the card, or nothing when none was read', () => {
    expect(cardText('visa', '4242')).toBe('Visa •••• 4242');
    expect(cardText('amex', null)).toBe('American Express');
    expect(cardText(null, null)).toBe('');
  });

  it('says what to do when the reader cannot take the payment', () => {
    const r: Reader = { id: 'tmr_1', label: 'Counter', deviceType: 'x', status: 'online', action: null, selected: true };
    expect(readerProblem(r)).toBeNull();
    expect(readerProblem(null)).toMatch(/No card reader.*take cash/);
    expect(readerProblem({ ...r, status: 'offline' })).toMatch(/offline.*take cash/);
    expect(readerProblem({ ...r, status: 'busy', action: { type: 'process_payment_intent', status: 'in_progress', paymentId: null } })).toMatch(/another till/);
  });

  it('labels a deposit hold as a hold, with what was held, captured and released (never "Card (reader)")', () => {
    const eur = (amount: number) => ({ amount, currency: 'EUR' as const });
    const show = (m: { amount: number }) => `€${(m.amount / 100).toFixed(2)}`;
    const hold = { ...p, kind: 'deposit_hold' as const, status: 'authorized' as const, attempts: [], amount: eur(30_000), hold: { state: 'held' as const, authorized: eur(30_000), captured: null, released: null, topUpOf: null } };
    expect(methodLabel(p)).toBe('Card (reader)');
    expect(holdOutcome(p, show)).toBeNull();
    expect(methodLabel(hold)).toBe('Deposit hold');
    expect(holdOutcome(hold, show)).toBe('€300.00 held');
    expect(holdOutcome({ ...hold, status: 'succeeded', hold: { ...hold.hold, state: 'captured', captured: eur(4_250), released: eur(25_750) } }, show)).toBe('€42.50 captured, €257.50 released');
    expect(holdOutcome({ ...hold, status: 'succeeded', hold: { ...hold.hold, state: 'captured', captured: eur(30_000), released: eur(0) } }, show)).toBe('€300.00 captured');
    expect(holdOutcome({ ...hold, status: 'canceled', hold: { ...hold.hold, state: 'released', released: eur(30_000) } }, show)).toBe('€300.00 released, nothing taken');
    expect(holdOutcome({ ...hold, status: 'canceled', hold: { ...hold.hold, state: 'expired', released: eur(30_000) } }, show)).toBe('Expired at Stripe, nothing taken');
    expect(methodLabel({ ...hold, hold: { ...hold.hold, topUpOf: '01J00000000000000000000009' } })).toBe('Deposit hold (top-up)');
  });
});
