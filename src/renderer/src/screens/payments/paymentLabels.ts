import type { Payment, PaymentStatus, Reader } from '../../../../shared/contract/payments';
import type { Money } from '../../../../shared/money';
import { readerStateOf } from '../../readers/serverDrivenDriver';
import type { ReaderState } from '../../readers/readerDriver';

/** Words a clerk reads on the payment screens; one place so the history, panel and receipt agree. */

export const STATUS_LABEL: Record<PaymentStatus, string> = {
  pending: 'Starting',
  requires_action: 'Waiting for the card',
  processing: 'Processing',
  authorized: 'Authorised',
  succeeded: 'Paid',
  failed: 'Failed',
  canceled: 'Cancelled',
};

export const METHOD_LABEL: Record<Payment['method'], string> = {
  card_present: 'Card (reader)',
  card: 'Card',
  cash: 'Cash',
};

const BRANDS: Record<string, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
  diners: 'Diners Club',
  jcb: 'JCB',
  unionpay: 'UnionPay',
  interac: 'Interac',
  eftpos_au: 'eftpos',
};

export function brandLabel(brand: string | null): string {
  if (!brand) return 'Card';
  return BRANDS[brand.toLowerCase()] ?? brand.charAt(0).toUpperCase() + brand.slice(1);
}

/** "Visa •••• 4242", or "" when no card is known yet. */
export function cardText(brand: string | null, last4: string | null): string {
  if (!brand && !last4) return '';
  return last4 ? `${brandLabel(brand)} •••• ${last4}` : brandLabel(brand);
}

/** Still with the reader or the clerk: the Charge panel follows it instead of offering a new charge. */
export function isOpen(p: Payment): boolean {
  return p.status === 'pending' || p.status === 'requires_action' || p.status === 'processing';
}

/** Declined (or timed out, or the card removed) on the reader: another card may be tried on the same payment. */
export function awaitsRetry(p: Payment): boolean {
  if (p.method !== 'card_present') return false;
  return p.status === 'failed' || (p.status === 'requires_action' && p.errorMessage !== null);
}

export const READER_STATE_LABEL: Record<ReaderState, string> = {
  online: 'Ready',
  busy: 'Busy with this payment',
  in_use: 'In use at another till',
  offline: 'Offline',
  connecting: 'Connecting',
};

/** What to do when the reader cannot take this payment; null when it can. */
export function readerProblem(reader: Reader | null): string | null {
  const s = readerStateOf(reader);
  if (!reader) return 'No card reader is paired with this till. Pair one in Settings, or take cash.';
  if (s === 'offline') return 'The card reader is offline. Check its power and network cable, or take cash.';
  if (s === 'in_use') return 'The card reader is in use at another till. Wait for it to finish, or take cash.';
  return null;
}

/**
 * The sentence for the clerk about a payment's last failure. The payments module writes it on
 * each attempt; the payment's own errorMessage can be overwritten by Stripe's raw text when a
 * webhook lands, so the attempt's sentence (with its next step) wins.
 */
export function failureSentence(p: Payment): string | null {
  const last = p.attempts.at(-1);
  if (last && last.outcome !== 'succeeded' && last.message) return last.message;
  return p.errorMessage;
}

/** The history's method column: a deposit hold is not a rental payment, whatever card took it. */
export function methodLabel(p: Payment): string {
  if (p.kind !== 'deposit_hold') return METHOD_LABEL[p.method];
  return p.hold?.topUpOf ? 'Deposit hold (top-up)' : 'Deposit hold';
}

/**
 * What became of a deposit hold, with the amounts main computed: "€300.00 held",
 * "€120.00 captured, €180.00 released", "Released, nothing taken", "Expired at Stripe, nothing taken".
 * Null for a charge (its status label says it).
 */
export function holdOutcome(p: Payment, money: (m: Money) => string): string | null {
  const h = p.hold;
  if (p.kind !== 'deposit_hold' || !h) return null;
  switch (h.state) {
    case 'pending':
      return 'Waiting for the card';
    case 'held':
      return `${money(h.authorized)} held`;
    case 'capturing':
      return `${money(h.authorized)} held, capturing`;
    case 'releasing':
      return `${money(h.authorized)} held, releasing`;
    case 'captured': {
      const captured = `${money(h.captured ?? h.authorized)} captured`;
      return h.released && h.released.amount > 0 ? `${captured}, ${money(h.released)} released` : captured;
    }
    case 'released':
      return `${money(h.released ?? h.authorized)} released, nothing taken`;
    case 'expired':
      return 'Expired at Stripe, nothing taken';
    case 'failed':
      return statusLabel(p);
    case 'canceled':
      return 'Cancelled, nothing held';
  }
}

/** "Declined" rather than "Failed" when the bank refused the card. */
export function statusLabel(p: Payment): string {
  if (p.status === 'failed' && p.attempts.at(-1)?.outcome === 'declined') return 'Declined';
  return STATUS_LABEL[p.status];
}
