import { describe, expect, it } from 'vitest';
import type { Payment, Reader } from '../../../shared/contract/payments';
import { outcomeOfPayment, readerStateOf } from './serverDrivenDriver';

const base: Payment = {
  id: '01J00000000000000000000000',
  bookingId: '01J00000000000000000000001',
  kind: 'charge',
  method: 'card_present',
  status: 'requires_action',
  amount: { amount: 4200, currency: 'EUR' },
  tendered: null,
  change: null,
  cardBrand: null,
  cardLast4: null,
  authCode: null,
  stripePaymentIntentId: 'pi_1',
  stripeChargeId: null,
  fee: null,
  net: null,
  errorCode: null,
  errorMessage: null,
  readerId: 'tmr_1',
  thisTill: true,
  attempts: [],
  hold: null,
  staffName: 'Demo clerk',
  createdAt: '2026-11-30T10:00:00Z',
  updatedAt: '2026-11-30T10:00:00Z',
};
const at = '2026-11-30T10:01:00Z';

describe('following a payment on a server-driven reader', () => {
  it('keeps waiting while the card is awaited or processing', () => {
    expect(outcomeOfPayment(base)).toBeNull();
    expect(outcomeOfPayment({ ...base, status: 'pending' })).toBeNull();
    expect(outcomeOfPayment({ ...base, status: 'processing' })).toBeNull();
  });

  it('stops at paid, authorised and cancelled', () => {
    expect(outcomeOfPayment({ ...base, status: 'succeeded' })).toEqual({ kind: 'processed', paymentIntentId: 'pi_1' });
    expect(outcomeOfPayment({ ...base, status: 'authorized' })).toEqual({ kind: 'processed', paymentIntentId: 'pi_1' });
    expect(outcomeOfPayment({ ...base, status: 'canceled' })).toEqual({ kind: 'canceled' });
  });

  it('tells a decline (another card may be tried) from a failure', () => {
    const declined = { ...base, status: 'failed' as const, errorCode: 'insufficient_funds', errorMessage: 'Not enough funds. Ask for another card.', attempts: [{ at, outcome: 'declined' as const, code: 'insufficient_funds', message: 'x', cardBrand: 'visa', cardLast4: '9995' }] };
    expect(outcomeOfPayment(declined)).toEqual({ kind: 'declined', code: 'insufficient_funds', declineCode: 'insufficient_funds', message: 'Not enough funds. Ask for another card.' });
    const failed = { ...declined, errorCode: 'timeout', errorMessage: 'The reader timed out.', attempts: [{ ...declined.attempts[0]!, outcome: 'timed_out' as const }] };
    expect(outcomeOfPayment(failed)).toEqual({ kind: 'failed', code: 'timeout', message: 'The reader timed out.' });
  });
});

describe('reader state for the clerk', () => {
  const reader: Reader = { id: 'tmr_1', label: 'Counter', deviceType: 'simulated_wisepos_e', status: 'online', action: null, selected: true };
  it('reads online, offline, busy with our payment and in use at another till', () => {
    expect(readerStateOf(null)).toBe('offline');
    expect(readerStateOf(reader)).toBe('online');
    expect(readerStateOf({ ...reader, status: 'offline' })).toBe('offline');
    expect(readerStateOf({ ...reader, status: 'busy', action: { type: 'process_payment_intent', status: 'in_progress', paymentId: base.id } })).toBe('busy');
    expect(readerStateOf({ ...reader, status: 'busy', action: { type: 'process_payment_intent', status: 'in_progress', paymentId: null } })).toBe('in_use');
    expect(readerStateOf({ ...reader, action: { type: 'process_payment_intent', status: 'failed', paymentId: base.id } })).toBe('online');
  });
});
