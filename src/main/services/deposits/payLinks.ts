import type { BookingDetail } from '../../../shared/contract/bookings';
import { PosError } from '../../../shared/errors';
import { formatMoney } from '../../../shared/money';
import type { CurrencyCode } from '../../../shared/money';
import { newId } from '../../core/ids';
import { idempotencyKey } from '../../stripe/stripeGateway';
import { audit, balanceOf, gatewayOf } from './context';
import type { Ctx, DepositsKit } from './context';
import type { LinkRow } from './depositsRepo';

/**
 * Pay-by-link: a Stripe Checkout Session for the balance main computes, with an expiry. The link
 * row and its payments row (a `card` charge, in flight) commit first, so the balance cannot be
 * charged again on the reader or by a second link meanwhile; every parameter of the session is
 * derived from the row, so a retry after a lost answer gets the same session back. At most one
 * link is open per booking (a unique index), and a Checkout Session can be completed only once,
 * so a link cannot be paid twice, whatever the number of tabs.
 */

type Obj = Record<string, unknown>;

export function createPayLinks(kit: DepositsKit) {
  const { repo } = kit;
  const at = () => kit.now().toISOString();

  function load(id: string): LinkRow {
    const l = repo.link(id);
    if (!l) throw new PosError('not_found', 'That pay link could not be found.');
    return l;
  }

  function emit(l: LinkRow, status: 'requires_action' | 'succeeded' | 'canceled' | null) {
    kit.emit({ bookingId: l.booking_id, paymentId: l.payment_id, status });
  }

  async function create(b: BookingDetail, ctx: Ctx): Promise<LinkRow> {
    gatewayOf(kit);
    const { due, inFlight } = balanceOf(kit, b);
    const amount = due - inFlight;
    if (amount <= 0) {
      const open = repo.linksOf(b.id).find((l) => l.status === 'open' || l.status === 'creating');
      if (open) throw new PosError('conflict', `A pay link for ${b.ref} is already open until ${open.expires_at.slice(0, 16).replace('T', ' ')} UTC. Show it again, or wait for it to expire before sending a new one.`);
      throw new PosError('conflict', inFlight > 0 ? 'A payment for the balance is already in progress. Wait for it to finish.' : `Nothing is due on ${b.ref}.`);
    }
    const minutes = Math.max(31, kit.linkMinutes ?? 24 * 60 - 1);
    const expiresAt = new Date(Math.floor(kit.now().getTime() / 1000) * 1000 + minutes * 60_000).toISOString();
    const id = newId();
    const paymentId = newId();
    const now = at();
    try {
      kit.db.transaction(() => {
        repo.insertPayment({
          id: paymentId, booking_id: b.id, kind: 'charge', method: 'card', status: 'requires_action', amount, currency: b.total.currency,
          idempotency_key: idempotencyKey(paymentId, 'pi'), stripe_payment_intent_id: null, reader_id: null, created_by: ctx.staffId, install_id: kit.installId, at: now,
        });
        repo.insertLink({ id, booking_id: b.id, payment_id: paymentId, amount, currency: b.total.currency, expires_at: expiresAt, created_by: ctx.staffId, install_id: kit.installId, at: now });
        audit(kit, ctx, 'paylink.create', 'payment', paymentId, null, { bookingId: b.id, linkId: id, amount, currency: b.total.currency, expiresAt });
      })();
    } catch (err) {
      if (err instanceof Error && /UNIQUE/.test(err.message)) throw new PosError('conflict', `A pay link for ${b.ref} is already open. Show it again, or wait for it to expire before sending a new one.`);
      throw err;
    }
    return send(load(id), b);
  }

  /** Creates (or, after a lost answer, gets back) the Checkout Session the row describes. */
  async function send(l: LinkRow, b: BookingDetail): Promise<LinkRow> {
    const g = gatewayOf(kit);
    const shown = formatMoney({ amount: l.amount, currency: l.currency as CurrencyCode }, kit.shop().locale);
    const meta = { booking_id: l.booking_id, booking_ref: b.ref, payment_id: l.payment_id, link_id: l.id, install_id: kit.installId };
    try {
      const s = await g.checkoutSessions.create(
        {
          mode: 'payment',
          line_items: [{ quantity: 1, price_data: { currency: l.currency.toLowerCase(), unit_amount: l.amount, product_data: { name: `${kit.shop().name}: booking ${b.ref} (${shown})` } } }],
          expires_at: Math.floor(Date.parse(l.expires_at) / 1000),
          // The page the customer lands on after paying: the shop's, when the office set one (else Stripe's own).
          ...(kit.linkSuccessUrl ? { success_url: kit.linkSuccessUrl } : {}),
          metadata: meta,
          payment_intent_data: { metadata: meta, description: `Booking ${b.ref} (pay link)` },
        },
        { idempotencyKey: idempotencyKey(l.id, 'session') },
      );
      const now = at();
      kit.db.transaction(() => {
        repo.updateLink(load(l.id), { status: 'open', stripe_session_id: s.id, url: s.url ?? null, expires_at: new Date(s.expires_at * 1000).toISOString() }, now);
        audit(kit, null, 'paylink.open', 'payment', l.payment_id, { status: l.status }, { sessionId: s.id });
      })();
    } catch (err) {
      const e = err instanceof PosError ? err : new PosError('internal', String(err));
      // A refusal (not a lost answer) means no session exists: close the row so a new link can be made.
      if (e.code !== 'unavailable' && e.code !== 'rate_limited' && e.code !== 'internal') {
        const now = at();
        kit.db.transaction(() => {
          repo.updateLink(load(l.id), { status: 'failed' }, now);
          repo.updatePayment(l.payment_id, { status: 'canceled', error_code: e.code, error_message: e.message }, now);
          audit(kit, null, 'paylink.failed', 'payment', l.payment_id, null, { code: e.code, message: e.message });
        })();
      }
      throw e;
    }
    const next = load(l.id);
    emit(next, 'requires_action');
    return next;
  }

  /** Records a session's state: paid (the booking's balance drops), expired (a new link may be sent), or still open. */
  function record(l: LinkRow, s: Obj, via: string): LinkRow {
    if (l.status === 'paid' || l.status === 'expired' || l.status === 'failed') return l;
    const now = at();
    const status = s.status;
    if (status === 'complete' && s.payment_status === 'paid') {
      const pi = typeof s.payment_intent === 'string' ? s.payment_intent : ((s.payment_intent as Obj | null)?.id as string | undefined) ?? null;
      kit.db.transaction(() => {
        repo.updateLink(l, { status: 'paid' }, now);
        repo.updatePayment(l.payment_id, { status: 'succeeded', amount_captured: typeof s.amount_total === 'number' ? Math.min(s.amount_total, l.amount) : l.amount, stripe_payment_intent_id: pi }, now);
        audit(kit, null, 'paylink.paid', 'payment', l.payment_id, { status: l.status }, { sessionId: s.id, paymentIntent: pi, via });
      })();
    } else if (status === 'expired') {
      kit.db.transaction(() => {
        repo.updateLink(l, { status: 'expired', url: null }, now);
        repo.updatePayment(l.payment_id, { status: 'canceled', error_code: 'link_expired', error_message: 'The pay link expired before it was paid.' }, now);
        audit(kit, null, 'paylink.expired', 'payment', l.payment_id, { status: l.status }, { sessionId: s.id, via });
      })();
    } else {
      return l;
    }
    const next = load(l.id);
    emit(next, next.status === 'paid' ? 'succeeded' : 'canceled');
    return next;
  }

  async function refresh(linkId: string): Promise<LinkRow> {
    const l = load(linkId);
    if (l.status === 'creating') return send(l, kit.booking(l.booking_id));
    if (l.status !== 'open' || !l.stripe_session_id) return l;
    const s = await gatewayOf(kit).checkoutSessions.retrieve(l.stripe_session_id);
    return record(load(l.id), s as unknown as Obj, 'retrieve');
  }

  /** Every link not yet paid or expired agrees with Stripe (start and sweep). */
  async function reconcile(): Promise<{ checked: number; failed: number }> {
    const out = { checked: 0, failed: 0 };
    for (const l of repo.openLinks()) {
      if (l.install_id !== kit.installId) continue;
      out.checked++;
      await refresh(l.id).catch(() => out.failed++);
    }
    return out;
  }

  /** checkout.session.* through the relay (inside the applier's transaction: SQL only). */
  function applyEvent(type: string, s: Obj): string | null | undefined {
    if (!type.startsWith('checkout.session.')) return undefined;
    const l = typeof s.id === 'string' ? repo.linkBySession(s.id) : undefined;
    if (!l) return null;
    record(l, s, type);
    return l.payment_id;
  }

  return { create, refresh, reconcile, applyEvent, load };
}

export type PayLinks = ReturnType<typeof createPayLinks>;
