import type { BookingPayments, Receipt } from '../../../shared/contract/payments';
import { PosError } from '../../../shared/errors';
import { formatMoney } from '../../../shared/money';
import type { Job } from '../../core/module';
import type { Module } from '../../core/module';
import type { PartialHandlerTable } from '../../core/handlers';
import { newId } from '../../core/ids';
import { createCardCheckout } from './cardCheckout';
import { takeCash } from './cash';
import { createPaymentEventEffects } from './paymentEvents';
import { audit, available, money } from './context';
import type { Ctx, PaymentsDeps, PaymentsKit } from './context';
import { createPaymentsRepo } from './paymentsRepo';
import { toPayment } from './paymentView';
import { createReaders } from './readers';
import { driverInForce, terminalCspSources, terminalScript } from './terminalJs';

export type { PaymentsDeps, CheckoutStep } from './context';
export { inFlightOnBookingSql, paidOnBookingSql } from './paidSql';
export { createSeedPaymentWriter } from './seedPayments';
/** The reader steps a deposit hold shares with the card checkout (deposits drives the same reader). */
export { cancelReaderActionIfOurs, createSerialLocks, processOnReader, watchReader } from './readerSteps';
export type { ReaderWatch } from './readerSteps';

/** What other capabilities may use (bookings' check-out gate, the sync applier's nudge). */
export type PaymentsApi = {
  /** Throws the clerk's sentence when the keys may not go yet: balance due and no manager approval. */
  assertHandoverAllowed(bookingId: string): void;
  /** A `terminal.reader.action_*` event arrived: look at that reader now. */
  readerEvent(readerId: string): void;
  /** Brings every unfinished payment in line with Stripe. */
  reconcile(): Promise<{ checked: number; changed: number; failed: number }>;
  /** The sync applier's hook (payment_intent.*, charge.*, reader actions); see paymentEvents.ts. */
  applyStripeEvent(type: string, obj: Record<string, unknown>): string | null | undefined;
  /** The reader this till charges on (the deposit hold uses it too), or null when none is paired. */
  selectedReaderId(): string | null;
  /** What the page's CSP must add for the Terminal SDK; null unless terminal-js is the driver in force. */
  terminalCsp(): { script: string[]; connect: string[] } | null;
  /** Waits are in the background; tests and shutdown stop them. */
  stop(): void;
};

/** The payments capability (issue #12): card on a reader, cash, split payments, receipts, handover. */
export function createPaymentsModule(deps: PaymentsDeps): Module<PaymentsApi> & { api: PaymentsApi } {
  const kit: PaymentsKit = { ...deps, repo: createPaymentsRepo(deps.db) };
  const card = createCardCheckout(kit);
  const readers = createReaders(kit, (id) => card.nudge(id));

  function overrideOf(bookingId: string) {
    const o = kit.repo.lastOverride(bookingId);
    return o ? { by: o.approver, reason: o.reason, at: o.created_at } : null;
  }

  async function forBooking(bookingId: string): Promise<BookingPayments> {
    const b = kit.booking(bookingId);
    const rows = kit.repo.ofBooking(b.id);
    const payments = rows.map((r) => toPayment(kit, r));
    const a = available(kit, b);
    // A deposit hold on the reader is the Deposit panel's to follow, not the Charge panel's.
    const active = [...payments].reverse().find((p) => p.thisTill && p.kind === 'charge' && p.method === 'card_present' && ['pending', 'requires_action', 'processing'].includes(p.status)) ?? null;
    const reader = await readers.selected().catch(() => null);
    const owed = b.owed.amount;
    const dueNow = owed - a.paid;
    const override = overrideOf(b.id);
    return {
      bookingId: b.id,
      bookingRef: b.ref,
      bookingStatus: b.status,
      total: b.total,
      paid: money(a.paid, b.total.currency),
      balanceDue: money(Math.max(0, dueNow), b.total.currency),
      payments,
      active,
      reader,
      driver: driverInForce(kit),
      handoverAllowed: dueNow <= 0 || override !== null,
      handoverOverride: override,
    };
  }

  async function approveUnpaidHandover(input: { bookingId: string; managerId: string; pin: string; reason: string }, ctx: Ctx): Promise<BookingPayments> {
    const b = kit.booking(input.bookingId);
    const manager = await kit.verifyPin(input.managerId, input.pin);
    if (manager.role !== 'manager') {
      kit.db.transaction(() => audit(kit, ctx, 'handover.unpaid.refused', 'booking', b.id, null, { by: manager.id, reason: 'not a manager' }))();
      throw new PosError('forbidden', `${manager.name} is not a manager. A manager must enter their own PIN.`, { fields: { managerId: 'Not a manager' } });
    }
    const due = Math.max(0, b.owed.amount - available(kit, b).paid);
    kit.db.transaction(() => {
      const id = newId();
      kit.repo.insertOverride({ id, booking_id: b.id, approved_by: manager.id, requested_by: ctx.staffId, reason: input.reason, amount_due: due, currency: b.total.currency, install_id: kit.installId, created_at: kit.now().toISOString() });
      audit(kit, { staffId: manager.id, role: 'manager' }, 'handover.unpaid_approved', 'booking', b.id, null, { amountDue: due, currency: b.total.currency, reason: input.reason, requestedBy: ctx.staffId });
    })();
    kit.emit({ bookingId: b.id, paymentId: null, status: null });
    return forBooking(b.id);
  }

  function assertHandoverAllowed(bookingId: string): void {
    const b = kit.booking(bookingId);
    const a = available(kit, b);
    const due = b.total.amount - a.paid;
    if (due <= 0 || overrideOf(b.id)) return;
    const owed = formatMoney(money(due, b.total.currency), kit.shop().locale);
    throw new PosError('conflict', `${owed} is still due on ${b.ref}. Take the payment before handing over the keys, or ask a manager to approve handing over unpaid.`);
  }

  function receipt(bookingId: string): Receipt {
    const b = kit.booking(bookingId);
    const shop = kit.shop();
    const paid = kit.repo.ofBooking(b.id).filter((r) => r.status === 'succeeded');
    const a = available(kit, b);
    return {
      shop: { name: shop.name, address: '', phone: '' },
      booking: { id: b.id, ref: b.ref, customerName: b.customer.name, vehicle: `${b.vehicle.make} ${b.vehicle.model}`, plate: b.vehicle.plate, pickupAt: b.pickupAt, returnAt: b.returnAt, pickupTimeZone: b.pickupLocation.timeZone, returnTimeZone: b.returnLocation.timeZone },
      lines: b.quote.lines.filter((l) => l.countsInTotal).map((l) => ({ description: l.description || l.kind, amount: l.amount })),
      total: b.total,
      payments: paid.map((r) => ({
        id: r.id,
        method: r.method,
        amount: money(r.amount_captured ?? r.amount, r.currency),
        cardBrand: r.card_brand,
        cardLast4: r.card_last4,
        authCode: r.auth_code,
        stripeId: r.stripe_payment_intent_id,
        tendered: r.tendered === null ? null : money(r.tendered, r.currency),
        change: r.change_given === null ? null : money(r.change_given, r.currency),
        at: r.updated_at,
      })),
      paid: money(a.paid, b.total.currency),
      balanceDue: money(Math.max(0, b.total.amount - a.paid), b.total.currency),
      deposits: kit.depositLines?.(b.id) ?? [],
      printedAt: kit.now().toISOString(),
    };
  }

  /**
   * Cancel and retry are for this capability's card-on-reader charges. A pay link's payment row
   * (method `card`) and a deposit hold belong to the deposits capability: cancelling the row here
   * would free the balance while the link can still be paid, or release a hold behind the
   * Deposit panel's back.
   */
  function assertReaderCharge(paymentId: string, ctx: Ctx, action: string): void {
    const r = kit.repo.get(paymentId);
    if (!r || (r.kind === 'charge' && r.method === 'card_present')) return;
    const why = r.kind === 'deposit_hold'
      ? 'That is a deposit hold. Release or settle it from the booking’s Deposit panel.'
      : r.method === 'card'
        ? 'That payment is a pay link. It stays payable until it expires; check it from the booking’s pay link.'
        : 'That is a cash payment; there is nothing to cancel or try again. Refund it instead.';
    kit.db.transaction(() => audit(kit, ctx, `${action}.refused`, 'booking', r.booking_id, null, { code: 'conflict', reason: why }))();
    throw new PosError('conflict', why);
  }

  /** The payment for the page, with the PaymentIntent's client secret only when the SDK needs it. */
  function started(r: Awaited<ReturnType<typeof card.start>>) {
    return { ...toPayment(kit, r), clientSecret: r.clientSecret ?? null };
  }

  const handlers: PartialHandlerTable = {
    'payments.forBooking': (i) => forBooking(i.bookingId),
    'payments.startCard': async (i, ctx) => started(await card.start(i, ctx)),
    'payments.get': (i) => {
      const r = kit.repo.get(i.paymentId);
      if (!r) throw new PosError('not_found', 'That payment could not be found.');
      return toPayment(kit, r);
    },
    'payments.cancel': async (i, ctx) => {
      assertReaderCharge(i.paymentId, ctx, 'payment.cancel');
      return toPayment(kit, await card.cancel(i.paymentId, ctx));
    },
    'payments.retry': async (i, ctx) => {
      assertReaderCharge(i.paymentId, ctx, 'payment.retry');
      return started(await card.retry(i.paymentId, i.readerId, ctx));
    },
    'payments.confirmFromReader': async (i, ctx) => toPayment(kit, await card.confirmFromReader(i.paymentId, ctx)),
    'payments.cash': (i, ctx) => {
      const out = takeCash(kit, i, ctx);
      return { payment: toPayment(kit, out.row), change: out.change, balanceDue: out.balanceDue, shiftOpenedImplicitly: out.shiftOpenedImplicitly };
    },
    'payments.approveUnpaidHandover': (i, ctx) => approveUnpaidHandover(i, ctx),
    'readers.list': async () => {
      const list = await readers.list();
      const driver = driverInForce(kit);
      const location = kit.repo.readers(kit.installId).find((r) => r.selected === 1)?.stripe_location_id ?? null;
      // Demo: the SDK's own simulated reader (in the token's location); otherwise the location's smart readers.
      const terminalJs = driver === 'terminal-js' ? { scriptUrl: terminalScript(kit).scriptUrl, location, simulated: kit.mode === 'demo' } : null;
      return { driver, readers: list, terminalJs };
    },
    'readers.select': (i, ctx) => readers.select(i.readerId, ctx),
    'readers.simulate': async (i, ctx) => {
      await readers.simulate(i.readerId, i.outcome, ctx);
      return { ok: true as const };
    },
    'readers.connectionToken': async (_i, ctx) => ({ secret: await readers.connectionToken(ctx) }),
    'receipts.get': (i) => receipt(i.bookingId),
  };

  // Reconcile at start and then every minute (which also covers "the network came back").
  let timer: NodeJS.Timeout | null = null;
  const reconcileJob: Job = {
    name: 'payments.reconcile',
    start(report) {
      const run = async () => {
        if (!kit.stripe()) return report('ok', 'No Stripe key yet; nothing to reconcile.');
        const out = await card.reconcile().catch(() => ({ checked: 0, changed: 0, failed: 1 }));
        report(out.failed > 0 ? 'degraded' : 'ok', out.failed > 0 ? `${out.failed} payment(s) could not be checked with Stripe; retrying.` : undefined);
      };
      void run();
      timer = setInterval(() => void run(), 60_000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      card.stopAll();
    },
  };

  const api: PaymentsApi = {
    assertHandoverAllowed,
    readerEvent: (id) => card.nudge(id),
    reconcile: () => card.reconcile(),
    applyStripeEvent: createPaymentEventEffects(kit, card),
    selectedReaderId: () => kit.repo.readers(deps.installId).find((r) => r.selected === 1)?.id ?? null,
    terminalCsp: () => terminalCspSources(kit),
    stop: () => card.stopAll(),
  };
  return { name: 'payments', handlers, jobs: [reconcileJob], api };
}
