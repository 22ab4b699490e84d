import type { Db } from '../../db/connection';

/**
 * Stripe's events as stored for these bookings keep what Stripe knew about the payer (a pay
 * link's `customer_details`, a charge's `billing_details`, a receipt email, a cardholder name).
 * An erasure on request (issue 15) blanks those parts, keeping ids, amounts and statuses, so
 * the ledger can still be reconciled. Called inside the erasure's transaction.
 */
const PERSONAL_KEYS = new Set(['billing_details', 'customer_details', 'shipping', 'receipt_email', 'customer_email', 'cardholder_name', 'email', 'phone', 'address']);

function blank(v: unknown): { value: unknown; changed: boolean } {
  if (Array.isArray(v)) {
    let changed = false;
    const value = v.map((x) => {
      const r = blank(x);
      changed ||= r.changed;
      return r.value;
    });
    return { value, changed };
  }
  if (v === null || typeof v !== 'object') return { value: v, changed: false };
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (PERSONAL_KEYS.has(k) && x !== null) {
      out[k] = null;
      changed = true;
    } else {
      const r = blank(x);
      changed ||= r.changed;
      out[k] = r.value;
    }
  }
  return { value: out, changed };
}

/** The event as stored, with the payer blanked (see above). */
export function withoutPayer(event: unknown): unknown {
  return blank(event).value;
}

const idOf = (v: unknown): string | null => (typeof v === 'string' ? v : v !== null && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string' ? (v as { id: string }).id : null);

/**
 * True when a Stripe event arriving now is about a booking of a customer erased on request: it is
 * then stored with the payer blanked too, so a late refund or dispute does not bring them back.
 */
export function aboutErasedCustomer(db: Db, event: { data?: { object?: unknown } }): boolean {
  const o = (event.data?.object ?? {}) as Record<string, unknown>;
  const meta = (o.metadata ?? {}) as Record<string, unknown>;
  const kind = o.object;
  const p = {
    booking: typeof meta.booking_id === 'string' ? meta.booking_id : null,
    pi: kind === 'payment_intent' ? idOf(o.id) : idOf(o.payment_intent),
    ch: kind === 'charge' ? idOf(o.id) : (idOf(o.charge) ?? idOf(o.latest_charge)),
    cs: kind === 'checkout.session' ? idOf(o.id) : null,
  };
  if (!p.booking && !p.pi && !p.ch && !p.cs) return false;
  // Tests of the applier run it on schemas from before erasure and pay links: nothing is erased there.
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'erasure_pending'").get()) return false;
  return (
    db
      .prepare(
        `SELECT count(*) AS n FROM bookings b JOIN customers c ON c.id = b.customer_id WHERE c.erased_at IS NOT NULL AND b.id IN (
           SELECT @booking UNION SELECT booking_id FROM payments WHERE stripe_payment_intent_id = @pi
           UNION SELECT booking_id FROM payments WHERE stripe_charge_id = @ch UNION SELECT booking_id FROM pay_links WHERE stripe_session_id = @cs)`,
      )
      .get(p) as { n: number }
  ).n > 0;
}

/** Returns how many stored events were changed. */
export function forgetPersonalInStripeEvents(db: Db, bookingIds: readonly string[]): number {
  if (bookingIds.length === 0) return 0;
  const markers = new Set<string>(bookingIds);
  const ids = JSON.stringify(bookingIds);
  const stripeIds = db.prepare<{ ids: string }, string>(
    `SELECT value FROM (
       SELECT stripe_payment_intent_id AS value FROM payments WHERE booking_id IN (SELECT value FROM json_each(@ids))
       UNION SELECT stripe_charge_id FROM payments WHERE booking_id IN (SELECT value FROM json_each(@ids))
       UNION SELECT stripe_session_id FROM pay_links WHERE booking_id IN (SELECT value FROM json_each(@ids))
     ) WHERE value IS NOT NULL`,
  );
  for (const s of stripeIds.pluck().all({ ids })) markers.add(s);
  const find = db.prepare<[string], { id: string; payload_json: string }>('SELECT id, payload_json FROM stripe_events WHERE instr(payload_json, ?) > 0');
  const save = db.prepare<[string, string]>('UPDATE stripe_events SET payload_json = ? WHERE id = ?');
  const done = new Set<string>();
  for (const m of markers) {
    for (const e of find.all(m)) {
      if (done.has(e.id)) continue;
      done.add(e.id);
      const r = blank(JSON.parse(e.payload_json));
      if (r.changed) save.run(JSON.stringify(r.value), e.id);
    }
  }
  return done.size;
}
