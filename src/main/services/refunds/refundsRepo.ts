import type { Db } from '../../db/connection';
import type { RefundPolicy } from '../../../shared/contract/refunds';

export type PaymentRow = {
  id: string;
  booking_id: string;
  shift_id: string | null;
  kind: 'charge' | 'deposit_hold';
  method: 'card_present' | 'card' | 'cash';
  status: string;
  amount: number;
  amount_captured: number | null;
  currency: string;
  stripe_payment_intent_id: string | null;
  stripe_charge_id: string | null;
  card_brand: string | null;
  card_last4: string | null;
  created_at: string;
};

export type RefundRow = {
  id: string;
  payment_id: string;
  booking_id: string;
  amount: number;
  currency: string;
  method: 'card' | 'cash' | 'release';
  reason_code: string;
  reason: string;
  status: 'queued' | 'sending' | 'pending' | 'succeeded' | 'failed' | 'canceled';
  idempotency_key: string;
  stripe_refund_id: string | null;
  shift_id: string | null;
  approved_by: string | null;
  approved_by_2: string | null;
  override_reason: string | null;
  error_code: string | null;
  error_message: string | null;
  created_by: string | null;
  install_id: string;
  version: number;
  created_at: string;
  updated_at: string;
};

/** A refund joined with what its view and receipt show. */
export type RefundListRow = RefundRow & {
  booking_ref: string | null;
  customer_name: string | null;
  card_brand: string | null;
  card_last4: string | null;
  created_by_name: string | null;
  approver_1: string | null;
  approver_2: string | null;
  ob_attempts: number | null;
  ob_next: string | null;
  ob_status: string | null;
  ob_error: string | null;
  ob_reason: string | null;
  ob_action: string | null;
};

/** Money promised back: everything not failed or cancelled. Releases of holds are in amount_captured already. */
const COUNTED = "status IN ('queued', 'sending', 'pending', 'succeeded') AND method <> 'release'";

const VIEW = `
  SELECT r.*, b.ref AS booking_ref, trim(c.first_name || ' ' || c.last_name) AS customer_name, p.card_brand, p.card_last4,
         s.name AS created_by_name, a1.name AS approver_1, a2.name AS approver_2,
         o.attempts AS ob_attempts, o.next_attempt_at AS ob_next, o.status AS ob_status, o.last_error AS ob_error,
         o.attention_reason AS ob_reason, o.attention_action AS ob_action
  FROM refunds r
  JOIN payments p ON p.id = r.payment_id
  LEFT JOIN bookings b ON b.id = r.booking_id
  LEFT JOIN customers c ON c.id = b.customer_id
  LEFT JOIN staff s ON s.id = r.created_by
  LEFT JOIN staff a1 ON a1.id = r.approved_by
  LEFT JOIN staff a2 ON a2.id = r.approved_by_2
  LEFT JOIN outbox o ON o.entity_type = 'refund' AND o.entity_id = r.id`;

export function createRefundsRepo(db: Db) {
  const q = {
    payment: db.prepare('SELECT * FROM payments WHERE id = ?'),
    paymentsOfBooking: db.prepare('SELECT * FROM payments WHERE booking_id = ? ORDER BY created_at, id'),
    paymentByPi: db.prepare('SELECT * FROM payments WHERE stripe_payment_intent_id = ?'),
    counted: db.prepare(`SELECT coalesce(sum(amount), 0) FROM refunds WHERE payment_id = ? AND ${COUNTED}`).pluck(),
    settled: db.prepare(`SELECT coalesce(sum(amount), 0) FROM refunds WHERE payment_id = ? AND status = 'succeeded' AND method <> 'release'`).pluck(),
    get: db.prepare('SELECT * FROM refunds WHERE id = ?'),
    byStripeId: db.prepare('SELECT * FROM refunds WHERE stripe_refund_id = ?'),
    pendingAtStripe: db.prepare("SELECT * FROM refunds WHERE status = 'pending' AND stripe_refund_id IS NOT NULL AND install_id = ? ORDER BY updated_at, id LIMIT 500"),
    flag: db.prepare(
      `INSERT INTO booking_flags (id, booking_id, kind, stripe_id, detail, install_id, created_at, updated_at)
       VALUES (@id, @bookingId, 'refund_failed', @stripeId, @detail, @install, @at, @at) ON CONFLICT (kind, stripe_id) DO NOTHING`,
    ),
    view: db.prepare(`${VIEW} WHERE r.id = ?`),
    listAll: db.prepare(`${VIEW} ORDER BY r.created_at DESC, r.id DESC LIMIT ?`),
    listOpen: db.prepare(`${VIEW} WHERE r.status IN ('queued', 'sending', 'pending') OR o.status = 'failed' ORDER BY r.created_at DESC, r.id DESC LIMIT ?`),
    listAttention: db.prepare(`${VIEW} WHERE o.status = 'failed' OR (r.status = 'failed' AND r.method = 'card') ORDER BY r.updated_at DESC LIMIT ?`),
    ofBooking: db.prepare(`${VIEW} WHERE r.booking_id = ? ORDER BY r.created_at DESC`),
    insert: db.prepare(
      `INSERT INTO refunds (id, payment_id, booking_id, amount, currency, method, reason_code, reason, status, idempotency_key, stripe_refund_id, shift_id,
         approved_by, approved_by_2, override_reason, created_by, install_id, created_at, updated_at)
       VALUES (@id, @payment_id, @booking_id, @amount, @currency, @method, @reason_code, @reason, @status, @idempotency_key, @stripe_refund_id, @shift_id,
         @approved_by, @approved_by_2, @override_reason, @created_by, @install_id, @at, @at)`,
    ),
    setStatus: db.prepare('UPDATE refunds SET status = @status, version = version + 1, updated_at = @at WHERE id = @id'),
    setStripe: db.prepare(
      `UPDATE refunds SET status = @status, stripe_refund_id = coalesce(stripe_refund_id, @stripeId), error_code = @errorCode, error_message = @errorMessage,
         version = version + 1, updated_at = @at WHERE id = @id`,
    ),
    staffHour: db.prepare("SELECT count(*) FROM refunds WHERE created_by = ? AND created_at > ? AND status <> 'canceled'").pluck(),
    tillDay: db.prepare(`SELECT coalesce(sum(amount), 0) FROM refunds WHERE install_id = ? AND created_by IS NOT NULL AND created_at >= ? AND created_at < ? AND ${COUNTED}`).pluck(),
    shopDay: db.prepare(`SELECT coalesce(sum(amount), 0) FROM refunds WHERE created_at >= ? AND created_at < ? AND ${COUNTED}`).pluck(),
    openShift: db.prepare("SELECT id, currency FROM shifts WHERE install_id = ? AND status = 'open'"),
    drawer: db.prepare(
      'SELECT s.opening_float + coalesce((SELECT sum(amount) FROM cash_movements m WHERE m.shift_id = s.id), 0) FROM shifts s WHERE s.id = ?',
    ).pluck(),
    cashOut: db.prepare(
      `INSERT INTO cash_movements (id, shift_id, kind, amount, currency, payment_id, refund_id, reason, created_by, install_id, created_at, updated_at)
       VALUES (@id, @shift_id, 'refund', @amount, @currency, @payment_id, @refund_id, @reason, @created_by, @install_id, @at, @at)`,
    ),
    policy: db.prepare('SELECT * FROM refund_policy WHERE id = 1'),
    setPolicy: db.prepare(
      `UPDATE refund_policy SET pin_above = @pinAbove, two_managers_above = @twoManagersAbove, per_staff_per_hour = @perStaffPerHour,
         till_daily_cap = @tillDailyCap, shop_daily_cap = @shopDailyCap, updated_at = @at, updated_by = @by WHERE id = 1`,
    ),
    managers: db.prepare("SELECT id, name FROM staff WHERE role = 'manager' AND active = 1 ORDER BY name"),
    staff: db.prepare('SELECT id, name, role, active FROM staff WHERE id = ?'),
  };
  type PolicyRow = { pin_above: number; two_managers_above: number; per_staff_per_hour: number; till_daily_cap: number; shop_daily_cap: number };
  return {
    payment: (id: string) => q.payment.get(id) as PaymentRow | undefined,
    paymentsOfBooking: (bookingId: string) => q.paymentsOfBooking.all(bookingId) as PaymentRow[],
    paymentByPi: (pi: string) => q.paymentByPi.get(pi) as PaymentRow | undefined,
    counted: (paymentId: string) => q.counted.get(paymentId) as number,
    settled: (paymentId: string) => q.settled.get(paymentId) as number,
    get: (id: string) => q.get.get(id) as RefundRow | undefined,
    byStripeId: (id: string) => q.byStripeId.get(id) as RefundRow | undefined,
    /** Refunds Stripe has and answered pending (or requires_action): the poller's list, oldest first, bounded. */
    pendingAtStripe: (installId: string) => q.pendingAtStripe.all(installId) as RefundRow[],
    /** "Needs a manager" on the booking: a refund Stripe could not complete (once per Stripe refund). */
    flagFailed: (p: { id: string; bookingId: string; stripeId: string; detail: string; install: string; at: string }) => q.flag.run(p).changes > 0,
    view: (id: string) => q.view.get(id) as RefundListRow | undefined,
    list: (filter: 'open' | 'attention' | 'all', limit: number) =>
      (filter === 'open' ? q.listOpen : filter === 'attention' ? q.listAttention : q.listAll).all(limit) as RefundListRow[],
    ofBooking: (bookingId: string) => q.ofBooking.all(bookingId) as RefundListRow[],
    insert: (row: Omit<RefundRow, 'error_code' | 'error_message' | 'version' | 'created_at' | 'updated_at'> & { at: string }) => q.insert.run(row),
    setStatus: (id: string, status: RefundRow['status'], at: string) => q.setStatus.run({ id, status, at }),
    setStripe: (p: { id: string; status: RefundRow['status']; stripeId: string | null; errorCode: string | null; errorMessage: string | null; at: string }) =>
      q.setStripe.run(p),
    staffLastHour: (staffId: string, sinceIso: string) => q.staffHour.get(staffId, sinceIso) as number,
    tillDay: (installId: string, start: string, end: string) => q.tillDay.get(installId, start, end) as number,
    shopDay: (start: string, end: string) => q.shopDay.get(start, end) as number,
    openShift: (installId: string) => q.openShift.get(installId) as { id: string; currency: string } | undefined,
    drawer: (shiftId: string) => (q.drawer.get(shiftId) as number | undefined) ?? 0,
    cashOut: (row: { id: string; shift_id: string; amount: number; currency: string; payment_id: string; refund_id: string; reason: string; created_by: string | null; install_id: string; at: string }) =>
      q.cashOut.run(row),
    policy: (): RefundPolicy => {
      const r = q.policy.get() as PolicyRow;
      return { pinAbove: r.pin_above, twoManagersAbove: r.two_managers_above, perStaffPerHour: r.per_staff_per_hour, tillDailyCap: r.till_daily_cap, shopDailyCap: r.shop_daily_cap };
    },
    setPolicy: (p: RefundPolicy, by: string | null, at: string) => q.setPolicy.run({ ...p, by, at }),
    managers: () => q.managers.all() as { id: string; name: string }[],
    staff: (id: string) => q.staff.get(id) as { id: string; name: string; role: string; active: number } | undefined,
  };
}
export type RefundsRepo = ReturnType<typeof createRefundsRepo>;
