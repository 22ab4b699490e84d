import type { StripeGateway } from '../../stripe/stripeGateway';
import { appendAudit } from '../../core/audit';
import { newId } from '../../core/ids';
import type { Db } from '../../db/connection';
import { listRefunds } from './stripeRefundCalls';
import type { RefundRow, RefundsRepo } from './refundsRepo';

/**
 * Brings local refund rows up to what Stripe knows, idempotently: from the outbox's answer, a
 * look-up, an event through the relay, or a reconcile after another till (or the Dashboard)
 * refunded the same payment. Matching is by Stripe's refund id, then by our own id in
 * `metadata.refund_id` (an event can arrive before the worker commits the answer), and only
 * then is an unknown refund recorded as made elsewhere.
 */
type Obj = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const idOf = (v: unknown): string | null => str(v) ?? (v && typeof v === 'object' ? str((v as Obj).id) : null);

const FINAL = new Set<RefundRow['status']>(['succeeded', 'failed', 'canceled']);

export function localStatus(stripeStatus: string | null): RefundRow['status'] | null {
  switch (stripeStatus) {
    case 'succeeded':
    case 'failed':
    case 'canceled':
    case 'pending':
      return stripeStatus;
    case 'requires_action':
      return 'pending';
    default:
      return null;
  }
}

/** A release of an uncaptured authorization: Stripe records it as a refund, but no money moves. */
export function isRelease(r: Obj): boolean {
  const dd = r.destination_details as Obj | undefined;
  return (dd?.card as Obj | undefined)?.type === 'reversal';
}

export type SyncDeps = { db: Db; installId: string; repo: RefundsRepo; now: () => Date };

/** Stripe's `failure_reason` for a refund, as a sentence for the clerk and the manager. */
const FAILURE_REASONS: Record<string, string> = {
  expired_or_canceled_card: 'the card has expired or was cancelled',
  lost_or_stolen_card: 'the card was reported lost or stolen',
  declined: 'the card’s bank declined it',
  insufficient_funds: 'the Stripe balance was too low to cover it',
  charge_for_pending_refund_disputed: 'the customer disputed the payment',
  merchant_request: 'it was cancelled at the shop’s request',
  unknown: 'the bank gave no reason',
};

export function refundFailureSentence(reason: string | null): string {
  const why = (reason && FAILURE_REASONS[reason]) ?? (reason ? reason.replace(/_/g, ' ') : 'Stripe gave no reason');
  return `Stripe could not return the money: ${why}. Refund the customer another way.`;
}

/** Applies one Stripe refund object; returns the local refund id it touched, or null. Call inside a transaction. */
export function applyStripeRefund(deps: SyncDeps, refund: Obj, via: string): string | null {
  const { repo, db, installId } = deps;
  const stripeId = str(refund.id);
  const status = localStatus(str(refund.status));
  if (!stripeId || !status) return null;
  const at = deps.now().toISOString();
  const ours = str((refund.metadata as Obj | undefined)?.refund_id);
  const known = repo.byStripeId(stripeId) ?? (ours ? repo.get(ours) : undefined);
  if (known) {
    if (known.stripe_refund_id === stripeId && (known.status === status || (FINAL.has(known.status) && known.status !== 'canceled'))) return known.id;
    if (known.stripe_refund_id && known.stripe_refund_id !== stripeId) return null;
    const failure = status === 'failed' ? (str(refund.failure_reason) ?? 'failed') : null;
    repo.setStripe({
      id: known.id,
      status,
      stripeId,
      errorCode: failure,
      errorMessage: failure ? refundFailureSentence(str(refund.failure_reason)) : null,
      at,
    });
    appendAudit(db, installId, { actorId: null, actorRole: 'stripe', action: 'refund.stripe_update', entityType: 'refund', entityId: known.id, before: { status: known.status }, after: { status, stripeRefundId: stripeId, via } }, deps.now());
    if (failure) flagFailed(deps, known.booking_id, stripeId, refund, at);
    return known.id;
  }
  const pi = idOf(refund.payment_intent);
  const payment = pi ? repo.paymentByPi(pi) : undefined;
  const amount = typeof refund.amount === 'number' ? refund.amount : null;
  if (!payment || amount === null || amount <= 0) return null;
  const id = newId(deps.now().getTime());
  const release = isRelease(refund);
  repo.insert({
    id,
    payment_id: payment.id,
    booking_id: payment.booking_id,
    amount,
    currency: (str(refund.currency) ?? payment.currency).toUpperCase(),
    method: release ? 'release' : 'card',
    reason_code: 'other',
    reason: release ? 'Uncaptured part of a hold released' : 'Refunded outside this counter (Dashboard or another till)',
    status,
    idempotency_key: `stripe:${stripeId}`,
    stripe_refund_id: stripeId,
    shift_id: null,
    approved_by: null,
    approved_by_2: null,
    override_reason: null,
    created_by: null,
    install_id: installId,
    at,
  });
  appendAudit(db, installId, { actorId: null, actorRole: 'stripe', action: 'refund.learned_from_stripe', entityType: 'refund', entityId: id, after: { stripeRefundId: stripeId, amount, status, via } }, deps.now());
  if (status === 'failed') flagFailed(deps, payment.booking_id, stripeId, refund, at);
  return id;
}

/** The booking's "Needs a manager" flag for a failed refund, with Stripe's reason; once per Stripe refund. */
function flagFailed(deps: SyncDeps, bookingId: string, stripeId: string, refund: Obj, at: string): void {
  const detail = refundFailureSentence(str(refund.failure_reason));
  if (deps.repo.flagFailed({ id: newId(deps.now().getTime()), bookingId, stripeId, detail, install: deps.installId, at })) {
    appendAudit(deps.db, deps.installId, { actorId: null, actorRole: 'stripe', action: 'booking.flag_refund_failed', entityType: 'booking', entityId: bookingId, after: { stripeId, detail } }, deps.now());
  }
}

/** Lists the PaymentIntent's refunds at Stripe and applies each: the till then agrees with Stripe to the cent. */
export async function reconcilePayment(deps: SyncDeps, client: StripeGateway, paymentIntentId: string): Promise<string[]> {
  const refunds = await listRefunds(client, paymentIntentId);
  return deps.db.transaction(() => refunds.map((r) => applyStripeRefund(deps, r as unknown as Obj, 'reconcile')).filter((x): x is string => x !== null))();
}
