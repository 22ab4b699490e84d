import { declineSentence } from '../../stripe/stripeErrors';
import { audit } from './context';
import type { PaymentsKit } from './context';
import { FINAL_STATUSES, IN_FLIGHT } from './paymentsRepo';
import type { PaymentPatch, PaymentRow } from './paymentsRepo';

/**
 * What Stripe's events (through the relay, or backfill) do to payment rows. Called by the sync
 * applier inside its transaction, so everything here is synchronous SQL.
 * - A payment this till is driving right now (a reader wait or a settle in progress) is not
 *   written here: the checkout retrieves the PaymentIntent itself and records the clerk's
 *   sentence and the attempt; the event only wakes it up.
 * - Anything else (another till, the Dashboard, a payment this till forgot after a crash) is
 *   brought up to Stripe's status. Final states never move back: events arrive out of order.
 */

type Obj = Record<string, unknown>;
const IN_FLIGHT_SET = new Set<string>(IN_FLIGHT);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const idOf = (v: unknown): string | null => str(v) ?? (v && typeof v === 'object' ? str((v as Obj).id) : null);

function statusFor(piStatus: string): PaymentRow['status'] | null {
  switch (piStatus) {
    case 'succeeded':
      return 'succeeded';
    case 'requires_capture':
      return 'authorized';
    case 'canceled':
      return 'canceled';
    case 'processing':
      return 'processing';
    default:
      return null;
  }
}

export function createPaymentEventEffects(kit: PaymentsKit, live: { busy(paymentId: string): boolean; nudge(readerId: string): void }) {
  const { repo } = kit;

  function find(pi: string | null, charge: string | null): PaymentRow | undefined {
    return (pi ? repo.byPaymentIntent(pi) : undefined) ?? (charge ? repo.byCharge(charge) : undefined);
  }

  function patch(r: PaymentRow, p: PaymentPatch, action: string, via: string): void {
    if (!repo.update(r.id, r.version, p, kit.now().toISOString())) return;
    audit(kit, null, action, 'payment', r.id, { status: r.status }, { ...p, via });
  }

  function paymentIntent(pi: Obj, type: string): string | null {
    const r = find(str(pi.id), idOf(pi.latest_charge));
    if (!r) return null;
    if (live.busy(r.id)) {
      if (r.reader_id) live.nudge(r.reader_id);
      return r.id;
    }
    const status = type === 'payment_intent.payment_failed' ? 'failed' : statusFor(str(pi.status) ?? '');
    if (!status || (FINAL_STATUSES.has(r.status) && r.status !== 'failed')) return r.id;
    // A decline is not final at Stripe (the PaymentIntent waits for another card), and the event
    // may be a late one from an earlier attempt while a retry is on the reader. A payment this
    // till started and has not finished is the checkout's: it (or the reconcile job, after a
    // restart) retrieves the PaymentIntent and lets Stripe's status decide. Writing `failed` here
    // would free the balance while the reader may still charge the card.
    if (status === 'failed' && r.install_id === kit.installId && IN_FLIGHT_SET.has(r.status)) {
      if (r.reader_id) live.nudge(r.reader_id);
      return r.id;
    }
    if (status === r.status && type !== 'payment_intent.payment_failed') return r.id;
    if (status === 'failed' && r.status === 'authorized') return r.id;
    const err = (pi.last_payment_error ?? null) as Obj | null;
    const received = num(pi.amount_received);
    patch(
      r,
      {
        status,
        ...(status === 'succeeded' && received !== null && r.amount_captured === null ? { amount_captured: Math.min(received, r.amount) } : {}),
        ...(r.stripe_charge_id ? {} : { stripe_charge_id: idOf(pi.latest_charge) }),
        // The clerk's sentence, never Stripe's raw text.
        error_code: err ? (str(err.decline_code) ?? str(err.code)) : null,
        error_message: err ? declineSentence(str(err.decline_code) ?? str(err.code)) : null,
      },
      'payment.stripe_update',
      type,
    );
    return r.id;
  }

  function charge(c: Obj, type: string): string | null {
    const r = find(idOf(c.payment_intent), str(c.id));
    if (!r) return null;
    if (live.busy(r.id)) return r.id;
    const details = (c.payment_method_details ?? {}) as Obj;
    const card = (details.card_present ?? details.card) as Obj | undefined;
    const receipt = (card?.receipt ?? null) as Obj | null;
    const p: PaymentPatch = {};
    if (!r.stripe_charge_id && str(c.id)) p.stripe_charge_id = str(c.id);
    if (!r.card_brand && card && str(card.brand)) p.card_brand = str(card.brand);
    if (!r.card_last4 && card && str(card.last4)) p.card_last4 = str(card.last4);
    if (!r.auth_code && (str(receipt?.authorization_code) ?? str(card?.authorization_code))) p.auth_code = str(receipt?.authorization_code) ?? str(card?.authorization_code);
    if (Object.keys(p).length > 0) patch(r, p, 'payment.stripe_details', type);
    return r.id;
  }

  /** A reader finished an action: wake the checkout waiting on it (the checkout records the outcome). */
  function readerAction(reader: Obj): string | null {
    const readerId = str(reader.id);
    if (readerId) live.nudge(readerId);
    const action = (reader.action ?? null) as Obj | null;
    const ppi = (action?.process_payment_intent ?? null) as Obj | null;
    return find(idOf(ppi?.payment_intent), null)?.id ?? null;
  }

  /**
   * The applier's hook for payment_intent.*, charge.* (not disputes or refunds) and reader
   * actions: the payment id it touched, null when none matched, undefined when the event is not
   * a payment's (the applier handles it).
   */
  return function apply(type: string, obj: Obj): string | null | undefined {
    if (type.startsWith('payment_intent.')) return paymentIntent(obj, type);
    if (type.startsWith('terminal.reader.action_')) return readerAction(obj);
    if (type.startsWith('charge.') && !type.startsWith('charge.dispute.') && type !== 'charge.refunded' && !type.startsWith('charge.refund.')) return charge(obj, type);
    return undefined;
  };
}
