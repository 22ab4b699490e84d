import { appendAudit } from '../../core/audit';
import type { Db } from '../../db/connection';
import type { OutboxItem, OutboxKind } from '../../outbox/outbox';
import { findRefundByOurId } from './stripeRefundCalls';
import type { RefundsRepo } from './refundsRepo';
import { applyStripeRefund, reconcilePayment } from './stripeRefundSync';
import { REFUND_KIND } from './refundsService';

type Payload = {
  refundId: string;
  paymentIntentId: string;
  amount: number;
  reason?: 'duplicate' | 'requested_by_customer';
  metadata: Record<string, string>;
};

/** How the outbox sends a queued refund, and what each outcome writes on the refund row. */
export function refundOutboxKind(deps: { db: Db; installId: string; repo: RefundsRepo; now: () => Date; onChange: (ids: string[]) => void }): OutboxKind {
  const { repo, db, installId, now } = deps;
  const sync = { db, installId, repo, now };
  const payload = (item: OutboxItem) => item.payload as Payload;
  const setStatus = (item: OutboxItem, status: 'queued' | 'sending' | 'failed' | 'canceled') => {
    const r = repo.get(item.entityId);
    if (!r || r.status === status) return;
    repo.setStatus(r.id, status, now().toISOString());
  };
  return {
    kind: REFUND_KIND,
    // Stripe already told us (an event before the answer, or a look-up): nothing to send.
    stillWanted: (item) => {
      const r = repo.get(item.entityId);
      return !!r && r.stripe_refund_id === null && (r.status === 'queued' || r.status === 'sending');
    },
    send: (item, gw) => {
      const p = payload(item);
      return gw.refunds.create({ payment_intent: p.paymentIntentId, amount: p.amount, reason: p.reason, metadata: p.metadata }, { idempotencyKey: item.idempotencyKey });
    },
    lookup: (item, client) => findRefundByOurId(client, payload(item).paymentIntentId, payload(item).refundId),
    onSending: (item) => setStatus(item, 'sending'),
    onDone: (item, result) => {
      applyStripeRefund(sync, result as Record<string, unknown>, 'outbox');
      queueMicrotask(() => deps.onChange([item.entityId]));
    },
    onRetry: (item) => {
      setStatus(item, 'queued');
      queueMicrotask(() => deps.onChange([item.entityId]));
    },
    onFailed: (item, attention) => {
      const r = repo.get(item.entityId);
      if (!r) return;
      repo.setStripe({ id: r.id, status: 'failed', stripeId: null, errorCode: attention.code, errorMessage: attention.reason, at: now().toISOString() });
      appendAudit(db, installId, { actorId: null, actorRole: 'outbox', action: 'refund.send_failed', entityType: 'refund', entityId: r.id, after: attention }, now());
      queueMicrotask(() => deps.onChange([item.entityId]));
    },
    onCanceled: (item) => setStatus(item, 'canceled'),
    // Refused for the amount: another till or the Dashboard refunded it. Learn those refunds.
    afterFailed: async (item, client) => {
      const ids = await reconcilePayment(sync, client, payload(item).paymentIntentId);
      if (ids.length) deps.onChange(ids);
    },
  };
}
