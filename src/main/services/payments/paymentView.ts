import type { BookingDetail } from '../../../shared/contract/bookings';
import type { Payment } from '../../../shared/contract/payments';
import { PosError } from '../../../shared/errors';
import { formatMoney } from '../../../shared/money';
import { badInput } from '../../core/errors';
import { available, money, refuse } from './context';
import type { Ctx, PaymentsKit } from './context';
import type { PaymentRow } from './paymentsRepo';

export function toPayment(kit: PaymentsKit, r: PaymentRow): Payment {
  const m = (n: number | null) => (n === null ? null : money(n, r.currency));
  return {
    id: r.id,
    bookingId: r.booking_id,
    kind: r.kind,
    method: r.method,
    status: r.status,
    amount: money(r.amount, r.currency),
    tendered: m(r.tendered),
    change: m(r.change_given),
    cardBrand: r.card_brand,
    cardLast4: r.card_last4,
    authCode: r.auth_code,
    stripePaymentIntentId: r.stripe_payment_intent_id,
    stripeChargeId: r.stripe_charge_id,
    fee: m(r.fee),
    net: m(r.net),
    errorCode: r.error_code,
    errorMessage: r.error_message,
    readerId: r.reader_id,
    thisTill: r.install_id === kit.installId,
    attempts: kit.repo.attemptsOf(r.id).map((a) => ({
      at: a.created_at,
      outcome: a.outcome,
      code: a.code,
      message: a.message,
      cardBrand: a.card_brand,
      cardLast4: a.card_last4,
    })),
    hold: r.kind === 'deposit_hold' ? (kit.holdOf?.(r.id) ?? null) : null,
    staffName: kit.repo.staffName(r.created_by),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const PAYABLE = new Set(['reserved', 'checked_out', 'returned']);
const STATUS_WORDS: Record<string, string> = { closed: 'closed', cancelled: 'cancelled', no_show: 'marked a no-show' };

/** Re-checked inside a payment's write after an await: the booking may have been closed or cancelled meanwhile. */
export function assertStillPayable(b: BookingDetail): void {
  if (!PAYABLE.has(b.status)) throw new PosError('conflict', `${b.ref} was ${STATUS_WORDS[b.status] ?? b.status} at the same moment; nothing can be charged on it.`);
}

/**
 * The amount to take: the whole balance still free (owed − paid + refunds − payments in flight),
 * or the part the clerk asked for. Refuses, with an audit row and a sentence, anything else.
 */
export function chooseAmount(kit: PaymentsKit, ctx: Ctx, action: string, b: BookingDetail, requested: number | undefined): number {
  const fmt = (n: number) => formatMoney(money(n, b.total.currency), kit.shop().locale);
  // A cancelled or no-show booking is payable only for the fee it owes.
  if (!PAYABLE.has(b.status) && !((b.status === 'cancelled' || b.status === 'no_show') && b.owed.amount > 0)) {
    refuse(kit, ctx, action, b.id, new PosError('conflict', `${b.ref} is ${STATUS_WORDS[b.status] ?? b.status}; nothing can be charged on it.`));
  }
  const { due, inFlight } = available(kit, b);
  if (requested !== undefined && requested <= 0) {
    refuse(kit, ctx, action, b.id, badInput('amount', requested === 0 ? 'Amount must be more than zero.' : 'Amount cannot be negative.'));
  }
  if (due <= 0) {
    const why = inFlight > 0 ? `A payment of ${fmt(inFlight)} is still in progress on ${b.ref}; finish or cancel it first.` : `Nothing is due on ${b.ref}.`;
    refuse(kit, ctx, action, b.id, new PosError('conflict', why));
  }
  const amount = requested ?? due;
  if (amount > due) {
    const more = inFlight > 0 ? ` (${fmt(inFlight)} is in progress)` : '';
    refuse(kit, ctx, action, b.id, badInput('amount', `${fmt(amount)} is more than the ${fmt(due)} still due${more}. Enter at most ${fmt(due)}.`));
  }
  return amount;
}
