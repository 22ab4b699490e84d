import type { BookingDetail } from '../../../shared/contract/bookings';
import type { DepositPolicy, DepositView, Hold, PayLink } from '../../../shared/contract/deposits';
import type { PaymentHold } from '../../../shared/contract/payments';
import { PosError } from '../../../shared/errors';
import { formatMoney } from '../../../shared/money';
import type { CurrencyCode, Money } from '../../../shared/money';
import { newId } from '../../core/ids';
import type { PartialHandlerTable } from '../../core/handlers';
import type { Job, Module } from '../../core/module';
import { audit, balanceOf, gatewayOf } from './context';
import type { Ctx, DepositsDeps, DepositsKit } from './context';
import { createDepositsRepo } from './depositsRepo';
import type { HoldJoined, LinkRow } from './depositsRepo';
import { createHolds } from './holds';
import { createPayLinks } from './payLinks';
import { parsePolicy, requiredDeposit } from './policy';

export type { DepositsDeps, SettleStep } from './context';

export type DepositsApi = {
  /** The sync applier's hook: a hold's payment_intent.* and checkout.session.*; undefined when not ours. */
  applyStripeEvent(type: string, obj: Record<string, unknown>): string | null | undefined;
  reconcile(): Promise<{ checked: number; changed: number; failed: number }>;
  /** The deposit's lines for the payments receipt: held, captured, released, expired. */
  receiptLines(bookingId: string): Array<{ description: string; amount: Money }>;
  /** One hold's held/captured/released for the payment history; null when the payment is not a hold. */
  holdSummary(paymentId: string): PaymentHold | null;
  stop(): void;
};

/** Deposits and pay-by-link (issue #13): policy, holds on the reader, settlement at return, links. */
export function createDepositsModule(deps: DepositsDeps): Module<DepositsApi> & { api: DepositsApi } {
  const kit: DepositsKit = { ...deps, repo: createDepositsRepo(deps.db) };
  const holds = createHolds(kit, { onHeld: (id) => void finishReauthorize(id).catch(() => undefined) });
  const links = createPayLinks(kit);
  const m = (amount: number, currency: string): Money => ({ amount, currency: currency as CurrencyCode });

  const policy = (): DepositPolicy => parsePolicy(kit.repo.policyJson()?.policy_json, kit.shop().currency);

  function required(b: BookingDetail): { amount: number; reason: string; override: DepositView['override'] } {
    const o = kit.repo.override(b.id);
    if (o) return { amount: o.amount, reason: `Set by ${o.by} for this booking: ${o.reason}`, override: { by: o.by, reason: o.reason, at: o.created_at } };
    const p = policy();
    // Minor units differ between currencies (yen has none): a policy in another currency never sizes a hold.
    if (p.currency !== b.total.currency) return { amount: 0, reason: policyMismatch(p, b), override: null };
    return { ...requiredDeposit(p, b, kit.shop().locale), override: null };
  }

  function policyMismatch(p: DepositPolicy, b: BookingDetail): string {
    return `The deposit policy is in ${p.currency} but ${b.ref} is in ${b.total.currency}. A manager must set the deposit policy in ${b.total.currency} first, or set this booking's deposit by override.`;
  }

  /** What a new hold (or a top-up) asks for: refuses, with the sentence, a policy in another currency. */
  function requiredForHold(b: BookingDetail): { amount: number; reason: string; override: DepositView['override'] } {
    const r = required(b);
    const p = policy();
    if (!r.override && p.currency !== b.total.currency) throw new PosError('conflict', policyMismatch(p, b));
    return r;
  }

  function holdView(h: HoldJoined, b: BookingDetail): Hold {
    const auth = ['held', 'capturing', 'releasing'].includes(h.state) ? holds.authorized(h) : h.amount + kit.repo.increments(h.payment_id).reduce((s, i) => s + i.amount, 0);
    return {
      paymentId: h.payment_id,
      state: h.state,
      authorized: m(auth, h.currency),
      captured: h.captured === null ? null : m(h.captured, h.currency),
      released: h.released === null ? null : m(h.released, h.currency),
      captureBefore: h.capture_before,
      extended: h.extended === 1,
      incremental: h.incremental === 1,
      expiresBeforeReturn: h.state === 'held' && h.capture_before !== null && Date.parse(h.capture_before) < Date.parse(b.returnAt),
      cardBrand: h.card_brand,
      cardLast4: h.card_last4,
      flag: h.flag,
      errorMessage: h.state === 'failed' ? h.error_message : null,
      replacedBy: h.replaced_by,
      createdAt: h.created_at,
    };
  }

  const linkView = (l: LinkRow): PayLink => ({
    id: l.id, bookingId: l.booking_id, paymentId: l.payment_id, amount: m(l.amount, l.currency), status: l.status, url: l.url, expiresAt: l.expires_at, createdAt: l.created_at,
  });

  function view(bookingId: string): DepositView {
    const b = kit.booking(bookingId);
    const cur = b.total.currency;
    const req = required(b);
    const rows = kit.repo.holdsOf(b.id).filter((h) => !h.parent_payment_id);
    const all = rows.map((h) => holdView(h, b));
    const live = all.filter((h) => ['held', 'capturing', 'releasing'].includes(h.state));
    const held = live.reduce((s, h) => s + h.authorized.amount, 0);
    const active = [...all].reverse().find((h) => ['pending', 'held', 'capturing', 'releasing', 'failed'].includes(h.state)) ?? null;
    const { due, inFlight } = balanceOf(kit, b);
    // After the return (or when the booking will not happen) the hold is settled: captured in part, or released.
    const back = ['returned', 'closed', 'cancelled', 'no_show'].includes(b.status);
    const capture = back ? Math.max(0, Math.min(due, held)) : 0;
    return {
      bookingId: b.id,
      bookingRef: b.ref,
      bookingStatus: b.status,
      returnAt: b.returnAt,
      required: m(req.amount, cur),
      reason: req.reason,
      override: req.override,
      held: m(held, cur),
      active,
      holds: all,
      settlement: back ? { due: m(Math.max(0, due), cur), capture: m(capture, cur), release: m(held - capture, cur), remaining: m(Math.max(0, due - capture), cur) } : null,
      links: kit.repo.linksOf(b.id).map(linkView),
      balanceDue: m(Math.max(0, due - inFlight), cur),
    };
  }

  function readerFor(readerId: string | undefined): string {
    const r = readerId ?? kit.selectedReader();
    if (!r) throw new PosError('conflict', 'No card reader is selected on this counter. Pair or pick a reader first.');
    return r;
  }

  async function startHold(bookingId: string, readerId: string | undefined, ctx: Ctx): Promise<DepositView> {
    const b = kit.booking(bookingId);
    gatewayOf(kit);
    if (!['reserved', 'checked_out'].includes(b.status)) throw new PosError('conflict', `${b.ref} is ${b.status.replace('_', ' ')}; a deposit is taken at pickup.`);
    const existing = kit.repo.holdsOf(b.id).filter((h) => !h.parent_payment_id);
    const open = existing.find((h) => ['pending', 'held', 'capturing', 'releasing'].includes(h.state));
    if (open) throw new PosError('conflict', open.state === 'pending' ? 'The reader is already waiting for the deposit card.' : `A deposit is already held on ${b.ref}. Use "Top up" after an extension.`);
    const req = requiredForHold(b);
    if (req.amount <= 0) throw new PosError('conflict', `No deposit is required on ${b.ref}.`);
    const reader = readerFor(readerId);
    const failed = [...existing].reverse().find((h) => h.state === 'failed' && h.stripe_payment_intent_id && h.amount === req.amount);
    if (failed) {
      // A declined card is retried on the same PaymentIntent, never a new one.
      const now = kit.now().toISOString();
      kit.db.transaction(() => {
        if (kit.repo.readerBusy(reader)) throw new PosError('conflict', 'The reader is busy with another payment. Wait for it to finish, or cancel it.');
        kit.repo.updateHold(failed, { state: 'pending' }, now);
        kit.repo.updatePayment(failed.payment_id, { status: 'requires_action', error_code: null, error_message: null }, now);
        audit(kit, ctx, 'deposit.retry', 'payment', failed.payment_id, null, { readerId: reader });
      })();
      await holds.begin(holds.load(failed.payment_id), b, ctx);
      return view(b.id);
    }
    const h = holds.insertHold(b, req.amount, reader, ctx, 'deposit.start', { reason: req.reason });
    await holds.begin(h, b, ctx);
    return view(b.id);
  }

  async function override(input: { bookingId: string; amount: number; reason: string; managerId: string; pin: string }, ctx: Ctx): Promise<DepositView> {
    const b = kit.booking(input.bookingId);
    const manager = await kit.verifyPin(input.managerId, input.pin);
    if (manager.role !== 'manager') {
      kit.db.transaction(() => audit(kit, ctx, 'deposit.override.refused', 'booking', b.id, null, { by: manager.id, reason: 'not a manager' }))();
      throw new PosError('forbidden', `${manager.name} is not a manager. A manager must enter their own PIN.`, { fields: { managerId: 'Not a manager' } });
    }
    const before = required(b);
    kit.db.transaction(() => {
      kit.repo.insertOverride({ id: newId(), booking_id: b.id, amount: input.amount, currency: b.total.currency, reason: input.reason, approved_by: manager.id, install_id: kit.installId, at: kit.now().toISOString() });
      const shown = formatMoney({ amount: input.amount, currency: b.total.currency }, kit.shop().locale);
      audit(kit, { staffId: manager.id, role: 'manager' }, 'deposit.override', 'booking', b.id, { amount: before.amount, reason: before.reason }, {
        amount: input.amount, reason: input.reason, requestedBy: ctx.staffId, summary: `Deposit set to ${shown} by ${manager.name}: ${input.reason}`,
      });
    })();
    return view(b.id);
  }

  /** After an extension: incremental authorization where the card allows it, else a second hold for the difference. */
  async function topUp(bookingId: string, readerId: string | undefined, ctx: Ctx): Promise<DepositView> {
    const b = kit.booking(bookingId);
    const req = requiredForHold(b).amount;
    const v = view(b.id);
    if (v.held.amount >= req) throw new PosError('conflict', `The deposit held (${v.held.amount / 100}) already covers what ${b.ref} needs.`);
    const main = kit.repo.holdsOf(b.id).filter((h) => !h.parent_payment_id && h.state === 'held');
    const inc = main.find((h) => h.incremental === 1);
    if (inc) {
      await holds.increment(inc.payment_id, holds.authorized(inc) + (req - v.held.amount), ctx);
      return view(b.id);
    }
    const h = holds.insertHold(b, req - v.held.amount, readerFor(readerId), ctx, 'deposit.second_hold', { reason: 'extension; the card does not support incremental authorization' });
    await holds.begin(h, b, ctx);
    return view(b.id);
  }

  /** A new hold on the reader for one that lapses (or lapsed) before the return; the old one is released once the new one holds. */
  async function reauthorize(paymentId: string, readerId: string | undefined, ctx: Ctx): Promise<DepositView> {
    const old = holds.load(paymentId);
    const b = kit.booking(old.booking_id);
    if (!['held', 'expired'].includes(old.state)) throw new PosError('conflict', 'Only a held or expired deposit can be re-authorized.');
    const amount = old.state === 'held' ? holds.authorized(old) : Math.max(requiredForHold(b).amount, old.amount);
    const h = holds.insertHold(b, amount, readerFor(readerId), ctx, 'deposit.reauthorize', { replaces: old.payment_id });
    kit.repo.updateHold(holds.load(old.payment_id), { replaced_by: h.payment_id }, kit.now().toISOString());
    await holds.begin(h, b, ctx);
    return view(b.id);
  }

  /** A re-authorization's new hold is in: the hold it replaces is released (if still held) and its flag cleared. */
  async function finishReauthorize(freshId: string): Promise<void> {
    for (const old of kit.repo.replacing(freshId)) {
      if (old.state === 'held') await holds.settleOne(old.payment_id, 0, null);
      const cur = holds.load(old.payment_id);
      if (cur.flag) kit.db.transaction(() => {
        kit.repo.updateHold(cur, { flag: null }, kit.now().toISOString());
        audit(kit, null, 'deposit.flag_cleared', 'payment', cur.payment_id, { flag: cur.flag }, { replacedBy: freshId });
      })();
    }
  }

  async function settle(bookingId: string, ctx: Ctx): Promise<DepositView> {
    const b = kit.booking(bookingId);
    const out = await holds.settle(b, ctx);
    const f = (n: number) => formatMoney({ amount: n, currency: b.total.currency }, kit.shop().locale);
    const summary = `Deposit settled: ${f(out.captured)} captured, ${f(out.released)} released${out.remaining > 0 ? `, ${f(out.remaining)} still due` : ''}`;
    kit.db.transaction(() => audit(kit, ctx, 'deposit.settled', 'booking', b.id, null, { ...out, summary }))();
    return view(b.id);
  }

  function expiring() {
    const out = [];
    for (const h of [...kit.repo.openHolds(), ...kit.repo.flaggedHolds()]) {
      const b = kit.booking(h.booking_id);
      if (['returned', 'closed', 'cancelled', 'no_show'].includes(b.status)) continue;
      const v = holdView(h, b);
      const replacement = h.replaced_by ? kit.repo.hold(h.replaced_by) : undefined;
      if (replacement && replacement.state === 'held') continue;
      if (!v.expiresBeforeReturn && !h.flag) continue;
      out.push({ bookingId: b.id, bookingRef: b.ref, customerName: b.customer.name, plate: b.vehicle.plate, returnAt: b.returnAt, hold: v });
    }
    return out.sort((a, c) => (a.hold.captureBefore ?? '').localeCompare(c.hold.captureBefore ?? ''));
  }

  async function refresh(bookingId: string): Promise<DepositView> {
    for (const h of kit.repo.holdsOf(bookingId)) if (!h.parent_payment_id && ['pending', 'held', 'failed'].includes(h.state) && !holds.busy(h.payment_id)) await holds.refresh(h.payment_id);
    for (const l of kit.repo.linksOf(bookingId)) if (l.status === 'open' || l.status === 'creating') await links.refresh(l.id);
    return view(bookingId);
  }

  async function reconcile(): Promise<{ checked: number; changed: number; failed: number }> {
    const h = await holds.reconcile();
    const l = await links.reconcile();
    return { checked: h.checked + l.checked, changed: h.changed, failed: h.failed + l.failed };
  }

  const handlers: PartialHandlerTable = {
    'deposits.policy': () => policy(),
    'deposits.setPolicy': (i, ctx) => {
      const shopCurrency = kit.shop().currency;
      if (i.policy.currency !== shopCurrency) {
        throw new PosError('invalid_input', `The deposit policy must be in the shop's currency, ${shopCurrency}, not ${i.policy.currency}.`, { fields: { 'policy.currency': `Use ${shopCurrency}` } });
      }
      const before = policy();
      kit.db.transaction(() => {
        kit.repo.setPolicy(JSON.stringify(i.policy), ctx.staffId, kit.installId, kit.now().toISOString());
        audit(kit, ctx, 'deposit.policy', 'settings', null, before, i.policy);
      })();
      return policy();
    },
    'deposits.forBooking': (i) => view(i.bookingId),
    'deposits.override': (i, ctx) => override(i, ctx),
    'deposits.startHold': (i, ctx) => startHold(i.bookingId, i.readerId, ctx),
    'deposits.cancelHold': async (i, ctx) => view((await holds.cancel(i.paymentId, ctx)).booking_id),
    'deposits.settle': (i, ctx) => settle(i.bookingId, ctx),
    'deposits.reauthorize': (i, ctx) => reauthorize(i.paymentId, i.readerId, ctx),
    'deposits.topUp': (i, ctx) => topUp(i.bookingId, i.readerId, ctx),
    'deposits.refresh': (i) => refresh(i.bookingId),
    'deposits.expiring': () => expiring(),
    'paylinks.create': async (i, ctx) => linkView(await links.create(kit.booking(i.bookingId), ctx)),
    'paylinks.refresh': async (i) => linkView(await links.refresh(i.linkId)),
  };

  // The hold-expiry sweep: at start and then every few minutes, every open hold and link agrees with Stripe.
  let timer: NodeJS.Timeout | null = null;
  const sweep: Job = {
    name: 'deposits.sweep',
    start(report) {
      const run = async () => {
        if (!kit.stripe()) return report('ok', 'No Stripe key yet; no deposits to check.');
        const out = await reconcile().catch(() => ({ checked: 0, changed: 0, failed: 1 }));
        report(out.failed > 0 ? 'degraded' : 'ok', out.failed > 0 ? `${out.failed} deposit(s) or link(s) could not be checked with Stripe; retrying.` : undefined);
      };
      void run();
      timer = setInterval(() => void run(), kit.sweepEveryMs ?? 10 * 60_000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      holds.stop();
    },
  };

  function receiptLines(bookingId: string): Array<{ description: string; amount: Money }> {
    const out: Array<{ description: string; amount: Money }> = [];
    const b = kit.booking(bookingId);
    for (const h of kit.repo.holdsOf(bookingId).filter((x) => !x.parent_payment_id)) {
      const v = holdView(h, b);
      const card = h.card_brand ? ` on ${h.card_brand.toUpperCase()} •••• ${h.card_last4}` : '';
      if (['pending', 'failed', 'canceled'].includes(h.state)) continue;
      out.push({ description: `Deposit held${card}`, amount: v.authorized });
      if (v.captured && v.captured.amount > 0) out.push({ description: 'Captured from the deposit', amount: v.captured });
      if (h.state === 'expired') out.push({ description: 'Deposit hold expired (nothing taken)', amount: v.authorized });
      else if (v.released && v.released.amount > 0) out.push({ description: 'Released back to the card (never taken)', amount: v.released });
    }
    return out;
  }

  function holdSummary(paymentId: string): PaymentHold | null {
    const h = kit.repo.hold(paymentId);
    if (!h) return null;
    // A top-up is its own row: its own amount, and what of it the settlement captured or let go.
    if (h.parent_payment_id) return { state: h.state, authorized: m(h.amount, h.currency), captured: h.captured === null ? null : m(h.captured, h.currency), released: h.released === null ? null : m(h.released, h.currency), topUpOf: h.parent_payment_id };
    const v = holdView(h, kit.booking(h.booking_id));
    return { state: v.state, authorized: v.authorized, captured: v.captured, released: v.released, topUpOf: null };
  }

  const api: DepositsApi = {
    receiptLines,
    holdSummary,
    applyStripeEvent: (type, obj) => (type.startsWith('checkout.session.') ? links.applyEvent(type, obj) : type.startsWith('payment_intent.') ? holds.applyEvent(type, obj) : undefined),
    reconcile,
    stop: () => holds.stop(),
  };
  return { name: 'deposits', handlers, jobs: [sweep], api };
}
