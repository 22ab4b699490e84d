import type { StripeGateway } from '../../stripe/stripeGateway';
import { roleRank } from '../../../shared/contract/define';
import { idempotencyKey } from '../../stripe/stripeGateway';
import { CURRENCY_EXPONENTS, formatMoney } from '../../../shared/money';
import type { CurrencyCode } from '../../../shared/money';
import { PosError } from '../../../shared/errors';
import { REFUND_REASON_LABELS } from '../../../shared/contract/refunds';
import type { RefundPolicy, RefundReason, RefundView } from '../../../shared/contract/refunds';
import { appendAudit } from '../../core/audit';
import { badInput, notFound } from '../../core/errors';
import type { CallContext } from '../../core/handlers';
import { newId } from '../../core/ids';
import { dayBounds, localDate } from '../../core/shopTime';
import type { Db } from '../../db/connection';
import type { Outbox } from '../../outbox/outbox';
import { refundableOf } from './refundable';
import type { PaymentRow, RefundListRow, RefundsRepo } from './refundsRepo';
import { reconcilePayment } from './stripeRefundSync';

export const REFUND_KIND = 'stripe.refund.create';

export type Approver = { verifyPin(staffId: string, pin: string): Promise<{ id: string; name: string; role: 'clerk' | 'manager' }> };

export type RefundsDeps = {
  db: Db;
  installId: string;
  now: () => Date;
  repo: RefundsRepo;
  outbox: Outbox;
  staff: Approver;
  timeZone: () => string;
  locale: () => string;
  client: () => StripeGateway | null;
  onChange: (ids: string[]) => void;
};

export type CreateInput = {
  paymentId: string;
  amount: number;
  reasonCode: RefundReason;
  reasonText?: string | undefined;
  approvals: { staffId: string; pin: string }[];
  overrideReason?: string | undefined;
};

function show(amount: number, currency: string, locale: string): string {
  return Object.hasOwn(CURRENCY_EXPONENTS, currency) ? formatMoney({ amount, currency: currency as CurrencyCode }, locale) : `${amount} ${currency}`;
}

export function createRefundsService(deps: RefundsDeps) {
  const { db, repo, outbox, installId, now } = deps;

  function view(r: RefundListRow): RefundView {
    const attention = r.ob_status === 'failed';
    return {
      id: r.id,
      paymentId: r.payment_id,
      bookingId: r.booking_id,
      bookingRef: r.booking_ref,
      customerName: r.customer_name,
      amount: r.amount,
      currency: r.currency as CurrencyCode,
      method: r.method,
      reasonCode: r.reason_code as RefundReason,
      reason: r.reason,
      status: r.status,
      stripeRefundId: r.stripe_refund_id,
      cardBrand: r.card_brand,
      cardLast4: r.card_last4,
      attempts: r.ob_attempts ?? 0,
      nextTryAt: r.status === 'queued' && r.ob_status === 'pending' ? r.ob_next : null,
      lastError: r.ob_error ?? r.error_message,
      attentionReason: attention ? r.ob_reason : r.status === 'failed' ? r.error_message : null,
      attentionAction: attention ? r.ob_action : r.status === 'failed' ? 'Stripe could not return the money to the card. Refund the customer another way (cash) and note it.' : null,
      createdAt: r.created_at,
      createdBy: r.created_by_name,
      approvedBy: [r.approver_1, r.approver_2].filter((x): x is string => !!x),
      overrideReason: r.override_reason,
      canCancel: (r.status === 'queued' && r.ob_status === 'pending') || r.ob_status === 'failed',
    };
  }
  const get = (id: string): RefundView => {
    const r = repo.view(id);
    if (!r) throw notFound('That refund');
    return view(r);
  };

  /** Why this payment cannot be refunded at the counter, or null. */
  function blockedReason(p: PaymentRow): string | null {
    if (p.kind === 'deposit_hold' && p.status === 'authorized') {
      return 'This is a deposit hold that was never captured: nothing was taken, so it is released, not refunded. Release it from the booking’s Deposit panel (Release hold), or settle it there at return.';
    }
    if (p.status !== 'succeeded') return 'Only a completed payment can be refunded.';
    if (p.method !== 'cash' && !p.stripe_payment_intent_id) return 'This card payment has no Stripe record yet; it cannot be refunded until it is confirmed.';
    return null;
  }

  async function verifyApprovers(input: CreateInput, ctx: CallContext): Promise<string[]> {
    const ids: string[] = [];
    // A signed-in manager (or admin) counts as one approver.
    if (ctx.role && roleRank(ctx.role) >= roleRank('manager') && ctx.staffId) ids.push(ctx.staffId);
    for (const a of input.approvals) {
      if (ids.includes(a.staffId)) {
        throw new PosError('invalid_input', 'The same manager cannot approve twice. A second, different manager must enter their PIN.', { fields: { approvals: 'Two different managers' } });
      }
      const who = await deps.staff.verifyPin(a.staffId, a.pin);
      if (who.role !== 'manager') {
        throw new PosError('forbidden', `${who.name} is not a manager, so cannot approve a refund.`, { fields: { approvals: 'A manager must approve' } });
      }
      ids.push(who.id);
    }
    return ids;
  }

  /** The checks and the writes in one immediate transaction: 300 calls at once cannot pass a limit together. */
  const write = db.transaction((input: CreateInput, ctx: CallContext, approvers: string[]): string => {
    const p = repo.payment(input.paymentId);
    if (!p) throw notFound('That payment');
    const blocked = blockedReason(p);
    if (blocked) throw badInput('paymentId', blocked);
    const locale = deps.locale();
    const r = refundableOf(p, repo.counted(p.id));
    if (input.amount > r.refundable) {
      const sentence = r.refundable <= 0
        ? 'Nothing is left to refund on this payment: it has been refunded in full (or is being refunded).'
        : `Only ${show(r.refundable, p.currency, locale)} can still be refunded on this payment (${show(r.inProgress, p.currency, locale)} already refunded or on its way).`;
      throw badInput('amount', sentence);
    }
    const policy = repo.policy();
    const need = policy.twoManagersAbove > 0 && input.amount > policy.twoManagersAbove ? 2 : input.amount > policy.pinAbove ? 1 : 0;
    if (approvers.length < need) {
      const sentence = need === 2
        ? `A refund above ${show(policy.twoManagersAbove, p.currency, locale)} needs two different managers to approve.${approvers.length === 1 ? ' One more manager must enter their PIN.' : ''}`
        : `A refund above ${show(policy.pinAbove, p.currency, locale)} needs a manager’s PIN.`;
      throw new PosError('forbidden', sentence, { fields: { approvals: sentence } });
    }
    const at = now();
    const over = overLimits(policy, ctx, input.amount, p.currency, at);
    if (over) {
      if (approvers.length === 0 || !input.overrideReason) {
        const sentence = `${over} A manager can override it with a reason.`;
        throw new PosError('forbidden', sentence, { fields: { overrideReason: sentence } });
      }
    }
    const id = newId(at.getTime());
    const cash = p.method === 'cash';
    let shiftId: string | null = null;
    if (cash) {
      const shift = repo.openShift(installId);
      if (!shift) throw badInput('paymentId', 'No shift is open at this till, so there is no drawer to take the cash from. Open a shift first.');
      if (repo.drawer(shift.id) < input.amount) throw badInput('amount', 'There is not enough cash in the drawer for this refund.');
      shiftId = shift.id;
    }
    const reason = input.reasonCode === 'other' ? (input.reasonText ?? '').trim() : REFUND_REASON_LABELS[input.reasonCode] + (input.reasonText ? `: ${input.reasonText.trim()}` : '');
    if (!reason) throw badInput('reasonText', 'Say in a few words why the money goes back.');
    const iso = at.toISOString();
    repo.insert({
      id,
      payment_id: p.id,
      booking_id: p.booking_id,
      amount: input.amount,
      currency: p.currency,
      method: cash ? 'cash' : 'card',
      reason_code: input.reasonCode,
      reason: reason.slice(0, 500),
      status: cash ? 'succeeded' : 'queued',
      idempotency_key: idempotencyKey(id, 'refund'),
      stripe_refund_id: null,
      shift_id: shiftId,
      approved_by: approvers[0] ?? null,
      approved_by_2: approvers[1] ?? null,
      override_reason: over ? (input.overrideReason ?? null) : null,
      created_by: ctx.staffId,
      install_id: installId,
      at: iso,
    });
    if (cash && shiftId) {
      repo.cashOut({ id: newId(at.getTime()), shift_id: shiftId, amount: -input.amount, currency: p.currency, payment_id: p.id, refund_id: id, reason: reason.slice(0, 500), created_by: ctx.staffId, install_id: installId, at: iso });
    } else {
      outbox.enqueue({
        kind: REFUND_KIND,
        entityType: 'refund',
        entityId: id,
        idempotencyKey: idempotencyKey(id, 'refund'),
        payload: {
          refundId: id,
          paymentIntentId: p.stripe_payment_intent_id,
          amount: input.amount,
          reason: input.reasonCode === 'duplicate' ? 'duplicate' : 'requested_by_customer',
          metadata: { refund_id: id, booking_id: p.booking_id, install_id: installId },
        },
      });
    }
    const actor = { actorId: ctx.staffId, actorRole: ctx.role };
    appendAudit(db, installId, { ...actor, action: 'refund.created', entityType: 'refund', entityId: id, after: { paymentId: p.id, amount: input.amount, currency: p.currency, method: cash ? 'cash' : 'card', reasonCode: input.reasonCode, approvers } }, at);
    if (over) appendAudit(db, installId, { ...actor, action: 'refund.limit_override', entityType: 'refund', entityId: id, after: { limit: over, reason: input.overrideReason, approvers } }, at);
    return id;
  });

  function overLimits(policy: RefundPolicy, ctx: CallContext, amount: number, currency: string, at: Date): string | null {
    const locale = deps.locale();
    if (policy.perStaffPerHour > 0 && ctx.staffId) {
      const n = repo.staffLastHour(ctx.staffId, new Date(at.getTime() - 3600_000).toISOString());
      if (n >= policy.perStaffPerHour) return `You have made ${n} refunds in the last hour, the most allowed.`;
    }
    const day = dayBounds(localDate(at.getTime(), deps.timeZone()), deps.timeZone());
    if (policy.tillDailyCap > 0 && repo.tillDay(installId, day.start, day.end) + amount > policy.tillDailyCap) {
      return `This would take today’s refunds at this till over ${show(policy.tillDailyCap, currency, locale)}.`;
    }
    if (policy.shopDailyCap > 0 && repo.shopDay(day.start, day.end) + amount > policy.shopDailyCap) {
      return `This would take today’s refunds in the shop over ${show(policy.shopDailyCap, currency, locale)}.`;
    }
    return null;
  }

  return {
    get,
    view,
    async create(input: CreateInput, ctx: CallContext): Promise<RefundView> {
      if (!ctx.staffId) throw new PosError('not_signed_in', 'Sign in to make a refund.');
      if (input.reasonCode === 'other' && !input.reasonText?.trim()) throw badInput('reasonText', 'Say in a few words why the money goes back.');
      const p = repo.payment(input.paymentId);
      if (!p) throw notFound('That payment');
      const blocked = blockedReason(p);
      if (blocked) throw badInput('paymentId', blocked);
      const approvers = await verifyApprovers(input, ctx);
      const id = write.immediate(input, ctx, approvers);
      deps.onChange([id]);
      return get(id);
    },
    cancel(refundId: string, ctx: CallContext): RefundView {
      const r = repo.get(refundId);
      if (!r) throw notFound('That refund');
      if (r.status !== 'queued' && r.status !== 'failed') throw new PosError('conflict', r.status === 'sending' ? 'This refund is being sent to Stripe right now, so it can no longer be cancelled.' : 'Only a refund still waiting in the queue can be cancelled.');
      const out = outbox.cancel('refund', refundId);
      if (out !== 'canceled') throw new PosError('conflict', out === 'sending' ? 'This refund is being sent to Stripe right now, so it can no longer be cancelled.' : 'This refund was already sent to Stripe, so it can no longer be cancelled.');
      appendAudit(db, installId, { actorId: ctx.staffId, actorRole: ctx.role, action: 'refund.canceled', entityType: 'refund', entityId: refundId, before: { status: r.status }, after: { status: 'canceled' } }, now());
      deps.onChange([refundId]);
      return get(refundId);
    },
    retry(refundId: string, ctx: CallContext): RefundView {
      if (!outbox.retry('refund', refundId)) throw new PosError('conflict', 'Only a refund on the needs-attention list can be sent again.');
      appendAudit(db, installId, { actorId: ctx.staffId, actorRole: ctx.role, action: 'refund.retried', entityType: 'refund', entityId: refundId }, now());
      deps.onChange([refundId]);
      return get(refundId);
    },
    list: (filter: 'open' | 'attention' | 'all', limit: number) => repo.list(filter, limit).map(view),
    options(bookingId: string) {
      const payments = repo.paymentsOfBooking(bookingId).map((p) => {
        const r = refundableOf(p, repo.counted(p.id));
        return {
          paymentId: p.id,
          method: p.method,
          kind: p.kind,
          status: p.status,
          currency: p.currency as CurrencyCode,
          paid: r.paid,
          refunded: repo.settled(p.id),
          inProgress: r.inProgress - repo.settled(p.id),
          refundable: Math.max(0, r.refundable),
          cardBrand: p.card_brand,
          cardLast4: p.card_last4,
          createdAt: p.created_at,
          blocked: blockedReason(p) ?? (r.refundable <= 0 ? 'Refunded in full.' : null),
        };
      });
      return { payments, policy: repo.policy(), managers: repo.managers(), refunds: repo.ofBooking(bookingId).map(view) };
    },
    policy: () => repo.policy(),
    setPolicy(p: RefundPolicy, ctx: CallContext): RefundPolicy {
      if (p.twoManagersAbove > 0 && p.twoManagersAbove < p.pinAbove) throw badInput('twoManagersAbove', 'The two-manager amount must be at least the one-manager amount.');
      db.transaction(() => {
        const before = repo.policy();
        repo.setPolicy(p, ctx.staffId, now().toISOString());
        appendAudit(db, installId, { actorId: ctx.staffId, actorRole: ctx.role, action: 'refunds.policy_changed', entityType: 'settings', entityId: 'refund_policy', before, after: p }, now());
      })();
      return repo.policy();
    },
    /** Learns what Stripe holds for a payment (another till, the Dashboard); returns refunds touched. */
    async reconcile(paymentId: string): Promise<string[]> {
      const p = repo.payment(paymentId);
      const client = deps.client();
      if (!p?.stripe_payment_intent_id || !client) return [];
      const ids = await reconcilePayment({ db, installId, repo, now }, client, p.stripe_payment_intent_id);
      if (ids.length) deps.onChange(ids);
      return ids;
    },
  };
}
export type RefundsService = ReturnType<typeof createRefundsService>;
