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
 *
 * One writer per row: payment rows are written only by the payments/deposits hook, refund rows
 * only by the refunds hook (both required). This file writes the event record, the cursor and
 * the dispute flags (a failed refund's flag is the refunds hook's). An event about a PaymentIntent, charge or refund
 * no capability knows (another shop's, a test payment in the Dashboard) is recorded and changes
 * nothing else.
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

type PaymentRow = { id: string; booking_id: string; amount: number; currency: string };

export type StripeEventApplier = {
  /** Applies a batch in one transaction and advances the cursor of `stream` to `upToSeq` (default: the batch's last seq). */
  apply(stream: string, batch: readonly RelayDelivery[], upToSeq?: number, source?: 'relay' | 'backfill' | 'poll'): ApplyOutcome;
  cursor(stream: string): number;
};

/** The capabilities that own payment and refund rows apply Stripe's news about them; the applier never writes those rows. */
export type ApplierHooks = {
  /** Refunds (matched by Stripe's id, then our id in metadata, releases kept apart); the refund touched, null when none. */
  refund: (refund: Record<string, unknown>, via: string) => string | null;
  /** Payments and deposits: payment_intent.*, charge.* and reader actions; the payment touched, null when it is none of ours, undefined when not its event. */
  payment: (type: string, obj: Record<string, unknown>) => string | null | undefined;
};

export function createStripeEventApplier(db: Db, installId: string, now: () => Date, hooks: ApplierHooks): StripeEventApplier {
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
    paymentByPi: db.prepare('SELECT id, booking_id, amount, currency FROM payments WHERE stripe_payment_intent_id = ?'),
    paymentByCharge: db.prepare('SELECT id, booking_id, amount, currency FROM payments WHERE stripe_charge_id = ?'),
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

  /** charge.refunded carries the charge's refunds: each goes to the refunds hook like a refund.* event. */
  function applyChargeRefunds(charge: Obj): void {
    const refunds = ((charge.refunds as Obj | undefined)?.data ?? []) as Obj[];
    for (const r of refunds) applyRefund({ ...r, charge: charge.id, payment_intent: charge.payment_intent });
  }

  function applyRefund(refund: Obj): void {
    // The refunds hook also flags a failed refund on its booking (it does so for its own polling too).
    const id = hooks.refund(refund, 'relay');
    const booking = id ? (bookingOf.get(id, id, id) as string | undefined) : undefined;
    if (booking) touched.add(booking);
  }

  function flagFor(refundOrPaymentId: string, kind: 'dispute', stripeId: string, detail: string): void {
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

  function effects(e: StripeEventEnvelope): void {
    const obj = e.data.object as Obj;
    const paymentId = hooks.payment(e.type, obj);
    if (paymentId !== undefined) {
      const booking = paymentId ? (bookingOf.get(paymentId, paymentId, paymentId) as string | undefined) : undefined;
      if (booking) touched.add(booking);
      return;
    }
    if (e.type === 'charge.dispute.created') applyDispute(obj);
    else if (e.type === 'charge.refunded') applyChargeRefunds(obj);
    // charge.refund.updated carries a refund object, not a charge.
    else if (e.type.startsWith('refund.') || e.type === 'charge.refund.updated') applyRefund(obj);
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
