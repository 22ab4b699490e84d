import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator/server';
import type { Emulator } from '../../../emulator/server';
import { createStripeEventApplier } from '../sync/index';
import { localRefunded, openRefundRig, stripeRefunds } from '../../testing/refundTestKit';
import type { RefundRig } from '../../testing/refundTestKit';

/**
 * The outbox against the emulator's faults. After each case the same check: for every payment,
 * what Stripe refunded equals what the till recorded, and no refund of ours exists twice.
 */
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});

const create = (paymentId: string, amount: number) => ({ paymentId, amount, reasonCode: 'customer_request' as const });

async function agree(rig: RefundRig, payments: { paymentId: string; pi: { id: string } }[]): Promise<void> {
  for (const p of payments) {
    const s = await stripeRefunds(rig.stripe, p.pi.id);
    expect(localRefunded(rig.b, p.paymentId)).toBe(s.total);
    for (const n of s.byOurId.values()) expect(n).toBe(1);
  }
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return check();
}

describe('refund outbox under faults', () => {
  it('network down while 50 refunds are queued: offline, all wait, then all go through once when it returns', async (t) => {
    const rig = await openRefundRig({ emu, noLimits: true });
    t.onTestFinished(() => rig.close());
    const payments = await Promise.all(Array.from({ length: 10 }, () => rig.paidCard(10_000)));
    emu.setFaults({ kind: 'networkDown' });
    t.onTestFinished(() => emu.clearFaults());
    for (let i = 0; i < 50; i++) await rig.ok('refunds.create', create(payments[i % 10]!.paymentId, 1_000 + i), rig.manager);
    expect(await until(() => rig.b.refunds.outbox.online() === false)).toBe(true);
    expect(rig.b.status.current().online).toBe(false);
    const offline = await rig.ok('refunds.list', { filter: 'open' });
    expect(offline.queue.waiting).toBe(50);
    expect(offline.refunds.every((r) => r.status === 'queued' || r.status === 'sending')).toBe(true);
    expect((await stripeRefunds(rig.stripe, payments[0]!.pi.id).catch(() => null))).toBeNull(); // the network really is down
    emu.clearFaults();
    expect(await rig.b.refunds.outbox.drained(20_000)).toBe(true);
    expect(rig.b.refunds.outbox.online()).toBe(true);
    const after = await rig.ok('refunds.list', { filter: 'all', limit: 100 });
    expect(after.refunds.filter((r) => r.status === 'succeeded')).toHaveLength(50);
    await agree(rig, payments);
  });

  it('a 429 storm slows the queue down but loses and doubles nothing', async (t) => {
    const rig = await openRefundRig({ emu, noLimits: true });
    t.onTestFinished(() => rig.close());
    const payments = await Promise.all(Array.from({ length: 4 }, () => rig.paidCard(10_000)));
    emu.setFaults({ kind: 'rateLimit', pathPrefix: '/v1/refunds', count: 30 });
    t.onTestFinished(() => emu.clearFaults());
    for (let i = 0; i < 20; i++) await rig.ok('refunds.create', create(payments[i % 4]!.paymentId, 500), rig.manager);
    expect(await rig.b.refunds.outbox.drained(20_000)).toBe(true);
    expect(emu.dump()).toMatchObject({ faults: [] }); // every 429 was served
    const all = await rig.ok('refunds.list', { filter: 'all' });
    expect(all.refunds.filter((r) => r.status === 'succeeded')).toHaveLength(20);
    expect(all.refunds.some((r) => r.attempts > 1)).toBe(true);
    await agree(rig, payments);
  });

  it('a 500 after Stripe applied the refund: the retry with the same key gets the same refund', async (t) => {
    const rig = await openRefundRig({ emu, noLimits: true });
    t.onTestFinished(() => rig.close());
    const payments = await Promise.all(Array.from({ length: 3 }, () => rig.paidCard(10_000)));
    emu.setTraffic({ error500After: { pathPrefix: '/v1/refunds', method: 'POST', count: 3 } });
    t.onTestFinished(() => emu.setTraffic(null));
    for (const p of payments) await rig.ok('refunds.create', create(p.paymentId, 10_000), rig.manager);
    expect(await rig.b.refunds.outbox.drained(20_000)).toBe(true);
    expect(emu.trafficStats().failedAfter).toBe(3);
    const all = await rig.ok('refunds.list', { filter: 'all' });
    expect(all.refunds.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    await agree(rig, payments);
  });

  it('older than 24 hours: an applied refund is found by the look-up and never sent again; an unsent one is sent after the look-up', async (t) => {
    const rig = await openRefundRig({ emu, noLimits: true, outbox: { perSecond: 500, backoff: { initialMs: 60_000, maxMs: 60_000, factor: 1 }, probeEveryMs: 30 } });
    t.onTestFinished(() => rig.close());
    const applied = await rig.paidCard(10_000);
    const unsent = await rig.paidCard(10_000);
    emu.setTraffic({ error500After: { pathPrefix: '/v1/refunds', method: 'POST', count: 1 } });
    t.onTestFinished(() => emu.setTraffic(null));
    const r1 = await rig.ok('refunds.create', create(applied.paymentId, 4_000), rig.manager);
    expect(await until(() => emu.trafficStats().failedAfter === 1)).toBe(true);
    emu.setTraffic(null);
    emu.setFaults({ kind: 'error500', pathPrefix: '/v1/refunds', method: 'POST', count: 1 });
    const r2 = await rig.ok('refunds.create', create(unsent.paymentId, 3_000), rig.manager);
    expect(await until(() => (emu.dump() as { faults: unknown[] }).faults.length === 0)).toBe(true);
    expect(await until(() => rig.b.db.prepare("SELECT count(*) FROM outbox WHERE status = 'pending' AND attempts = 1").pluck().get() === 2)).toBe(true);
    // A day passes (both clocks): Stripe has forgotten the idempotency keys.
    rig.advanceHours(25);
    const before = emu.dump() as { idempotencyKeys: number };
    expect(before.idempotencyKeys).toBeGreaterThanOrEqual(0);
    rig.b.refunds.outbox.wake();
    expect(await rig.b.refunds.outbox.drained(20_000)).toBe(true);
    expect((await rig.ok('refunds.get', { refundId: r1.id })).status).toBe('succeeded');
    expect((await rig.ok('refunds.get', { refundId: r2.id })).status).toBe('succeeded');
    // The applied one was found, not sent again: had it been sent without the look-up, the expired key would have refunded twice.
    expect((await stripeRefunds(rig.stripe, applied.pi.id)).byOurId.get(r1.id)).toBe(1);
    expect((await stripeRefunds(rig.stripe, unsent.pi.id)).byOurId.get(r2.id)).toBe(1);
    await agree(rig, [applied, unsent]);
  });

  it('two managers race to refund the same payment on two tills: Stripe refunds it once, both tills agree with Stripe', async (t) => {
    const a = await openRefundRig({ emu, noLimits: true });
    const b = await openRefundRig({ emu, noLimits: true });
    t.onTestFinished(async () => {
      await a.close();
      await b.close();
    });
    const onA = await a.paidCard(20_000);
    const onB = await b.paidCard(20_000, { pi: onA.pi });
    await Promise.all([a.ok('refunds.create', create(onA.paymentId, 20_000), a.manager), b.ok('refunds.create', create(onB.paymentId, 15_000), b.manager2)]);
    expect(await a.b.refunds.outbox.drained(20_000)).toBe(true);
    expect(await b.b.refunds.outbox.drained(20_000)).toBe(true);
    // The loser's refund waits on the needs-attention list with a reason and an action; it learned the winner's refund.
    const lists = await Promise.all([a.ok('refunds.list', { filter: 'attention' }, a.manager), b.ok('refunds.list', { filter: 'attention' }, b.manager)]);
    const losers = lists.flatMap((l) => l.refunds);
    expect(losers).toHaveLength(1);
    expect(losers[0]?.attentionAction).toMatch(/already refunded elsewhere/);
    expect(await until(() => localRefunded(a.b, onA.paymentId) === 20_000 || localRefunded(b.b, onB.paymentId) === 15_000)).toBe(true);
    const s = await stripeRefunds(a.stripe, onA.pi.id);
    expect([15_000, 20_000]).toContain(s.total);
    expect(await until(() => localRefunded(a.b, onA.paymentId) === s.total && localRefunded(b.b, onB.paymentId) === s.total)).toBe(true);
    await agree(a, [onA]);
    await agree(b, [onB]);
  });

  it('a refund made in the Dashboard arrives by event: recorded once, counted against the balance; our own refund’s event makes no copy', async (t) => {
    const rig = await openRefundRig({ emu, noLimits: true });
    t.onTestFinished(() => rig.close());
    const p = await rig.paidCard(10_000);
    const applier = createStripeEventApplier(rig.b.db, rig.b.info().installId, () => new Date(), { refund: rig.b.refunds.applyStripeRefund, payment: (type, obj) => rig.b.deposits.api.applyStripeEvent(type, obj) ?? rig.b.payments.api.applyStripeEvent(type, obj) });
    const seen: unknown[] = [];
    const off = emu.onEvent((e) => seen.push(e));
    t.onTestFinished(off);
    await rig.stripe.refunds.create({ payment_intent: p.pi.id, amount: 2_500 }); // the Dashboard
    const ours = await rig.ok('refunds.create', create(p.paymentId, 1_000), rig.manager);
    expect(await rig.b.refunds.outbox.drained(10_000)).toBe(true);
    const batch = seen.map((event, i) => ({ seq: i + 1, event }));
    applier.apply('relay', batch);
    applier.apply('relay', batch); // delivered twice
    const options = await rig.ok('refunds.options', { bookingId: p.bookingId });
    expect(options.refunds).toHaveLength(2);
    expect(options.refunds.find((r) => r.id === ours.id)?.status).toBe('succeeded');
    expect(options.payments[0]?.refundable).toBe(6_500);
    expect((await rig.fail('refunds.create', create(p.paymentId, 6_501), rig.manager)).message).toMatch(/Only €65\.00/);
    await agree(rig, [p]);
  });

  it('the app killed between send and commit: after restart the refund is sent again with the same key and exists once', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'kd-kill-'));
    const dbPath = join(dir, 'till.sqlite');
    const rig = await openRefundRig({ emu, dbPath, start: false, noLimits: true });
    const p = await rig.paidCard(10_000);
    const r = await rig.ok('refunds.create', create(p.paymentId, 7_000), rig.manager);
    rig.b.close();
    // The response is lost after Stripe applied it, and the process dies on Stripe's event: no commit.
    emu.setFaults({ kind: 'drop', after: true, pathPrefix: '/v1/refunds', method: 'POST', count: 5 });
    t.onTestFinished(() => emu.clearFaults());
    const root = resolve(import.meta.dirname, '../../../..');
    const child = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'src/main/testing/refundWorkerChild.ts')], {
      env: { ...process.env, KD_DB: dbPath, KD_DIR: dir, KD_EMU_PORT: String(emu.port), KD_EMU_KEY: emu.apiKey },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const killed = new Promise<void>((res) => child.once('exit', () => res()));
    const off = emu.onEvent((e) => {
      if (e.type === 'refund.created') child.kill('SIGKILL');
    });
    t.onTestFinished(off);
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await killed;
    clearTimeout(timer);
    expect(child.signalCode, out).toBe('SIGKILL');
    emu.clearFaults();
    expect((await stripeRefunds(rig.stripe, p.pi.id)).byOurId.get(r.id)).toBe(1);
    const again = await openRefundRig({ emu, dbPath });
    t.onTestFinished(() => again.close());
    expect(['sending', 'queued']).toContain(again.b.db.prepare('SELECT status FROM refunds WHERE id = ?').pluck().get(r.id));
    expect(await again.b.refunds.outbox.drained(10_000)).toBe(true);
    expect((await again.ok('refunds.get', { refundId: r.id })).status).toBe('succeeded');
    await agree(again, [p]);
  });
});
