import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import type { Input, MethodName, Output } from '../../shared/contract';
import type { PosErrorShape } from '../../shared/errors';
import { startEmulator } from '../../emulator/server';
import type { Emulator } from '../../emulator/server';
import { createBackend } from '../backend';
import type { Backend, BackendOptions } from '../backend';
import type { CallContext } from '../core/handlers';
import { newId } from '../core/ids';
import { memoryLogger } from '../log';
import { callsOn } from './testShop';

/**
 * A till wired to an emulator for refund tests: a clock that runs with real time (the outbox
 * waits in real milliseconds) plus an offset a test moves (`advanceHours` moves the emulator's
 * clock too), the refund worker connected and started, and helpers that make paid card
 * payments at the emulator and record them locally. The payments capability has no api to
 * record a payment yet, so `paidCard` writes the payments row with plain SQL (test only).
 */
type PaidOpts = { bookingId?: string; pi?: Stripe.PaymentIntent; /** The test PaymentMethod paid with (default pm_card_visa). */ paymentMethod?: string; kind?: 'charge' | 'deposit_hold'; status?: 'succeeded' | 'authorized' };

export type RefundRig = {
  b: Backend;
  emu: Emulator;
  stripe: Stripe;
  manager: CallContext;
  manager2: CallContext;
  clerk: CallContext;
  /** PINs of the demo staff, by id. */
  pins: Record<string, string>;
  ok<M extends MethodName>(method: M, input: Input<M>, ctx?: CallContext): Promise<Output<M>>;
  fail<M extends MethodName>(method: M, input: Input<M>, ctx?: CallContext): Promise<PosErrorShape>;
  paidCard(amount: number, opts?: PaidOpts): Promise<{ paymentId: string; bookingId: string; pi: Stripe.PaymentIntent }>;
  /** A cash payment (no Stripe) and, for cash refunds, an open shift with its float (shifts have no api yet). */
  paidCash(amount: number): { paymentId: string; bookingId: string };
  openShift(openingFloat: number): string;
  advanceHours(hours: number): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  close(): Promise<void>;
};

export async function openRefundRig(opts: { emu?: Emulator; dbPath?: string; outbox?: BackendOptions['outbox']; refundsPending?: BackendOptions['refundsPending']; start?: boolean; noLimits?: boolean } = {}): Promise<RefundRig> {
  const emu = opts.emu ?? (await startEmulator());
  const ownEmu = !opts.emu;
  let offsetMs = 0;
  const dir = mkdtempSync(join(tmpdir(), 'kd-refund-'));
  const b = createBackend({
    dataDir: dir,
    dbPath: opts.dbPath ?? ':memory:',
    version: 'test',
    transport: 'http',
    log: memoryLogger(),
    now: () => new Date(Date.now() + offsetMs),
    demoSeed: { full: false },
    outbox: opts.outbox ?? { perSecond: 500, concurrency: 8, backoff: { initialMs: 20, maxMs: 200, factor: 2 }, ratePause: { initialMs: 10, maxMs: 100, factor: 2 }, probeEveryMs: 30 },
    ...(opts.refundsPending ? { refundsPending: opts.refundsPending } : {}),
  });
  const stripe = new Stripe(emu.apiKey, { ...emu.stripeOptions, maxNetworkRetries: 2 });
  b.refunds.connect({ apiKey: emu.apiKey, ...emu.stripeOptions });
  const staff = b.db.prepare('SELECT id, role FROM staff ORDER BY created_at, id').all() as { id: string; role: 'manager' | 'clerk' }[];
  // A second manager for two-manager approvals (demo seeds one).
  const m2 = b.db.prepare("SELECT id FROM staff WHERE role = 'manager' ORDER BY id").all() as { id: string }[];
  const pins: Record<string, string> = {};
  let manager2Id = m2[1]?.id;
  if (!manager2Id) {
    // Test-only: hashes with the same scrypt as everywhere else through the staff service's seeding path.
    const { hashPinSync } = await import('../services/staff/pinHash');
    manager2Id = newId();
    const at = new Date().toISOString();
    b.db
      .prepare("INSERT INTO staff (id, name, role, pin_hash, failed_attempts, locked_until, active, install_id, version, created_at, updated_at) VALUES (?, 'Second Manager', 'manager', ?, 0, NULL, 1, 'test', 1, ?, ?)")
      .run(manager2Id, hashPinSync('2468'), at, at);
    pins[manager2Id] = '2468';
  }
  const ctx = (role: 'manager' | 'clerk', id?: string): CallContext => ({ role, staffId: id ?? staff.find((s) => s.role === role)?.id ?? null, transport: 'internal' });
  const manager = ctx('manager');
  const clerk = ctx('clerk');
  const manager2 = ctx('manager', manager2Id);
  if (manager.staffId) pins[manager.staffId] = '1234';
  if (clerk.staffId) pins[clerk.staffId] = '0000';

  const { ok, fail } = callsOn(b, clerk);

  let bookingNo = 0;
  function booking(): string {
    const at = new Date().toISOString();
    const loc = (b.db.prepare('SELECT id FROM locations LIMIT 1').get() as { id: string }).id;
    const n = `${process.pid}${++bookingNo}`;
    const cust = newId();
    const veh = newId();
    const id = newId();
    b.db.prepare(
      `INSERT INTO customers (id, first_name, last_name, email, phone, licence_number, licence_expiry, date_of_birth, install_id, created_at, updated_at)
       VALUES (?, 'Anna', 'de Vries', 'anna@example.com', '+31 6 1234 5678', ?, '2031-01-31', '1985-04-12', 'test', ?, ?)`,
    ).run(cust, `L${n}`, at, at);
    b.db.prepare(
      `INSERT INTO vehicles (id, plate, make, model, class, odometer, fuel_eighths, install_id, created_at, updated_at)
       VALUES (?, ?, 'Volkswagen', 'Golf', 'compact', 1000, 8, 'test', ?, ?)`,
    ).run(veh, `RF-${n}`, at, at);
    b.db.prepare(
      `INSERT INTO bookings (id, ref, status, customer_id, vehicle_id, vehicle_class, pickup_location_id, return_location_id, pickup_at, return_at, total, currency, install_id, created_at, updated_at)
       VALUES (?, ?, 'returned', ?, ?, 'compact', ?, ?, '2025-06-02T08:00:00.000Z', '2025-06-03T08:00:00.000Z', 5000, 'EUR', 'test', ?, ?)`,
    ).run(id, `KD-R${n}`, cust, veh, loc, loc, at, at);
    return id;
  }

  async function paidCard(amount: number, o: PaidOpts = {}) {
    const pi = o.pi ?? (await stripe.paymentIntents.create({ amount, currency: 'eur', payment_method: o.paymentMethod ?? 'pm_card_visa', confirm: true, payment_method_types: ['card'] } as Stripe.PaymentIntentCreateParams));
    const status = o.status ?? 'succeeded';
    if (pi.status !== (status === 'authorized' ? 'requires_capture' : 'succeeded')) throw new Error(`test payment is ${pi.status}`);
    const bookingId = o.bookingId ?? booking();
    const paymentId = newId();
    const at = new Date().toISOString();
    b.db.prepare(
      `INSERT INTO payments (id, booking_id, kind, method, status, amount, amount_captured, currency, idempotency_key, stripe_payment_intent_id, stripe_charge_id,
         card_brand, card_last4, install_id, created_at, updated_at)
       VALUES (?, ?, ?, 'card', ?, ?, ?, 'EUR', ?, ?, ?, 'visa', '4242', 'test', ?, ?)`,
    ).run(paymentId, bookingId, o.kind ?? 'charge', status, pi.amount, status === 'succeeded' ? pi.amount_received : null, `test_${paymentId}`, pi.id, typeof pi.latest_charge === 'string' ? pi.latest_charge : null, at, at);
    return { paymentId, bookingId, pi };
  }

  function paidCash(amount: number) {
    const bookingId = booking();
    const paymentId = newId();
    const at = new Date().toISOString();
    b.db.prepare(
      `INSERT INTO payments (id, booking_id, kind, method, status, amount, amount_captured, currency, idempotency_key, install_id, created_at, updated_at)
       VALUES (?, ?, 'charge', 'cash', 'succeeded', ?, ?, 'EUR', ?, 'test', ?, ?)`,
    ).run(paymentId, bookingId, amount, amount, `test_${paymentId}`, at, at);
    return { paymentId, bookingId };
  }
  function openShift(openingFloat: number) {
    const id = newId();
    const at = new Date().toISOString();
    b.db.prepare(
      `INSERT INTO shifts (id, status, opened_by, opened_at, opening_float, currency, install_id, created_at, updated_at)
       VALUES (?, 'open', ?, ?, ?, 'EUR', ?, ?, ?)`,
    ).run(id, manager.staffId, at, openingFloat, b.info().installId, at, at);
    return id;
  }

  let started = false;
  const jobs = b.refunds.jobs;
  const rig: RefundRig = {
    b,
    emu,
    stripe,
    manager,
    manager2,
    clerk,
    pins,
    ok,
    fail,
    paidCard,
    paidCash,
    openShift,
    advanceHours(hours) {
      offsetMs += hours * 3600_000;
      emu.advanceClock(hours * 3600);
    },
    async start() {
      if (started) return;
      started = true;
      for (const j of jobs) await j.start(() => {});
    },
    async stop() {
      if (!started) return;
      started = false;
      for (const j of jobs) await j.stop();
    },
    async close() {
      await rig.stop();
      b.close();
      if (ownEmu) await emu.close();
    },
  };
  // Fault tests queue many refunds: no hourly or daily limits, no approvals below 1,000.00.
  if (opts.noLimits) await ok('refunds.setPolicy', { pinAbove: 100_000, twoManagersAbove: 0, perStaffPerHour: 0, tillDailyCap: 0, shopDailyCap: 0 }, manager);
  if (opts.start !== false) await rig.start();
  return rig;
}

/** Stripe's view: per PaymentIntent, the money refunded (releases of holds left out) and the refunds. */
export async function stripeRefunds(stripe: Stripe, pi: string): Promise<{ total: number; byOurId: Map<string, number> }> {
  const list = await stripe.refunds.list({ payment_intent: pi, limit: 100 });
  let total = 0;
  const byOurId = new Map<string, number>();
  for (const r of list.data) {
    if (r.destination_details?.card?.type === 'reversal') continue;
    if (r.status === 'succeeded' || r.status === 'pending') total += r.amount;
    const ours = r.metadata?.refund_id;
    if (ours) byOurId.set(ours, (byOurId.get(ours) ?? 0) + 1);
  }
  return { total, byOurId };
}

/** The till's view: money refunded or on its way at Stripe for a payment (succeeded + pending card refunds). */
export function localRefunded(b: Backend, paymentId: string): number {
  return (b.db.prepare("SELECT coalesce(sum(amount), 0) AS n FROM refunds WHERE payment_id = ? AND method = 'card' AND status IN ('succeeded', 'pending')").get(paymentId) as { n: number }).n;
}
