import type { BookingDetail } from '../../../shared/contract/bookings';
import { PosError } from '../../../shared/errors';
import { newId } from '../../core/ids';
import { declineSentence } from '../../stripe/stripeErrors';
import { idempotencyKey } from '../../stripe/stripeGateway';
import type { StripeGateway, StripePaymentIntent } from '../../stripe/stripeGateway';
import { audit, balanceOf, gatewayOf } from './context';
import type { Ctx, DepositsKit } from './context';
import type { HoldJoined, HoldRow } from './depositsRepo';
import { cancelReaderActionIfOurs, createSerialLocks, processOnReader, watchReader } from '../payments/index';
import type { ReaderWatch } from '../payments/index';

/**
 * (Over 400 lines on purpose: taking, growing, settling, reconciling and the relay's news all go
 * through one per-hold lock and one `record()` of Stripe's answer; split, they would race.)
 *
 * The deposit hold (DESIGN §5): a manual-capture card_present PaymentIntent on the reader, with
 * extended and incremental authorization requested (granted only on eligible cards; Stripe's
 * answer is stored, never assumed). Crash safety is checkout's: the payments row and the hold row
 * commit before Stripe is called, every key derives from the row id, and a settlement writes the
 * amount it is about to capture first, so a restart re-sends the same capture (same key) or
 * finds it done, and never captures twice.
 */

type Obj = Record<string, unknown>;
const ACTIVE_PI = new Set(['requires_payment_method', 'requires_confirmation', 'requires_action', 'processing']);

export function createHolds(kit: DepositsKit, hooks: { onHeld?: (paymentId: string) => void } = {}) {
  const { repo } = kit;
  const locks = createSerialLocks();
  const watching = new Map<string, ReaderWatch>();
  const pollMs = kit.readerPollMs ?? 500;
  const timeoutMs = kit.readerTimeoutMs ?? 90_000;
  let stopped = false;
  const at = () => kit.now().toISOString();
  const changed = (h: { booking_id: string; payment_id: string }, status: string | null = null) =>
    kit.emit({ bookingId: h.booking_id, paymentId: h.payment_id, status: (status as never) ?? null });

  /** One Stripe conversation at a time per hold (the watcher, the sweep and the clerk may race). */
  const serial = locks.run;

  function load(id: string): HoldJoined {
    const h = repo.hold(id);
    if (!h) throw new PosError('not_found', 'That deposit hold could not be found.');
    return h;
  }

  /** Writes the hold's and its payment's new state with an audit row, in one transaction. */
  function write(h: HoldJoined, hold: Partial<HoldRow>, payment: Record<string, unknown>, ctx: Ctx | null, action: string): HoldJoined {
    const now = at();
    kit.db.transaction(() => {
      const cur = load(h.payment_id);
      if (Object.keys(hold).length > 0 && !repo.updateHold(cur, hold, now)) throw new PosError('conflict', 'That deposit changed at the same moment. Look at it again.');
      if (Object.keys(payment).length > 0) repo.updatePayment(h.payment_id, { ...payment }, now);
      audit(kit, ctx, action, 'payment', h.payment_id, { state: cur.state, status: cur.status }, { ...hold, ...payment });
    })();
    const next = load(h.payment_id);
    changed(next, next.status);
    return next;
  }

  /** Σ authorized on a hold: its own amount plus every incremental authorization still held. */
  function authorized(h: HoldJoined): number {
    return h.amount + repo.increments(h.payment_id).filter((i) => i.state === h.state || i.state === 'held').reduce((s, i) => s + i.amount, 0);
  }

  // ─── Taking a hold ──────────────────────────────────────────────────────────────────────────

  function insertHold(b: BookingDetail, amount: number, readerId: string, ctx: Ctx, action: string, extra: Obj = {}): HoldJoined {
    const id = newId();
    const now = at();
    kit.db.transaction(() => {
      if (repo.readerBusy(readerId)) throw new PosError('conflict', 'The reader is busy with another payment. Wait for it to finish, or cancel it.');
      repo.insertPayment({
        id, booking_id: b.id, kind: 'deposit_hold', method: 'card_present', status: 'pending', amount, currency: b.total.currency,
        idempotency_key: idempotencyKey(id, 'pi'), stripe_payment_intent_id: null, reader_id: readerId, created_by: ctx.staffId, install_id: kit.installId, at: now,
      });
      repo.insertHold({ payment_id: id, booking_id: b.id, parent_payment_id: null, state: 'pending', capture_before: null, extended: 0, incremental: 0, install_id: kit.installId, at: now });
      audit(kit, ctx, action, 'payment', id, null, { bookingId: b.id, amount, currency: b.total.currency, readerId, ...extra });
    })();
    const h = load(id);
    changed(h, h.status);
    return h;
  }

  /** Creates the manual-capture PaymentIntent and sends it to the reader; the watcher records the outcome. */
  async function begin(h0: HoldJoined, b: BookingDetail, ctx: Ctx): Promise<HoldJoined> {
    const g = gatewayOf(kit);
    return serial(h0.payment_id, async () => {
      let h = load(h0.payment_id);
      if (!h.stripe_payment_intent_id) {
        let pi: StripePaymentIntent;
        try {
          pi = await g.paymentIntents.create(
            {
              amount: h.amount,
              currency: h.currency.toLowerCase(),
              allowed_payment_method_types: ['card_present'],
              capture_method: 'manual',
              // Car rental is an eligible merchant category: ask for 30 days and for increments; Stripe says what the card allows.
              payment_method_options: { card_present: { request_extended_authorization: true, request_incremental_authorization_support: true } },
              description: `Deposit for booking ${b.ref}`,
              metadata: { booking_id: b.id, booking_ref: b.ref, payment_id: h.payment_id, install_id: kit.installId, kind: 'deposit_hold' },
            },
            { idempotencyKey: idempotencyKey(h.payment_id, 'create') },
          );
        } catch (err) {
          const e = err instanceof PosError ? err : new PosError('internal', String(err));
          write(h, { state: 'canceled' }, { status: 'canceled', error_code: e.code, error_message: e.message }, ctx, 'deposit.create_failed');
          throw e;
        }
        h = write(h, {}, { stripe_payment_intent_id: pi.id, status: 'requires_action' }, ctx, 'deposit.intent_created');
      }
      await sendToReader(h, g, ctx);
      return load(h.payment_id);
    });
  }

  async function sendToReader(h: HoldJoined, g: StripeGateway, ctx: Ctx): Promise<void> {
    const readerId = h.reader_id as string;
    const pi = h.stripe_payment_intent_id as string;
    const n = Date.parse(h.updated_at).toString(36) + h.version;
    try {
      await processOnReader(g, readerId, pi, idempotencyKey(h.payment_id, `process_${n}`));
    } catch (err) {
      const e = err as PosError;
      write(h, { state: 'failed' }, { status: 'failed', error_code: e.code, error_message: e.message }, ctx, 'deposit.reader_refused');
      throw e;
    }
    watch(h.payment_id, readerId, pi);
  }

  /** Polls the reader until it is done with our PaymentIntent (bounded by main's own timeout), then asks Stripe. */
  function watch(paymentId: string, readerId: string, pi: string): void {
    if (stopped || watching.has(paymentId)) return;
    const w = watchReader({
      gateway: kit.stripe,
      readerId,
      pi,
      timeoutMs,
      pollMs,
      onFinished: (a) => refresh(paymentId, a?.status === 'failed' ? (a.failure_code ?? 'card_declined') : null),
      onTimeout: async (poll) => {
        await kit.stripe()?.readers.cancelAction(readerId, { idempotencyKey: idempotencyKey(paymentId, `timeout_${poll}`) }).catch(() => undefined);
        await refresh(paymentId).catch(() => undefined);
      },
      onEnd: () => {
        if (watching.get(paymentId) === w) watching.delete(paymentId);
      },
    });
    watching.set(paymentId, w);
  }

  /** Asks Stripe about one hold and records what it says. Safe to call any number of times. */
  function refresh(paymentId: string, readerFailure: string | null = null): Promise<HoldJoined> {
    return serial(paymentId, async () => {
      const h = load(paymentId);
      if (!h.stripe_payment_intent_id || ['captured', 'released', 'expired', 'canceled'].includes(h.state)) return h;
      const pi = await gatewayOf(kit).paymentIntents.retrieve(h.stripe_payment_intent_id, { expand: ['latest_charge.balance_transaction'] });
      return record(h, pi, readerFailure);
    });
  }

  function record(h: HoldJoined, pi: StripePaymentIntent, readerFailure: string | null): HoldJoined {
    const charge = (typeof pi.latest_charge === 'object' ? pi.latest_charge : null) as unknown as Obj | null;
    const details = ((charge?.payment_method_details as Obj | undefined)?.card_present ?? null) as Obj | null;
    switch (pi.status) {
      case 'requires_capture': {
        const cb = typeof details?.capture_before === 'number' ? new Date(details.capture_before * 1000).toISOString() : null;
        const extended = (details?.extended_authorization as Obj | undefined)?.status === 'enabled' ? 1 : 0;
        const incremental = details?.incremental_authorization_supported === true ? 1 : 0;
        if (h.state === 'held' && h.capture_before === cb && h.status === 'authorized') return h;
        const receipt = (details?.receipt ?? null) as Obj | null;
        const wasHeld = h.state === 'held';
        const next = write(
          h,
          { state: h.state === 'capturing' || h.state === 'releasing' ? h.state : 'held', capture_before: cb, extended, incremental },
          {
            status: 'authorized', hold_expires_at: cb, stripe_charge_id: (charge?.id as string | undefined) ?? null,
            card_brand: (details?.brand as string | undefined) ?? null, card_last4: (details?.last4 as string | undefined) ?? null,
            auth_code: (receipt?.authorization_code as string | undefined) ?? null, error_code: null, error_message: null,
          },
          null,
          'deposit.held',
        );
        if (!wasHeld && next.state === 'held') hooks.onHeld?.(next.payment_id);
        return next;
      }
      case 'succeeded':
        return recordCaptured(h, pi.amount_received, feeOf(charge), null);
      case 'canceled': {
        if (h.state === 'releasing' || h.state === 'pending' || h.state === 'failed') {
          const released = h.state === 'releasing' ? authorized(h) : null;
          return cancelRows(h, h.state === 'releasing' ? 'released' : 'canceled', released, null, null, h.state === 'releasing' ? 'deposit.released' : 'deposit.canceled');
        }
        const automatic = pi.cancellation_reason === 'automatic';
        const flag = automatic
          ? `The deposit hold expired at Stripe${h.capture_before ? ` (${h.capture_before.slice(0, 16).replace('T', ' ')} UTC)` : ''} before the vehicle came back. Re-authorize it or ask the customer for another card.`
          : 'The deposit hold was cancelled at Stripe (not from this counter). Re-authorize it before the vehicle comes back.';
        return cancelRows(h, 'expired', authorized(h), flag, null, automatic ? 'deposit.expired' : 'deposit.canceled_at_stripe');
      }
      default: {
        if (ACTIVE_PI.has(pi.status) && readerFailure === null) return h;
        const err = pi.last_payment_error;
        const code = readerFailure ?? err?.decline_code ?? err?.code ?? 'card_declined';
        return write(h, { state: 'failed' }, { status: 'failed', error_code: code, error_message: declineSentence(code) }, null, 'deposit.declined');
      }
    }
  }

  function cancelRows(h: HoldJoined, state: HoldRow['state'], released: number | null, flag: string | null, ctx: Ctx | null, action: string): HoldJoined {
    const now = at();
    kit.db.transaction(() => {
      for (const inc of repo.increments(h.payment_id)) {
        if (inc.state !== 'held') continue;
        repo.updateHold(inc, { state }, now);
        repo.updatePayment(inc.payment_id, { status: 'canceled' }, now);
      }
    })();
    return write(h, { state, released, ...(flag ? { flag, flagged_at: now } : {}) }, { status: 'canceled' }, ctx, action);
  }

  /** Splits a captured amount over the hold and its increments (oldest first); the rest was released. */
  function recordCaptured(h: HoldJoined, received: number, fee: { bt: string | null; fee: number | null; net: number | null }, ctx: Ctx | null): HoldJoined {
    if (h.state === 'captured') return h;
    const total = authorized(h);
    const now = at();
    const own = Math.min(received, h.amount);
    let left = received - own;
    kit.db.transaction(() => {
      for (const inc of repo.increments(h.payment_id)) {
        if (inc.state !== 'held' && inc.state !== h.state) continue;
        const part = Math.min(left, inc.amount);
        left -= part;
        repo.updateHold(inc, { state: part > 0 ? 'captured' : 'released', captured: part, released: inc.amount - part }, now);
        repo.updatePayment(inc.payment_id, part > 0 ? { status: 'succeeded', amount_captured: part } : { status: 'canceled' }, now);
      }
    })();
    return write(
      h,
      { state: 'captured', captured: received, released: Math.max(0, total - received) },
      { status: 'succeeded', amount_captured: own, balance_transaction_id: fee.bt, fee: fee.fee, net: fee.net },
      ctx,
      'deposit.captured',
    );
  }

  function feeOf(charge: Obj | null): { bt: string | null; fee: number | null; net: number | null } {
    const bt = charge && typeof charge.balance_transaction === 'object' && charge.balance_transaction ? (charge.balance_transaction as Obj) : null;
    return { bt: (bt?.id as string | undefined) ?? null, fee: (bt?.fee as number | undefined) ?? null, net: (bt?.net as number | undefined) ?? null };
  }

  // ─── Settling at return ─────────────────────────────────────────────────────────────────────

  /** Capture `amount` (≥ 1) from a held hold, or release it all (0). Row first, then Stripe, then the record. */
  function settleOne(paymentId: string, amountOf: number | ((h: HoldJoined) => number), ctx: Ctx | null): Promise<HoldJoined> {
    return serial(paymentId, async () => {
      let h = load(paymentId);
      if (h.state === 'held') {
        // Worked out here, in the same turn as the write: cash or a card may have taken part of the balance while this waited.
        const amount = typeof amountOf === 'number' ? amountOf : amountOf(h);
        h = write(h, { state: amount > 0 ? 'capturing' : 'releasing', settle_amount: amount }, {}, ctx, amount > 0 ? 'deposit.capture_start' : 'deposit.release_start');
        kit.onStep?.('settle_row_written', paymentId);
      }
      return finishSettle(h);
    });
  }

  /** Sends (or re-sends, with the same key) what the row says, and records Stripe's answer. */
  async function finishSettle(h: HoldJoined): Promise<HoldJoined> {
    if (h.state !== 'capturing' && h.state !== 'releasing') return h;
    const g = gatewayOf(kit);
    const pi = h.stripe_payment_intent_id as string;
    const expand = { expand: ['latest_charge.balance_transaction'] };
    let now = await g.paymentIntents.retrieve(pi, expand);
    if (now.status === 'requires_capture') {
      if (h.state === 'capturing') await g.paymentIntents.capture(pi, { amount_to_capture: h.settle_amount as number }, { idempotencyKey: idempotencyKey(h.payment_id, `capture_${h.settle_amount}`) });
      else await g.paymentIntents.cancel(pi, { cancellation_reason: 'requested_by_customer' }, { idempotencyKey: idempotencyKey(h.payment_id, 'release') });
      kit.onStep?.('stripe_captured', h.payment_id);
      now = await g.paymentIntents.retrieve(pi, expand);
    }
    return record(load(h.payment_id), now, null);
  }

  /**
   * At check-in: what is owed (the booking's balance, extras included) comes out of the held
   * deposits, oldest first; what is left on a hold is released by the capture; a hold not needed
   * is released in full. Returns what is still due after the holds (charge it on the reader or by link).
   */
  async function settle(b: BookingDetail, ctx: Ctx): Promise<{ captured: number; released: number; remaining: number }> {
    if (b.status !== 'returned' && b.status !== 'closed' && b.status !== 'cancelled' && b.status !== 'no_show') {
      throw new PosError('conflict', `${b.ref} is not back yet. Check the vehicle in first; the deposit is settled from the return's extras.`);
    }
    // What is still free to take from the holds now: owed − paid − charges in flight − captures already asked for.
    const free = () => {
      const { due, inFlight } = balanceOf(kit, kit.booking(b.id));
      return due - inFlight;
    };
    let captured = 0;
    let released = 0;
    for (const h of repo.holdsOf(b.id).filter((x) => !x.parent_payment_id && ['held', 'capturing', 'releasing'].includes(x.state))) {
      const out = await settleOne(h.payment_id, (cur) => Math.max(0, Math.min(free(), authorized(cur))), ctx);
      captured += out.captured ?? 0;
      released += out.released ?? 0;
    }
    return { captured, released, remaining: Math.max(0, free()) };
  }

  async function cancel(paymentId: string, ctx: Ctx): Promise<HoldJoined> {
    const h = load(paymentId);
    if (h.install_id !== kit.installId) throw new PosError('forbidden', 'That deposit was taken at another counter; settle it there.');
    if (h.state === 'held') return settleOne(paymentId, 0, ctx);
    if (h.state !== 'pending' && h.state !== 'failed') return h;
    return serial(paymentId, async () => {
      const cur = load(paymentId);
      const g = gatewayOf(kit);
      const pi = cur.stripe_payment_intent_id;
      if (pi) {
        await cancelReaderActionIfOurs(g, cur.reader_id, pi, idempotencyKey(cur.payment_id, `cancel_action_${cur.version}`));
        const now = await g.paymentIntents.retrieve(pi, { expand: ['latest_charge.balance_transaction'] });
        // The card went through just before the cancel: the hold stands; the clerk releases it if unwanted.
        if (now.status === 'requires_capture' || now.status === 'succeeded') return record(cur, now, null);
        if (now.status !== 'canceled') await g.paymentIntents.cancel(pi, {}, { idempotencyKey: idempotencyKey(cur.payment_id, 'cancel') });
      }
      return write(cur, { state: 'canceled' }, { status: 'canceled' }, ctx, 'deposit.cancel');
    });
  }

  // ─── Growing a hold (extension) ─────────────────────────────────────────────────────────────

  /** Incremental authorization to `total`; the increase is its own payments row (amounts are append-only). */
  async function increment(paymentId: string, total: number, ctx: Ctx): Promise<HoldJoined> {
    return serial(paymentId, async () => {
      const h = load(paymentId);
      const current = authorized(h);
      if (total <= current) return h;
      const pi = await gatewayOf(kit).paymentIntents.incrementAuthorization(
        h.stripe_payment_intent_id as string,
        { amount: total },
        { idempotencyKey: idempotencyKey(h.payment_id, `increment_${total}`) },
      );
      const id = newId();
      const now = at();
      kit.db.transaction(() => {
        repo.insertPayment({
          id, booking_id: h.booking_id, kind: 'deposit_hold', method: 'card_present', status: 'authorized', amount: pi.amount - current, currency: h.currency,
          idempotency_key: idempotencyKey(id, 'increment'), stripe_payment_intent_id: null, reader_id: null, created_by: ctx.staffId, install_id: kit.installId, at: now,
        });
        repo.insertHold({ payment_id: id, booking_id: h.booking_id, parent_payment_id: h.payment_id, state: 'held', capture_before: h.capture_before, extended: h.extended, incremental: 1, install_id: kit.installId, at: now });
        audit(kit, ctx, 'deposit.incremented', 'payment', h.payment_id, { authorized: current }, { authorized: pi.amount, incrementPaymentId: id });
      })();
      // Inside this hold's turn already: retrieve directly (refresh would wait for this very turn).
      const now2 = await gatewayOf(kit).paymentIntents.retrieve(h.stripe_payment_intent_id as string, { expand: ['latest_charge.balance_transaction'] }).catch(() => null);
      return now2 ? record(load(h.payment_id), now2, null) : load(h.payment_id);
    });
  }

  // ─── Reconcile and sweep ────────────────────────────────────────────────────────────────────

  /** At start and on every sweep: each open hold agrees with Stripe (interrupted settlements are finished). */
  async function reconcile(): Promise<{ checked: number; changed: number; failed: number }> {
    const out = { checked: 0, changed: 0, failed: 0 };
    for (const h0 of repo.openHolds()) {
      if (h0.install_id !== kit.installId || watching.has(h0.payment_id) || locks.has(h0.payment_id)) continue;
      out.checked++;
      try {
        const before = `${h0.state}/${h0.capture_before}`;
        const h = await serial(h0.payment_id, () => reconcileOne(h0.payment_id));
        if (`${h.state}/${h.capture_before}` !== before) out.changed++;
      } catch {
        out.failed++;
      }
    }
    return out;
  }

  async function reconcileOne(id: string): Promise<HoldJoined> {
    const h = load(id);
    if (h.state === 'capturing' || h.state === 'releasing') return finishSettle(h);
    if (!h.stripe_payment_intent_id) return write(h, { state: 'canceled' }, { status: 'canceled', error_code: 'interrupted', error_message: declineSentence('interrupted') }, null, 'deposit.reconciled');
    const g = gatewayOf(kit);
    const expand = { expand: ['latest_charge.balance_transaction'] };
    let pi = await g.paymentIntents.retrieve(h.stripe_payment_intent_id, expand);
    if (h.state === 'pending' && ACTIVE_PI.has(pi.status)) {
      // The till stopped while the reader waited: stop the reader, cancel the PaymentIntent (nothing was held).
      if (await cancelReaderActionIfOurs(g, h.reader_id, pi.id, idempotencyKey(h.payment_id, 'reconcile_cancel_action'))) pi = await g.paymentIntents.retrieve(pi.id, expand);
      if (ACTIVE_PI.has(pi.status)) {
        await g.paymentIntents.cancel(pi.id, {}, { idempotencyKey: idempotencyKey(h.payment_id, 'reconcile_cancel') });
        return write(h, { state: 'canceled' }, { status: 'canceled', error_code: 'interrupted', error_message: declineSentence('interrupted') }, null, 'deposit.reconciled');
      }
    }
    return record(h, pi, null);
  }

  /** The relay's news about a hold's PaymentIntent (inside the applier's transaction: SQL only). */
  function applyEvent(type: string, pi: Obj): string | null | undefined {
    const id = typeof pi.id === 'string' ? pi.id : null;
    const h = id ? repo.holdByPi(id) : undefined;
    if (!h) return undefined;
    if (type === 'payment_intent.canceled' && h.state === 'held') {
      const automatic = pi.cancellation_reason === 'automatic';
      const now = at();
      const flag = automatic
        ? 'The deposit hold expired at Stripe before the vehicle came back. Re-authorize it or ask the customer for another card.'
        : 'The deposit hold was cancelled at Stripe (not from this counter). Re-authorize it before the vehicle comes back.';
      for (const inc of repo.increments(h.payment_id)) if (inc.state === 'held') {
        repo.updateHold(inc, { state: 'expired' }, now);
        repo.updatePayment(inc.payment_id, { status: 'canceled' }, now);
      }
      repo.updateHold(h, { state: 'expired', released: authorized(h), flag, flagged_at: now }, now);
      repo.updatePayment(h.payment_id, { status: 'canceled' }, now);
      audit(kit, null, automatic ? 'deposit.expired' : 'deposit.canceled_at_stripe', 'payment', h.payment_id, { state: 'held' }, { state: 'expired', via: type });
      return h.payment_id;
    }
    // Anything else: the watcher, the settlement or the sweep retrieves the PaymentIntent itself.
    if (!watching.has(h.payment_id) && !locks.has(h.payment_id) && h.state !== 'captured' && h.state !== 'released') {
      void refresh(h.payment_id).catch(() => undefined);
    }
    return h.payment_id;
  }

  function stop(): void {
    stopped = true;
    for (const w of watching.values()) w.stop();
  }

  return { insertHold, begin, refresh, settle, settleOne, cancel, increment, reconcile, applyEvent, authorized, load, stop, busy: (id: string) => watching.has(id) || locks.has(id) };
}

export type Holds = ReturnType<typeof createHolds>;
