import type { Db } from '../../db/connection';
import { inFlightOnBookingSql, paidOnBookingSql } from '../payments/index';

/**
 * Plain SQL for deposits and pay links. Hold and link money lives in `payments` (kind
 * `deposit_hold`, or a `card` charge for a link), written here with the same rules as the
 * payments capability: row first, amounts append-only (the triggers refuse a second write).
 */

export type HoldRow = {
  payment_id: string;
  booking_id: string;
  parent_payment_id: string | null;
  state: 'pending' | 'held' | 'capturing' | 'releasing' | 'captured' | 'released' | 'expired' | 'failed' | 'canceled';
  capture_before: string | null;
  extended: number;
  incremental: number;
  settle_amount: number | null;
  captured: number | null;
  released: number | null;
  replaced_by: string | null;
  flag: string | null;
  flagged_at: string | null;
  install_id: string;
  version: number;
  created_at: string;
  updated_at: string;
};

/** A hold with its payments row (amount, status, Stripe ids, card). */
export type HoldJoined = HoldRow & {
  amount: number;
  currency: string;
  status: string;
  stripe_payment_intent_id: string | null;
  card_brand: string | null;
  card_last4: string | null;
  reader_id: string | null;
  error_message: string | null;
};

export type LinkRow = {
  id: string;
  booking_id: string;
  payment_id: string;
  amount: number;
  currency: string;
  status: 'creating' | 'open' | 'paid' | 'expired' | 'failed';
  stripe_session_id: string | null;
  url: string | null;
  expires_at: string;
  created_by: string | null;
  install_id: string;
  version: number;
  created_at: string;
  updated_at: string;
};

export const OPEN_HOLD_STATES = ['pending', 'held', 'capturing', 'releasing'] as const;

export type NewPaymentRow = {
  id: string;
  booking_id: string;
  kind: 'charge' | 'deposit_hold';
  method: 'card_present' | 'card';
  status: 'pending' | 'requires_action' | 'authorized';
  amount: number;
  currency: string;
  idempotency_key: string;
  stripe_payment_intent_id: string | null;
  reader_id: string | null;
  created_by: string | null;
  install_id: string;
  at: string;
};

export function createDepositsRepo(db: Db) {
  const joined = `SELECT h.*, p.amount, p.currency, p.status, p.stripe_payment_intent_id, p.card_brand, p.card_last4, p.reader_id, p.error_message
                  FROM deposit_holds h JOIN payments p ON p.id = h.payment_id`;
  const q = {
    policy: db.prepare<[], { policy_json: string; version: number }>('SELECT policy_json, version FROM deposit_policy WHERE id = 1'),
    setPolicy: db.prepare(
      `INSERT INTO deposit_policy (id, policy_json, version, updated_by, install_id, updated_at) VALUES (1, @json, 1, @by, @install, @at)
       ON CONFLICT (id) DO UPDATE SET policy_json = excluded.policy_json, version = version + 1, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    ),
    override: db.prepare<[string], { amount: number; currency: string; reason: string; by: string; created_at: string }>(
      `SELECT o.amount, o.currency, o.reason, s.name AS by, o.created_at FROM deposit_overrides o JOIN staff s ON s.id = o.approved_by
       WHERE o.booking_id = ? ORDER BY o.created_at DESC, o.id DESC LIMIT 1`,
    ),
    insertOverride: db.prepare(
      `INSERT INTO deposit_overrides (id, booking_id, amount, currency, reason, approved_by, install_id, created_at)
       VALUES (@id, @booking_id, @amount, @currency, @reason, @approved_by, @install_id, @at)`,
    ),
    insertPayment: db.prepare(
      `INSERT INTO payments (id, booking_id, kind, method, status, amount, currency, idempotency_key, stripe_payment_intent_id, reader_id, created_by, install_id, version, created_at, updated_at)
       VALUES (@id, @booking_id, @kind, @method, @status, @amount, @currency, @idempotency_key, @stripe_payment_intent_id, @reader_id, @created_by, @install_id, 1, @at, @at)`,
    ),
    insertHold: db.prepare(
      `INSERT INTO deposit_holds (payment_id, booking_id, parent_payment_id, state, capture_before, extended, incremental, install_id, created_at, updated_at)
       VALUES (@payment_id, @booking_id, @parent_payment_id, @state, @capture_before, @extended, @incremental, @install_id, @at, @at)`,
    ),
    hold: db.prepare<[string], HoldJoined>(`${joined} WHERE h.payment_id = ?`),
    holdsOf: db.prepare<[string], HoldJoined>(`${joined} WHERE h.booking_id = ? ORDER BY h.created_at, h.payment_id`),
    increments: db.prepare<[string], HoldJoined>(`${joined} WHERE h.parent_payment_id = ? ORDER BY h.created_at, h.payment_id`),
    openHolds: db.prepare<[], HoldJoined>(`${joined} WHERE h.state IN ('pending', 'held', 'capturing', 'releasing') AND h.parent_payment_id IS NULL ORDER BY h.created_at`),
    flaggedHolds: db.prepare<[], HoldJoined>(`${joined} WHERE h.state = 'expired' AND h.flag IS NOT NULL AND h.parent_payment_id IS NULL ORDER BY h.created_at`),
    replacing: db.prepare<[string], HoldJoined>(`${joined} WHERE h.replaced_by = ?`),
    holdByPi: db.prepare<[string], HoldJoined>(`${joined} WHERE p.stripe_payment_intent_id = ?`),
    paymentVersion: db.prepare<[string], { version: number; status: string; amount_captured: number | null }>('SELECT version, status, amount_captured FROM payments WHERE id = ?'),
    readerBusy: db.prepare<[string], string>("SELECT id FROM payments WHERE reader_id = ? AND status IN ('pending', 'requires_action', 'processing') LIMIT 1").pluck(),
    /** Owed minus paid, with refunds that gave money back (a release of a hold is not one: nothing was taken). */
    money: db.prepare<{ id: string }, { paid: number; refunded: number; in_flight: number }>(
      `SELECT ${paidOnBookingSql('@id')} AS paid,
              (SELECT coalesce(sum(amount), 0) FROM refunds WHERE booking_id = @id AND status NOT IN ('failed', 'canceled') AND method <> 'release') AS refunded,
              ${inFlightOnBookingSql('@id')} AS in_flight`,
    ),
    insertLink: db.prepare(
      `INSERT INTO pay_links (id, booking_id, payment_id, amount, currency, status, expires_at, created_by, install_id, created_at, updated_at)
       VALUES (@id, @booking_id, @payment_id, @amount, @currency, 'creating', @expires_at, @created_by, @install_id, @at, @at)`,
    ),
    link: db.prepare<[string], LinkRow>('SELECT * FROM pay_links WHERE id = ?'),
    linkBySession: db.prepare<[string], LinkRow>('SELECT * FROM pay_links WHERE stripe_session_id = ?'),
    linksOf: db.prepare<[string], LinkRow>('SELECT * FROM pay_links WHERE booking_id = ? ORDER BY created_at, id'),
    openLinks: db.prepare<[], LinkRow>("SELECT * FROM pay_links WHERE status IN ('creating', 'open') ORDER BY created_at"),
    staffName: db.prepare<[string], string>('SELECT name FROM staff WHERE id = ?').pluck(),
  };
  const holdUpdates = new Map<string, ReturnType<Db['prepare']>>();
  const paymentUpdates = new Map<string, ReturnType<Db['prepare']>>();
  const linkUpdates = new Map<string, ReturnType<Db['prepare']>>();

  function updater(table: string, key: string, cache: Map<string, ReturnType<Db['prepare']>>, allowed: ReadonlySet<string>, patch: Record<string, unknown>) {
    const keys = Object.keys(patch).filter((k) => allowed.has(k)).sort();
    const cacheKey = keys.join(',');
    let stmt = cache.get(cacheKey);
    if (!stmt) {
      const sets = keys.map((k) => `${k} = @${k}`).join(', ');
      stmt = db.prepare(`UPDATE ${table} SET ${sets}${sets ? ', ' : ''}version = version + 1, updated_at = @at WHERE ${key} = @id AND version = @version`);
      cache.set(cacheKey, stmt);
    }
    return { stmt, keys };
  }
  const HOLD_COLS = new Set(['state', 'capture_before', 'extended', 'incremental', 'settle_amount', 'captured', 'released', 'replaced_by', 'flag', 'flagged_at']);
  const PAY_COLS = new Set(['status', 'amount_captured', 'stripe_payment_intent_id', 'stripe_charge_id', 'card_brand', 'card_last4', 'auth_code', 'hold_expires_at', 'error_code', 'error_message', 'balance_transaction_id', 'fee', 'net']);
  const LINK_COLS = new Set(['status', 'stripe_session_id', 'url', 'expires_at']);

  function run(table: string, key: string, cache: Map<string, ReturnType<Db['prepare']>>, cols: ReadonlySet<string>, id: string, version: number, patch: Record<string, unknown>, at: string): boolean {
    const { stmt, keys } = updater(table, key, cache, cols, patch);
    const values: Record<string, unknown> = { id, version, at };
    for (const k of keys) values[k] = patch[k];
    return stmt.run(values).changes === 1;
  }

  return {
    policyJson: () => q.policy.get(),
    setPolicy: (json: string, by: string | null, install: string, at: string) => void q.setPolicy.run({ json, by, install, at }),
    override: (bookingId: string) => q.override.get(bookingId),
    insertOverride: (row: { id: string; booking_id: string; amount: number; currency: string; reason: string; approved_by: string; install_id: string; at: string }) => void q.insertOverride.run(row),
    insertPayment: (row: NewPaymentRow) => void q.insertPayment.run(row),
    insertHold: (row: { payment_id: string; booking_id: string; parent_payment_id: string | null; state: HoldRow['state']; capture_before: string | null; extended: number; incremental: number; install_id: string; at: string }) =>
      void q.insertHold.run(row),
    hold: (paymentId: string) => q.hold.get(paymentId),
    holdsOf: (bookingId: string) => q.holdsOf.all(bookingId),
    increments: (paymentId: string) => q.increments.all(paymentId),
    openHolds: () => q.openHolds.all(),
    holdByPi: (pi: string) => q.holdByPi.get(pi),
    flaggedHolds: () => q.flaggedHolds.all(),
    /** Holds a re-authorization is replacing with this one. */
    replacing: (paymentId: string) => q.replacing.all(paymentId),
    payment: (id: string) => q.paymentVersion.get(id),
    readerBusy: (readerId: string) => q.readerBusy.get(readerId) ?? null,
    money: (bookingId: string) => q.money.get({ id: bookingId }) ?? { paid: 0, refunded: 0, in_flight: 0 },
    updateHold: (h: { payment_id: string; version: number }, patch: Partial<HoldRow>, at: string) => run('deposit_holds', 'payment_id', holdUpdates, HOLD_COLS, h.payment_id, h.version, patch, at),
    /** Patches a payments row; re-reads its version so a concurrent event write is not lost. */
    updatePayment(id: string, patch: Record<string, unknown>, at: string): boolean {
      const cur = q.paymentVersion.get(id);
      if (!cur) return false;
      // amount_captured is set once (the trigger refuses a second write): keep the first.
      if (cur.amount_captured !== null) delete patch.amount_captured;
      return run('payments', 'id', paymentUpdates, PAY_COLS, id, cur.version, patch, at);
    },
    insertLink: (row: { id: string; booking_id: string; payment_id: string; amount: number; currency: string; expires_at: string; created_by: string | null; install_id: string; at: string }) =>
      void q.insertLink.run(row),
    link: (id: string) => q.link.get(id),
    linkBySession: (sessionId: string) => q.linkBySession.get(sessionId),
    linksOf: (bookingId: string) => q.linksOf.all(bookingId),
    openLinks: () => q.openLinks.all(),
    updateLink: (l: { id: string; version: number }, patch: Partial<LinkRow>, at: string) => run('pay_links', 'id', linkUpdates, LINK_COLS, l.id, l.version, patch, at),
    staffName: (id: string) => q.staffName.get(id) ?? 'Unknown',
  };
}

export type DepositsRepo = ReturnType<typeof createDepositsRepo>;
