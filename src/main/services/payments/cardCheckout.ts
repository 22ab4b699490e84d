import type { BookingDetail } from '../../../shared/contract/bookings';
import { PosError } from '../../../shared/errors';
import { newId } from '../../core/ids';
import { declineSentence } from '../../stripe/stripeErrors';
import { idempotencyKey } from '../../stripe/stripeGateway';
import type { StripeGateway, StripePaymentIntent, StripeReaderAction } from '../../stripe/stripeGateway';
import { audit, available, gatewayOf, refuse } from './context';
import type { Ctx, PaymentsKit } from './context';
import { assertStillPayable, chooseAmount } from './paymentView';
import { FINAL_STATUSES, IN_FLIGHT } from './paymentsRepo';
import type { PaymentPatch, PaymentRow } from './paymentsRepo';
import { cancelReaderActionIfOurs, createSerialLocks, processOnReader, watchReader } from './readerSteps';
import type { ReaderWatch } from './readerSteps';
import { checkReaderFree, chosenReader } from './readers';
import { driverInForce } from './terminalJs';

/**
 * Card on a reader, server-driven (DESIGN §3, §5). The order is what makes it crash-safe:
 * 1. the payment row (`pending`, idempotency keys derived from its id) commits first;
 * 2. the PaymentIntent is created with that key, and its id stored;
 * 3. the reader is told to process it; main polls the reader (or is nudged by the relay's
 *    `terminal.reader.action_*` event or the demo panel) with its own timeout;
 * 4. when the reader is done, main retrieves the PaymentIntent and only Stripe's status decides.
 * A decline is retried on the same PaymentIntent; after an unclear failure main retrieves, and
 * never creates a second PaymentIntent for the same row.
 * terminal-js: steps 1, 2 and 4 are the same, but instead of step 3 main hands the PaymentIntent's
 * client secret to the page, whose Terminal SDK drives the reader; the page then says
 * `confirmFromReader` and main retrieves. Main's own timeout cancels a PaymentIntent the page
 * never reports on; reconcile covers a killed app.
 *
 * Over 400 lines on purpose: start, the reader wait, settle, cancel, retry and reconcile (and
 * their terminal-js forms) share one per-payment lock and one write rule, and the crash-safety
 * order is easier to check in one file.
 */

/** What the reader said when it finished, if main saw it (a hint; Stripe's PaymentIntent decides). */
type ReaderHint = { code: string | null; outcome: 'declined' | 'failed' | 'timed_out' | 'canceled' } | null;

type Waiter = ReaderWatch;

/** What startCard and retry answer; the client secret only in terminal-js mode (it is not the secret key). */
export type CardStarted = PaymentRow & { clientSecret?: string | null };

const ACTIVE = new Set<string>(IN_FLIGHT);

export function createCardCheckout(kit: PaymentsKit) {
  const { repo } = kit;
  const locks = createSerialLocks();
  const waiters = new Map<string, Waiter>();
  const timeoutMs = kit.readerTimeoutMs ?? 90_000;
  const pollMs = kit.readerPollMs ?? 500;

  const step = (s: Parameters<NonNullable<typeof kit.onStep>>[0], id: string) => kit.onStep?.(s, id);
  const changed = (r: PaymentRow) => kit.emit({ bookingId: r.booking_id, paymentId: r.id, status: r.status });

  /** One operation at a time per payment (the poller, the demo panel and the clerk may race). */
  const serial = locks.run;

  function load(id: string): PaymentRow {
    const r = repo.get(id);
    if (!r) throw new PosError('not_found', 'That payment could not be found.');
    return r;
  }

  /** Writes a patch and its audit row in one transaction; the version check stops a lost update. */
  function write(r: PaymentRow, patch: PaymentPatch, ctx: Ctx | null, action: string, attempt?: { outcome: 'succeeded' | 'declined' | 'failed' | 'canceled' | 'timed_out'; code: string | null; message: string | null }): PaymentRow {
    const at = kit.now().toISOString();
    // Re-read: Stripe's events may have moved the row while we awaited Stripe. A paid or
    // cancelled payment never moves back, whatever a slower answer says.
    const cur = load(r.id);
    if ((cur.status === 'succeeded' || cur.status === 'canceled') && patch.status !== undefined && patch.status !== cur.status) return cur;
    if (cur.status === 'succeeded' && patch.status === 'succeeded' && cur.balance_transaction_id && cur.auth_code) return cur;
    kit.db.transaction(() => {
      if (!repo.update(cur.id, cur.version, patch, at)) throw new PosError('conflict', 'That payment changed at the same moment. Look at it again.');
      if (attempt) {
        repo.insertAttempt({
          id: newId(),
          payment_id: r.id,
          ...attempt,
          card_brand: patch.card_brand ?? null,
          card_last4: patch.card_last4 ?? null,
          install_id: kit.installId,
          created_at: at,
        });
      }
      audit(kit, ctx, action, 'payment', r.id, { status: r.status }, { ...patch });
    })();
    const next = load(r.id);
    changed(next);
    return next;
  }

  function metadata(r: PaymentRow, b: BookingDetail, ctx: Ctx): Record<string, string> {
    const location = b.status === 'reserved' ? b.pickupLocation.id : b.returnLocation.id;
    return { booking_id: b.id, booking_ref: b.ref, payment_id: r.id, install_id: kit.installId, location_id: location, staff_id: ctx.staffId ?? '' };
  }

  async function start(input: { bookingId: string; amount?: number | undefined; readerId?: string | undefined }, ctx: Ctx): Promise<CardStarted> {
    const b = kit.booking(input.bookingId);
    const g = kit.stripe();
    if (!g) refuse(kit, ctx, 'payment.card', b.id, gatewayProblem());
    // terminal-js: the page's SDK owns the reader, so main neither picks nor checks one.
    const sdk = driverInForce(kit) === 'terminal-js';
    const readerId = sdk ? null : chosenReader(kit, ctx, b.id, input.readerId);
    const amount = chooseAmount(kit, ctx, 'payment.card', b, input.amount);
    if (readerId) await checkReaderFree(kit, g, ctx, b.id, readerId, null);
    const at = kit.now().toISOString();
    const id = newId();
    let row: PaymentRow;
    try {
      row = insertRow(id, b, amount, readerId, ctx, at);
    } catch (err) {
      if (err instanceof PosError) refuse(kit, ctx, 'payment.card', b.id, err);
      throw err;
    }
    step('row_written', id);
    changed(row);
    return serial(id, () => begin(row, b, g, ctx));
  }

  function insertRow(id: string, b: BookingDetail, amount: number, readerId: string | null, ctx: Ctx, at: string): PaymentRow {
    kit.db.transaction(() => {
      if (readerId && repo.readerBusy(readerId)) throw new PosError('conflict', 'The reader is busy with another payment. Wait for it to finish, or cancel it.');
      // The reader check awaited Stripe: another payment may have taken part of the balance, or the booking been cancelled, meanwhile.
      const fresh = kit.booking(b.id);
      assertStillPayable(fresh);
      if (available(kit, fresh).due < amount) throw new PosError('conflict', 'The balance changed at the same moment. Look at the balance due again.');
      repo.insert({
        id,
        booking_id: b.id,
        shift_id: null,
        kind: 'charge',
        method: 'card_present',
        status: 'pending',
        amount,
        amount_captured: null,
        currency: b.total.currency,
        idempotency_key: idempotencyKey(id, 'pi'),
        stripe_payment_intent_id: null,
        card_brand: null,
        card_last4: null,
        reader_id: readerId,
        tendered: null,
        change_given: null,
        created_by: ctx.staffId,
        install_id: kit.installId,
        version: 1,
        created_at: at,
        updated_at: at,
      });
      audit(kit, ctx, 'payment.start', 'payment', id, null, { bookingId: b.id, method: 'card_present', amount, currency: b.total.currency, readerId });
    })();
    return load(id);
  }

  async function begin(row: PaymentRow, b: BookingDetail, g: StripeGateway, ctx: Ctx): Promise<CardStarted> {
    // The cart goes to the reader while the PaymentIntent is made (it does not depend on it).
    const display = row.reader_id ? showCart(row, g, b, repo.attemptCount(row.id) + 1) : Promise.resolve();
    let pi: StripePaymentIntent;
    try {
      pi = await g.paymentIntents.create(
        {
          amount: row.amount,
          currency: row.currency.toLowerCase(),
          allowed_payment_method_types: ['card_present'],
          capture_method: 'automatic',
          description: `Booking ${b.ref}`,
          metadata: metadata(row, b, ctx),
        },
        { idempotencyKey: idempotencyKey(row.id, 'create') },
      );
    } catch (err) {
      // Never sent to a reader, so nothing can have been charged, whatever Stripe did with it.
      const e = err instanceof PosError ? err : new PosError('internal', String(err));
      write(load(row.id), { status: 'canceled', error_code: e.code, error_message: e.message }, ctx, 'payment.create_failed', { outcome: 'failed', code: e.code, message: e.message });
      await display;
      throw e;
    }
    // The PaymentIntent id is durable before the reader is asked, so a crash can always find it.
    let r = write(load(row.id), { stripe_payment_intent_id: pi.id, status: 'requires_action' }, ctx, 'payment.intent_created');
    step('intent_created', row.id);
    if (!r.reader_id) {
      sdkWait(r.id);
      return { ...r, clientSecret: pi.client_secret };
    }
    r = await sendToReader(r, g, b, ctx, display);
    return r;
  }

  /**
   * terminal-js: the page's SDK has the PaymentIntent. Reconcile leaves it alone meanwhile; if the
   * page never reports back within the reader timeout, main cancels it at Stripe (a card charged
   * just before wins: cancelNow records what Stripe says).
   */
  function sdkWait(paymentId: string): void {
    waiters.get(paymentId)?.stop();
    const t = setTimeout(() => {
      if (waiters.get(paymentId) !== waiter) return;
      waiters.delete(paymentId);
      void serial(paymentId, () => cancelNow(paymentId, null)).catch(() => undefined);
    }, timeoutMs);
    t.unref?.();
    const waiter: Waiter = {
      readerId: '',
      wake: () => undefined,
      stop: () => {
        clearTimeout(t);
        if (waiters.get(paymentId) === waiter) waiters.delete(paymentId);
      },
    };
    waiters.set(paymentId, waiter);
  }

  /**
   * terminal-js: the page's SDK finished, failed or gave up. What it says is not trusted: main
   * retrieves the PaymentIntent and only Stripe's status decides. A PaymentIntent still waiting
   * for a card with no error means no card was read: failed (retry on the same PaymentIntent).
   */
  async function confirmFromReader(paymentId: string, ctx: Ctx): Promise<PaymentRow> {
    const r0 = load(paymentId);
    own(r0, ctx, 'payment.confirm');
    if (r0.reader_id) refuse(kit, ctx, 'payment.confirm', r0.booking_id, new PosError('conflict', 'That payment is on a reader Keydesk drives itself; it reports its own result.'));
    waiters.get(paymentId)?.stop();
    return serial(paymentId, async () => {
      const r = load(paymentId);
      if (!ACTIVE.has(r.status) || !r.stripe_payment_intent_id) return r;
      const pi = await gatewayOf(kit).paymentIntents.retrieve(r.stripe_payment_intent_id, { expand: ['latest_charge.balance_transaction'] });
      step('before_commit', paymentId);
      const noCard = (pi.status === 'requires_payment_method' || pi.status === 'requires_confirmation') && !pi.last_payment_error;
      return record(r, pi, noCard ? { code: 'interrupted', outcome: 'failed' } : null, ctx);
    });
  }

  /** The booking's lines on the reader's screen: a courtesy, so its failure never stops the charge. */
  function showCart(r: PaymentRow, g: StripeGateway, b: BookingDetail, n: number): Promise<void> {
    const lines = b.quote.lines.filter((l) => l.countsInTotal && l.amount.amount > 0).slice(0, 20);
    return g.readers
      .setDisplay(
        r.reader_id as string,
        {
          type: 'cart',
          cart: {
            currency: r.currency.toLowerCase(),
            line_items: lines.map((l) => ({ description: l.description.slice(0, 60) || l.kind, amount: l.amount.amount, quantity: 1 })),
            total: r.amount,
          },
        },
        { idempotencyKey: idempotencyKey(r.id, `display_${n}`) },
      )
      .then(
        () => undefined,
        () => undefined,
      );
  }

  async function sendToReader(r: PaymentRow, g: StripeGateway, b: BookingDetail, ctx: Ctx, display?: Promise<void>): Promise<PaymentRow> {
    const readerId = r.reader_id as string;
    const pi = r.stripe_payment_intent_id as string;
    const n = repo.attemptCount(r.id) + 1;
    await (display ?? showCart(r, g, b, n));
    try {
      await processOnReader(g, readerId, pi, idempotencyKey(r.id, `process_${n}`));
    } catch (err) {
      const e = err as PosError;
      write(load(r.id), { status: 'failed', error_code: e.code, error_message: e.message }, ctx, 'payment.reader_refused', { outcome: 'failed', code: e.code, message: e.message });
      throw e;
    }
    step('reader_started', r.id);
    const next = load(r.id);
    changed(next);
    watch(next.id, readerId, pi);
    return next;
  }

  /** Polls the reader until its action ends or main's own timeout cancels it. Bounded; runs in the background. */
  function watch(paymentId: string, readerId: string, pi: string): void {
    waiters.get(paymentId)?.stop();
    const waiter: Waiter = watchReader({
      gateway: kit.stripe,
      readerId,
      pi,
      timeoutMs,
      pollMs,
      onFinished: (action) => {
        step('reader_finished', paymentId);
        return settle(paymentId, hintOf(action));
      },
      onTimeout: () => timeOut(paymentId, readerId),
      onEnd: () => {
        if (waiters.get(paymentId) === waiter) waiters.delete(paymentId);
      },
    });
    waiters.set(paymentId, waiter);
  }

  async function timeOut(paymentId: string, readerId: string): Promise<void> {
    const g = kit.stripe();
    if (!g) return;
    await g.readers.cancelAction(readerId, { idempotencyKey: idempotencyKey(paymentId, `timeout_${repo.attemptCount(paymentId) + 1}`) }).catch(() => undefined);
    await settle(paymentId, { code: 'reader_timeout', outcome: 'timed_out' }).catch(() => undefined);
  }

  /** Retrieves the PaymentIntent and records what Stripe says. Safe to call any number of times. */
  function settle(paymentId: string, hint: ReaderHint): Promise<PaymentRow> {
    return serial(paymentId, async () => {
      const r = load(paymentId);
      if (!ACTIVE.has(r.status) || !r.stripe_payment_intent_id) return r;
      const pi = await gatewayOf(kit).paymentIntents.retrieve(r.stripe_payment_intent_id, { expand: ['latest_charge.balance_transaction'] });
      step('before_commit', paymentId);
      return record(r, pi, hint, null);
    });
  }

  function record(r: PaymentRow, pi: StripePaymentIntent, hint: ReaderHint, ctx: Ctx | null): PaymentRow {
    switch (pi.status) {
      case 'succeeded': {
        const charge = typeof pi.latest_charge === 'object' ? pi.latest_charge : null;
        const card = charge?.payment_method_details?.card_present ?? null;
        const bt = charge && typeof charge.balance_transaction === 'object' ? charge.balance_transaction : null;
        const patch: PaymentPatch = {
          status: 'succeeded',
          amount_captured: Math.min(pi.amount_received, r.amount),
          stripe_charge_id: charge?.id ?? (typeof pi.latest_charge === 'string' ? pi.latest_charge : null),
          card_brand: card?.brand ?? null,
          card_last4: card?.last4 ?? null,
          auth_code: card?.receipt?.authorization_code ?? null,
          balance_transaction_id: bt?.id ?? null,
          fee: bt ? bt.fee : null,
          net: bt ? bt.net : null,
          error_code: null,
          error_message: null,
        };
        return write(r, patch, ctx, 'payment.succeeded', { outcome: 'succeeded', code: null, message: null });
      }
      case 'processing':
        return r.status === 'processing' ? r : write(r, { status: 'processing' }, ctx, 'payment.processing');
      case 'requires_capture':
        return write(r, { status: 'authorized' }, ctx, 'payment.authorized');
      case 'canceled':
        return write(r, { status: 'canceled' }, ctx, 'payment.canceled_at_stripe', { outcome: 'canceled', code: null, message: null });
      default: {
        const err = pi.last_payment_error;
        const code = hint?.code ?? err?.decline_code ?? err?.code ?? 'card_declined';
        const outcome = hint?.outcome ?? 'declined';
        const message = declineSentence(code);
        return write(r, { status: 'failed', error_code: code, error_message: message }, ctx, outcome === 'declined' ? 'payment.declined' : 'payment.failed', { outcome, code, message });
      }
    }
  }

  function own(r: PaymentRow, ctx: Ctx, action: string): void {
    if (r.install_id !== kit.installId) {
      refuse(kit, ctx, action, r.booking_id, new PosError('forbidden', 'That payment was started at another counter; only that counter can change it.'));
    }
  }

  async function cancel(paymentId: string, ctx: Ctx): Promise<PaymentRow> {
    const r0 = load(paymentId);
    own(r0, ctx, 'payment.cancel');
    if (r0.status === 'succeeded') refuse(kit, ctx, 'payment.cancel', r0.booking_id, new PosError('conflict', 'That payment has already gone through. Refund it instead if the customer should get the money back.'));
    if (r0.status === 'canceled') return r0;
    waiters.get(paymentId)?.stop();
    return serial(paymentId, () => cancelNow(paymentId, ctx)).catch((err: unknown) => {
      // Stripe did not answer: the reader may still be waiting, so keep watching it.
      const cur = load(paymentId);
      if (cur.status === 'requires_action' && cur.reader_id && cur.stripe_payment_intent_id) watch(cur.id, cur.reader_id, cur.stripe_payment_intent_id);
      throw err;
    });
  }

  async function cancelNow(paymentId: string, ctx: Ctx | null): Promise<PaymentRow> {
    const r = load(paymentId);
    if (FINAL_STATUSES.has(r.status) && r.status !== 'failed') return r;
    const pi = r.stripe_payment_intent_id;
    if (!pi) return write(r, { status: 'canceled' }, ctx, 'payment.cancel', { outcome: 'canceled', code: null, message: null });
    const g = gatewayOf(kit);
    await cancelReaderActionIfOurs(g, r.reader_id, pi, idempotencyKey(r.id, `cancel_action_${repo.attemptCount(r.id) + 1}`));
    const now = await g.paymentIntents.retrieve(pi, { expand: ['latest_charge.balance_transaction'] });
    // The card went through just before the cancel: Stripe's answer wins, the clerk sees "Paid".
    if (now.status === 'succeeded' || now.status === 'processing') return record(r, now, null, ctx);
    if (now.status !== 'canceled') await g.paymentIntents.cancel(pi, {}, { idempotencyKey: idempotencyKey(r.id, 'cancel') });
    return write(r, { status: 'canceled' }, ctx, 'payment.cancel', { outcome: 'canceled', code: null, message: null });
  }

  async function retry(paymentId: string, readerIdIn: string | undefined, ctx: Ctx): Promise<CardStarted> {
    const r0 = load(paymentId);
    own(r0, ctx, 'payment.retry');
    if (r0.status !== 'failed' || !r0.stripe_payment_intent_id) {
      refuse(kit, ctx, 'payment.retry', r0.booking_id, new PosError('conflict', r0.status === 'succeeded' ? 'That payment has already gone through.' : 'Only a declined or failed card payment can be tried again. Charge again instead.'));
    }
    const g = kit.stripe();
    if (!g) refuse(kit, ctx, 'payment.retry', r0.booking_id, gatewayProblem());
    const b = kit.booking(r0.booking_id);
    if (driverInForce(kit) === 'terminal-js') return retryOnSdk(r0, g, b, ctx);
    const readerId = readerIdIn ?? r0.reader_id ?? chosenReader(kit, ctx, b.id, undefined);
    if (readerIdIn) chosenReader(kit, ctx, b.id, readerIdIn);
    // The same amount must still fit in what is due (another payment may have landed meanwhile).
    chooseAmount(kit, ctx, 'payment.retry', b, r0.amount);
    await checkReaderFree(kit, g, ctx, b.id, readerId, r0.id);
    return serial(paymentId, async () => {
      let r = load(paymentId);
      if (r.status !== 'failed') return r;
      const pi = await g.paymentIntents.retrieve(r.stripe_payment_intent_id as string, { expand: ['latest_charge.balance_transaction'] });
      if (pi.status !== 'requires_payment_method' && pi.status !== 'requires_confirmation') {
        r = write(r, { status: 'processing' }, ctx, 'payment.retry_checked');
        return record(r, pi, null, ctx);
      }
      kit.db.transaction(() => {
        if (repo.readerBusy(readerId)) throw new PosError('conflict', 'The reader is busy with another payment. Wait for it to finish, or cancel it.');
        // Checked again in the write: another retry (on another reader) may have taken the balance while Stripe answered.
        const fresh = kit.booking(b.id);
        assertStillPayable(fresh);
        if (available(kit, fresh).due < r.amount) throw new PosError('conflict', 'The balance changed at the same moment. Look at the balance due again.');
        r = write(r, { status: 'requires_action', reader_id: readerId, error_code: null, error_message: null }, ctx, 'payment.retry');
      })();
      return sendToReader(r, g, b, ctx);
    });
  }

  /** terminal-js retry: same PaymentIntent, its client secret back to the page; no reader for main to check. */
  function retryOnSdk(r0: PaymentRow, g: StripeGateway, b: BookingDetail, ctx: Ctx): Promise<CardStarted> {
    chooseAmount(kit, ctx, 'payment.retry', b, r0.amount);
    return serial(r0.id, async () => {
      let r = load(r0.id);
      if (r.status !== 'failed') return r;
      const pi = await g.paymentIntents.retrieve(r.stripe_payment_intent_id as string, { expand: ['latest_charge.balance_transaction'] });
      if (pi.status !== 'requires_payment_method' && pi.status !== 'requires_confirmation') {
        r = write(r, { status: 'processing' }, ctx, 'payment.retry_checked');
        return record(r, pi, null, ctx);
      }
      r = write(r, { status: 'requires_action', reader_id: null, error_code: null, error_message: null }, ctx, 'payment.retry');
      sdkWait(r.id);
      return { ...r, clientSecret: pi.client_secret };
    });
  }

  /**
   * Brings every payment not in a final state in line with Stripe (at start, and when the
   * network returns). A payment whose card was never read is cancelled at Stripe and locally
   * (nothing was charged; the clerk charges again); one Stripe charged is marked paid.
   */
  async function reconcile(): Promise<{ checked: number; changed: number; failed: number }> {
    const out = { checked: 0, changed: 0, failed: 0 };
    for (const r0 of repo.unsettled()) {
      if (r0.install_id !== kit.installId || waiters.has(r0.id) || locks.has(r0.id)) continue;
      out.checked++;
      try {
        const before = r0.status;
        const r = await serial(r0.id, () => reconcileOne(r0.id));
        if (r.status !== before) out.changed++;
      } catch {
        out.failed++;
      }
    }
    return out;
  }

  async function reconcileOne(id: string): Promise<PaymentRow> {
    const r = load(id);
    if (!ACTIVE.has(r.status) && r.status !== 'authorized') return r;
    const interrupted = { outcome: 'canceled' as const, code: 'interrupted', message: declineSentence('interrupted') };
    if (!r.stripe_payment_intent_id) {
      // Never sent to a reader: nothing can have been charged.
      return write(r, { status: 'canceled', error_code: 'interrupted', error_message: interrupted.message }, null, 'payment.reconciled', interrupted);
    }
    const g = gatewayOf(kit);
    const expand = { expand: ['latest_charge.balance_transaction'] };
    let pi = await g.paymentIntents.retrieve(r.stripe_payment_intent_id, expand);
    if (pi.status === 'requires_payment_method' || pi.status === 'requires_confirmation') {
      if (await cancelReaderActionIfOurs(g, r.reader_id, pi.id, idempotencyKey(r.id, 'reconcile_cancel_action'))) pi = await g.paymentIntents.retrieve(pi.id, expand);
    }
    if (pi.status === 'requires_payment_method' || pi.status === 'requires_confirmation') {
      await g.paymentIntents.cancel(pi.id, {}, { idempotencyKey: idempotencyKey(r.id, 'reconcile_cancel') });
      return write(r, { status: 'canceled', error_code: 'interrupted', error_message: interrupted.message }, null, 'payment.reconciled', interrupted);
    }
    return record(r, pi, null, null);
  }

  /** The relay or the demo panel says a reader finished: look now instead of at the next poll. */
  function nudge(readerId: string): void {
    for (const w of waiters.values()) if (w.readerId === readerId) w.wake();
  }

  function stopAll(): void {
    for (const [id, w] of waiters) {
      w.stop();
      waiters.delete(id);
    }
  }

  return { start, cancel, retry, confirmFromReader, settle, reconcile, nudge, stopAll, busy: (id: string) => waiters.has(id) || locks.has(id), waiting: () => waiters.size };
}

export type CardCheckout = ReturnType<typeof createCardCheckout>;

function hintOf(action: StripeReaderAction | null | undefined): ReaderHint {
  if (!action || action.status !== 'failed') return null;
  const apiError = (action as { api_error?: { decline_code?: string; code?: string } | null }).api_error ?? null;
  const code = apiError?.decline_code ?? apiError?.code ?? action.failure_code ?? null;
  if (apiError) return { code, outcome: 'declined' };
  return { code, outcome: code === 'customer_canceled' ? 'canceled' : 'failed' };
}

function gatewayProblem(): PosError {
  return new PosError('configuration', 'This counter has no Stripe key yet, so it cannot take cards. Take cash, or ask a manager to finish setup.');
}
