import type { Db } from '../../db/connection';
import { inFlightOnBookingSql } from './paidSql';

/** Plain SQL for every payment row, attempt, reader and handover override (the payments capability owns them all). */

export type PaymentRow = {
  id: string;
  booking_id: string;
  shift_id: string | null;
  kind: 'charge' | 'deposit_hold';
  method: 'card_present' | 'card' | 'cash';
  status: 'pending' | 'requires_action' | 'processing' | 'authorized' | 'succeeded' | 'failed' | 'canceled';
  amount: number;
  amount_captured: number | null;
  currency: string;
  idempotency_key: string;
  stripe_payment_intent_id: string | null;
  stripe_charge_id: string | null;
  fee: number | null;
  net: number | null;
  card_brand: string | null;
  card_last4: string | null;
  auth_code: string | null;
  reader_id: string | null;
  tendered: number | null;
  change_given: number | null;
  balance_transaction_id: string | null;
  error_code: string | null;
  error_message: string | null;
  created_by: string | null;
  install_id: string;
  version: number;
  created_at: string;
  updated_at: string;
};

export type AttemptRow = {
  id: string;
  payment_id: string;
  outcome: 'succeeded' | 'declined' | 'failed' | 'canceled' | 'timed_out';
  code: string | null;
  message: string | null;
  card_brand: string | null;
  card_last4: string | null;
  install_id: string;
  created_at: string;
};

export type ReaderRow = {
  id: string;
  label: string;
  device_type: string;
  stripe_location_id: string | null;
  selected: number;
  install_id: string;
  created_at: string;
  updated_at: string;
};

export type OverrideRow = {
  id: string;
  booking_id: string;
  approved_by: string;
  requested_by: string | null;
  reason: string;
  amount_due: number;
  currency: string;
  install_id: string;
  created_at: string;
};

/** Statuses that hold part of the balance while Stripe or the reader has not answered. */
export const IN_FLIGHT = ['pending', 'requires_action', 'processing'] as const;
export const FINAL_STATUSES = new Set(['succeeded', 'failed', 'canceled']);

const INSERT_COLUMNS = [
  'id', 'booking_id', 'shift_id', 'kind', 'method', 'status', 'amount', 'amount_captured', 'currency', 'idempotency_key', 'stripe_payment_intent_id',
  'card_brand', 'card_last4', 'reader_id', 'tendered', 'change_given', 'created_by', 'install_id', 'version', 'created_at', 'updated_at',
] as const;
export type NewPayment = Pick<PaymentRow, (typeof INSERT_COLUMNS)[number]>;

/** Fields that Stripe's answers move (amounts only once: the triggers refuse a second write). */
export type PaymentPatch = Partial<
  Pick<
    PaymentRow,
    | 'status' | 'amount_captured' | 'stripe_payment_intent_id' | 'stripe_charge_id' | 'fee' | 'net' | 'card_brand' | 'card_last4' | 'auth_code'
    | 'reader_id' | 'balance_transaction_id' | 'error_code' | 'error_message'
  >
>;

/** Column names a patch may set (the UPDATE is built from these names only, never from input). */
const PATCHABLE = new Set<string>([
  'status', 'amount_captured', 'stripe_payment_intent_id', 'stripe_charge_id', 'fee', 'net', 'card_brand', 'card_last4', 'auth_code',
  'reader_id', 'balance_transaction_id', 'error_code', 'error_message',
]);

export function createPaymentsRepo(db: Db) {
  // One prepared UPDATE per set of columns (a handful in practice), not one per call.
  const updates = new Map<string, ReturnType<Db['prepare']>>();
  const get = db.prepare<[string], PaymentRow>('SELECT * FROM payments WHERE id = ?');
  const ofBooking = db.prepare<[string], PaymentRow>('SELECT * FROM payments WHERE booking_id = ? ORDER BY created_at, id');
  const insert = db.prepare(`INSERT INTO payments (${INSERT_COLUMNS.join(', ')}) VALUES (${INSERT_COLUMNS.map((c) => `@${c}`).join(', ')})`);
  const unsettled = db.prepare<[], PaymentRow>(
    // Deposit holds are the deposits capability's (its own reconcile and sweep); only charges here.
    "SELECT * FROM payments WHERE status NOT IN ('succeeded', 'failed', 'canceled') AND method = 'card_present' AND kind = 'charge' ORDER BY created_at",
  );
  const sums = db.prepare<{ id: string }, { paid: number; in_flight: number; refunded: number }>(
    `SELECT
       (SELECT coalesce(sum(amount_captured), 0) FROM payments WHERE booking_id = @id AND status = 'succeeded') AS paid,
       ${inFlightOnBookingSql('@id')} AS in_flight,
       (SELECT coalesce(sum(amount), 0) FROM refunds WHERE booking_id = @id AND status NOT IN ('failed', 'canceled') AND method <> 'release') AS refunded`,
  );
  const readerBusy = db.prepare<[string], { id: string; booking_id: string }>(
    "SELECT id, booking_id FROM payments WHERE reader_id = ? AND status IN ('pending', 'requires_action', 'processing') LIMIT 1",
  );
  const byPi = db.prepare<[string], PaymentRow>('SELECT * FROM payments WHERE stripe_payment_intent_id = ?');
  const byCharge = db.prepare<[string], PaymentRow>('SELECT * FROM payments WHERE stripe_charge_id = ?');
  const insertAttempt = db.prepare(
    `INSERT INTO payment_attempts (id, payment_id, outcome, code, message, card_brand, card_last4, install_id, created_at)
     VALUES (@id, @payment_id, @outcome, @code, @message, @card_brand, @card_last4, @install_id, @created_at)`,
  );
  const attemptsOf = db.prepare<[string], AttemptRow>('SELECT * FROM payment_attempts WHERE payment_id = ? ORDER BY created_at, id');
  const attemptCount = db.prepare<[string], number>('SELECT count(*) FROM payment_attempts WHERE payment_id = ?').pluck();
  const staffName = db.prepare<[string], string>('SELECT name FROM staff WHERE id = ?').pluck();
  const readers = db.prepare<[string], ReaderRow>('SELECT * FROM terminal_readers WHERE install_id = ? ORDER BY selected DESC, created_at');
  const reader = db.prepare<[string], ReaderRow>('SELECT * FROM terminal_readers WHERE id = ?');
  const insertReader = db.prepare(
    `INSERT INTO terminal_readers (id, label, device_type, stripe_location_id, selected, install_id, created_at, updated_at)
     VALUES (@id, @label, @device_type, @stripe_location_id, @selected, @install_id, @created_at, @updated_at)
     ON CONFLICT (id) DO UPDATE SET label = excluded.label, device_type = excluded.device_type, updated_at = excluded.updated_at`,
  );
  const unselect = db.prepare('UPDATE terminal_readers SET selected = 0, updated_at = ? WHERE install_id = ? AND selected = 1');
  const select = db.prepare('UPDATE terminal_readers SET selected = 1, updated_at = ? WHERE id = ? AND install_id = ?');
  const insertOverride = db.prepare(
    `INSERT INTO handover_overrides (id, booking_id, approved_by, requested_by, reason, amount_due, currency, install_id, created_at)
     VALUES (@id, @booking_id, @approved_by, @requested_by, @reason, @amount_due, @currency, @install_id, @created_at)`,
  );
  const lastOverride = db.prepare<[string], OverrideRow & { approver: string }>(
    `SELECT o.*, s.name AS approver FROM handover_overrides o JOIN staff s ON s.id = o.approved_by
     WHERE o.booking_id = ? ORDER BY o.created_at DESC, o.id DESC LIMIT 1`,
  );
  const openShift = db.prepare<[string], { id: string }>("SELECT id FROM shifts WHERE install_id = ? AND status = 'open'");
  const insertShift = db.prepare(
    `INSERT INTO shifts (id, location_id, status, opened_by, opened_at, opening_float, currency, notes, install_id, created_at, updated_at)
     VALUES (@id, NULL, 'open', @opened_by, @at, 0, @currency, @notes, @install_id, @at, @at)`,
  );
  const insertCash = db.prepare(
    `INSERT INTO cash_movements (id, shift_id, kind, amount, currency, payment_id, reason, created_by, install_id, created_at, updated_at)
     VALUES (@id, @shift_id, 'sale', @amount, @currency, @payment_id, @reason, @created_by, @install_id, @at, @at)`,
  );

  return {
    get: (id: string) => get.get(id),
    byPaymentIntent: (pi: string) => byPi.get(pi),
    byCharge: (charge: string) => byCharge.get(charge),
    ofBooking: (bookingId: string) => ofBooking.all(bookingId),
    insert: (row: NewPayment) => void insert.run(row),
    /** Moves a payment on; refuses (returns false) when the row's version changed since it was read. */
    update(id: string, version: number, patch: PaymentPatch, at: string): boolean {
      const keys = (Object.keys(patch) as (keyof PaymentPatch)[]).filter((k) => PATCHABLE.has(k)).sort();
      const cacheKey = keys.join(',');
      let stmt = updates.get(cacheKey);
      if (!stmt) {
        const sets = keys.map((k) => `${k} = @${k}`).join(', ');
        stmt = db.prepare(`UPDATE payments SET ${sets}${sets ? ', ' : ''}version = version + 1, updated_at = @at WHERE id = @id AND version = @version`);
        updates.set(cacheKey, stmt);
      }
      const values: Record<string, unknown> = { id, version, at };
      for (const k of keys) values[k] = patch[k];
      return stmt.run(values).changes === 1;
    },
    unsettled: () => unsettled.all(),
    sums: (bookingId: string) => sums.get({ id: bookingId }) ?? { paid: 0, in_flight: 0, refunded: 0 },
    readerBusy: (readerId: string) => readerBusy.get(readerId),
    insertAttempt: (row: AttemptRow) => void insertAttempt.run(row),
    attemptsOf: (paymentId: string) => attemptsOf.all(paymentId),
    attemptCount: (paymentId: string) => attemptCount.get(paymentId) ?? 0,
    /** Who took a payment; rows without one came from Stripe's events or before this till (the demo's prepaid bookings). */
    staffName: (id: string | null) => (id ? (staffName.get(id) ?? 'Unknown') : 'Not recorded'),
    readers: (installId: string) => readers.all(installId),
    reader: (id: string) => reader.get(id),
    upsertReader: (row: ReaderRow) => void insertReader.run(row),
    selectReader(id: string, installId: string, at: string): void {
      unselect.run(at, installId);
      select.run(at, id, installId);
    },
    insertOverride: (row: OverrideRow) => void insertOverride.run(row),
    lastOverride: (bookingId: string) => lastOverride.get(bookingId),
    openShift: (installId: string) => openShift.get(installId),
    insertShift: (row: { id: string; opened_by: string; at: string; currency: string; notes: string; install_id: string }) => void insertShift.run(row),
    insertCash: (row: { id: string; shift_id: string; amount: number; currency: string; payment_id: string; reason: string; created_by: string | null; install_id: string; at: string }) =>
      void insertCash.run(row),
  };
}

export type PaymentsRepo = ReturnType<typeof createPaymentsRepo>;
