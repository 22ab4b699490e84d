import { ulid } from 'ulid';
import { z } from 'zod';
import { CURRENCY_EXPONENTS, formatMoney } from '../../../shared/money';
import type { CurrencyCode } from '../../../shared/money';
import type { Db } from '../../db/connection';
import { appendAudit } from '../../core/audit';
import { aboutErasedCustomer, withoutPayer } from './forgetPersonal';

/**
 * Applies Stripe events from the relay (or backfill) to the till's own rows, idempotently: each
 * event id is recorded once in `stripe_events`, and the effects, the record and the stream cursor
 * commit in one transaction. Stripe stays the source of truth; this only brings local rows up to
 * what Stripe already knows, so a payment or refund started on another till (or the Dashboard)
 * shows here too.
 */

const stripeObject = z.looseObject({ id: z.string(), object: z.string() });
export const stripeEventSchema = z.looseObject({
  id: z.string().startsWith('evt_'),
  object: z.literal('event'),
  type: z.string().min(1),
  created: z.number().int(),
  livemode: z.boolean(),
  data: z.looseObject({ object: stripeObject }),
});
export type StripeEventEnvelope = z.infer<typeof stripeEventSchema>;

export type RelayDelivery = { seq: number; event: unknown };
export type ApplyOutcome = {
  applied: number;
  duplicates: number;
  rejected: number;
  lastSeq: number;
  /** Bookings whose payments, refunds or flags changed, so open screens can refresh. */
  bookingIds: string[];
};

type Obj = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const idOf = (v: unknown): string | null => str(v) ?? (v && typeof v === 'object' ? str((v as Obj).id) : null);

type PaymentRow = { id: string; booking_id: string; status: string; amount: number; amount_captured: number | null; currency: string };

/** Local payment status for a PaymentIntent status; null when the PI state says nothing new. */
function paymentStatusFor(piStatus: string): string | null {
  switch (piStatus) {
    case 'succeeded':
      return 'succeeded';
    case 'requires_capture':
      return 'authorized';
    case 'canceled':
      return 'canceled';
    case 'processing':
      return 'processing';
    case 'requires_action':
      return 'requires_action';
    default:
      return null;
  }
}

// Final states never move back: Stripe delivers out of order, and an old "processing" event
// must not undo a later success.
const FINAL = new Set(['succeeded', 'canceled']);

function refundStatusFor(s: string): string | null {
  return ['pending', 'succeeded', 'failed', 'canceled'].includes(s) ? s : s === 'requires_action' ? 'pending' : null;
}

export type StripeEventApplier = {
  /** Applies a batch in one transaction and advances the cursor of `stream` to `upToSeq` (default: the batch's last seq). */
  apply(stream: string, batch: readonly RelayDelivery[], upToSeq?: number, source?: 'relay' | 'backfill' | 'poll'): ApplyOutcome;
  cursor(stream: string): number;
};

/** Capabilities that apply their own Stripe objects (refunds: matched by our id in metadata, releases kept apart). */
export type ApplierHooks = {
  refund?: (refund: Record<string, unknown>, via: string) => string | null;
  /** Payments: payment_intent.*, charge.* and reader actions; returns the payment touched, undefined when not its event. */
  payment?: (type: string, obj: Record<string, unknown>) => string | null | undefined;
};

export function createStripeEventApplier(db: Db, installId: string, now: () => Date = () => new Date(), hooks: ApplierHooks = {}): StripeEventApplier {
  const q = {
    seen: db.prepare('SELECT 1 FROM stripe_events WHERE id = ?'),
    record: db.prepare(
      `INSERT INTO stripe_events (id, type, api_created, livemode, payload_json, source, received_at, processed_at, process_error, install_id, created_at, updated_at)
       VALUES (@id, @type, @created, @livemode, @payload, @source, @at, @at, @error, @install, @at, @at)`,
    ),
    cursor: db.prepare('SELECT last_seq FROM sync_cursor WHERE stream = ?').pluck(),
    setCursor: db.prepare(
      `INSERT INTO sync_cursor (stream, last_seq, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (stream) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq), updated_at = excluded.updated_at`,
    ),
    paymentByPi: db.prepare('SELECT id, booking_id, status, amount, amount_captured, currency FROM payments WHERE stripe_payment_intent_id = ?'),
    paymentByCharge: db.prepare('SELECT id, booking_id, status, amount, amount_captured, currency FROM payments WHERE stripe_charge_id = ?'),
    updatePayment: db.prepare(
      `UPDATE payments SET status = @status, amount_captured = coalesce(amount_captured, @captured), stripe_charge_id = coalesce(stripe_charge_id, @charge),
         card_brand = coalesce(card_brand, @brand), card_last4 = coalesce(card_last4, @last4), error_code = @errorCode, error_message = @errorMessage,
         version = version + 1, updated_at = @at WHERE id = @id`,
    ),
    refundByStripe: db.prepare('SELECT id, status FROM refunds WHERE stripe_refund_id = ?'),
    updateRefund: db.prepare('UPDATE refunds SET status = @status, error_code = @errorCode, version = version + 1, updated_at = @at WHERE id = @id'),
    insertRefund: db.prepare(
      `INSERT INTO refunds (id, payment_id, booking_id, amount, currency, reason, status, idempotency_key, stripe_refund_id, install_id, created_at, updated_at)
       VALUES (@id, @paymentId, @bookingId, @amount, @currency, @reason, @status, @key, @stripeId, @install, @at, @at)`,
    ),
    flag: db.prepare(
      `INSERT INTO booking_flags (id, booking_id, kind, stripe_id, detail, install_id, created_at, updated_at)
       VALUES (@id, @bookingId, @kind, @stripeId, @detail, @install, @at, @at) ON CONFLICT (kind, stripe_id) DO NOTHING`,
    ),
  };

  let touched = new Set<string>();
  const bookingOf = db.prepare('SELECT booking_id FROM payments WHERE id = ? UNION SELECT booking_id FROM refunds WHERE id = ? UNION SELECT id FROM bookings WHERE id = ?').pluck();

  function audit(action: string, entityType: string, entityId: string, before: unknown, after: unknown): void {
    const booking = bookingOf.get(entityId, entityId, entityId) as string | undefined;
    if (booking) touched.add(booking);
    appendAudit(db, installId, { actorId: null, actorRole: 'stripe', action, entityType, entityId, before, after }, now());
  }

  function findPayment(pi: string | null, charge: string | null): PaymentRow | undefined {
    return ((pi && q.paymentByPi.get(pi)) || (charge && q.paymentByCharge.get(charge)) || undefined) as PaymentRow | undefined;
  }

  function applyPaymentIntent(pi: Obj, type: string): void {
    const payment = findPayment(str(pi.id), idOf(pi.latest_charge));
    if (!payment) return;
    let status = type === 'payment_intent.payment_failed' ? 'failed' : paymentStatusFor(str(pi.status) ?? '');
    if (!status || FINAL.has(payment.status)) return;
    if (status === payment.status && type !== 'payment_intent.payment_failed') return;
    const err = (pi.last_payment_error ?? null) as Obj | null;
    const received = num(pi.amount_received);
    const captured = status === 'succeeded' && received !== null ? Math.min(received, payment.amount) : null;
    if (type === 'payment_intent.payment_failed' && payment.status === 'authorized') status = 'authorized';
    const patch = {
      id: payment.id,
      status,
      captured,
      charge: idOf(pi.latest_charge),
      brand: null,
      last4: null,
      errorCode: err ? (str(err.decline_code) ?? str(err.code)) : null,
      errorMessage: err ? str(err.message) : null,
      at: now().toISOString(),
    };
    q.updatePayment.run(patch);
    audit('payment.stripe_update', 'payment', payment.id, { status: payment.status }, { status, amountCaptured: captured, via: type });
  }

  function applyCharge(charge: Obj, type: string): void {
    const payment = findPayment(idOf(charge.payment_intent), str(charge.id));
    if (!payment) return;
    const card = ((charge.payment_method_details as Obj | undefined)?.card_present ?? (charge.payment_method_details as Obj | undefined)?.card) as Obj | undefined;
    q.updatePayment.run({
      id: payment.id,
      status: payment.status,
      captured: null,
      charge: str(charge.id),
      brand: card ? str(card.brand) : null,
      last4: card ? str(card.last4) : null,
      errorCode: null,
      errorMessage: null,
      at: now().toISOString(),
    });
    if (type === 'charge.refunded') {
      const refunds = ((charge.refunds as Obj | undefined)?.data ?? []) as Obj[];
      for (const r of refunds) applyRefund({ ...r, charge: charge.id, payment_intent: charge.payment_intent });
    }
  }

  function applyRefund(refund: Obj): void {
    if (hooks.refund) {
      const id = hooks.refund(refund, 'relay');
      const booking = id ? (bookingOf.get(id, id, id) as string | undefined) : undefined;
      if (booking) touched.add(booking);
      if (id && str(refund.status) === 'failed') flagFor(id, 'refund_failed', str(refund.id) ?? id, str(refund.failure_reason) ?? 'Stripe could not complete this refund.');
      return;
    }
    const stripeId = str(refund.id);
    const status = refundStatusFor(str(refund.status) ?? '');
    if (!stripeId || !status) return;
    const known = q.refundByStripe.get(stripeId) as { id: string; status: string } | undefined;
    const at = now().toISOString();
    if (known) {
      if (known.status === status || FINAL.has(known.status) || known.status === 'failed') return;
      q.updateRefund.run({ id: known.id, status, errorCode: str(refund.failure_reason), at });
      audit('refund.stripe_update', 'refund', known.id, { status: known.status }, { status });
      if (status === 'failed') flagFor(known.id, 'refund_failed', stripeId, str(refund.failure_reason) ?? 'Stripe could not complete this refund.');
      return;
    }
    // A refund this till did not start (another till, the Dashboard): record it so the balance is right.
    const payment = findPayment(idOf(refund.payment_intent), idOf(refund.charge));
    const amount = num(refund.amount);
    if (!payment || amount === null || amount <= 0) return;
    const id = ulid();
    q.insertRefund.run({
      id,
      paymentId: payment.id,
      bookingId: payment.booking_id,
      amount,
      currency: (str(refund.currency) ?? payment.currency).toUpperCase(),
      reason: (str(refund.reason) ?? 'Refunded outside this counter').slice(0, 500) || 'Refunded outside this counter',
      status,
      key: `stripe:${stripeId}`,
      stripeId,
      install: installId,
      at,
    });
    audit('refund.learned_from_stripe', 'refund', id, null, { stripeRefundId: stripeId, amount, status, paymentId: payment.id });
  }

  function flagFor(refundOrPaymentId: string, kind: 'refund_failed' | 'dispute' | 'payment_failed', stripeId: string, detail: string): void {
    const bookingId = bookingOf.get(refundOrPaymentId, refundOrPaymentId, refundOrPaymentId) as string | undefined;
    if (!bookingId) return;
    const info = q.flag.run({ id: ulid(), bookingId, kind, stripeId, detail: detail.slice(0, 1000), install: installId, at: now().toISOString() });
    if (info.changes > 0) audit(`booking.flag_${kind}`, 'booking', bookingId, null, { stripeId, detail });
  }

  function applyDispute(dispute: Obj): void {
    const payment = findPayment(idOf(dispute.payment_intent), idOf(dispute.charge));
    if (!payment) return;
    const amount = num(dispute.amount) ?? payment.amount;
    const currency = (str(dispute.currency) ?? payment.currency).toUpperCase();
    const shown = Object.hasOwn(CURRENCY_EXPONENTS, currency) ? formatMoney({ amount, currency: currency as CurrencyCode }) : `${amount} ${currency}`;
    const reason = (str(dispute.reason) ?? 'no reason given').replace(/_/g, ' ');
    flagFor(payment.id, 'dispute', str(dispute.id) ?? 'dp_unknown', `The customer disputed ${shown} with their bank (${reason}).`);
  }

  function applyReaderAction(reader: Obj, type: string): void {
    const action = (reader.action ?? null) as Obj | null;
    const ppi = (action?.process_payment_intent ?? null) as Obj | null;
    const payment = findPayment(idOf(ppi?.payment_intent), null);
    if (!payment || FINAL.has(payment.status) || type !== 'terminal.reader.action_failed') return;
    q.updatePayment.run({
      id: payment.id,
      status: payment.status === 'authorized' ? 'authorized' : 'failed',
      captured: null,
      charge: null,
      brand: null,
      last4: null,
      errorCode: str(action?.failure_code),
      errorMessage: str(action?.failure_message),
      at: now().toISOString(),
    });
    audit('payment.reader_failed', 'payment', payment.id, { status: payment.status }, { failureCode: str(action?.failure_code) });
  }

  function effects(e: StripeEventEnvelope): void {
    const obj = e.data.object as Obj;
    const paymentId = hooks.payment?.(e.type, obj);
    if (paymentId !== undefined) {
      const booking = paymentId ? (bookingOf.get(paymentId, paymentId, paymentId) as string | undefined) : undefined;
      if (booking) touched.add(booking);
      return;
    }
    if (e.type.startsWith('payment_intent.')) applyPaymentIntent(obj, e.type);
    else if (e.type === 'charge.dispute.created') applyDispute(obj);
    else if (e.type.startsWith('charge.')) applyCharge(obj, e.type);
    else if (e.type.startsWith('refund.')) applyRefund(obj);
    else if (e.type.startsWith('terminal.reader.action_')) applyReaderAction(obj, e.type);
  }

  const applyBatch = db.transaction((stream: string, batch: readonly RelayDelivery[], upToSeq: number, source: string): ApplyOutcome => {
    touched = new Set<string>();
    const out: ApplyOutcome = { applied: 0, duplicates: 0, rejected: 0, lastSeq: (q.cursor.get(stream) as number | undefined) ?? 0, bookingIds: [] };
    for (const d of batch) {
      out.lastSeq = Math.max(out.lastSeq, d.seq);
      const parsed = stripeEventSchema.safeParse(d.event);
      if (!parsed.success) {
        out.rejected++;
        continue;
      }
      const e = parsed.data;
      if (q.seen.get(e.id)) {
        out.duplicates++;
        continue;
      }
      let error: string | null = null;
      try {
        // A savepoint per event: one event's bad data must not undo the batch, and must not half-apply.
        db.transaction(() => effects(e))();
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
      }
      const at = now().toISOString();
      const payload = JSON.stringify(aboutErasedCustomer(db, e) ? withoutPayer(e) : e);
      q.record.run({ id: e.id, type: e.type, created: e.created, livemode: e.livemode ? 1 : 0, payload, source, at, error, install: installId });
      out.applied++;
    }
    out.lastSeq = Math.max(out.lastSeq, upToSeq);
    q.setCursor.run(stream, out.lastSeq, now().toISOString());
    out.bookingIds = [...touched];
    return out;
  });

  return {
    apply: (stream, batch, upToSeq = 0, source = 'relay') => applyBatch(stream, batch, upToSeq, source),
    cursor: (stream) => (q.cursor.get(stream) as number | undefined) ?? 0,
  };
}
