import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { contract } from '../../shared/contract';
import { openPayShop } from '../testing/paymentsTestKit';
import type { PayShop } from '../testing/paymentsTestKit';
import { startHttpTransport } from './httpTransport';
import type { HttpTransport } from './httpTransport';

/**
 * Attack at the HTTP transport (what another program on the PC could send with the token) on
 * every method that moves money: hostile amounts and shapes, roles, and 300 wrong PINs at once
 * through every path that asks a manager's PIN. In-process calls run at the same moment.
 */
const TOKEN = 'attack-token-0123456789abcdefghijklmnopqrstuv';
let shop: PayShop;
let http: HttpTransport | null = null;
afterEach(async () => {
  await http?.close();
  http = null;
  await shop?.shutdown();
});

type Answer = { ok: boolean; value?: unknown; error?: { code: string; message: string; fields?: Record<string, string> } };

async function open() {
  shop = await openPayShop();
  const dir = mkdtempSync(join(tmpdir(), 'kd-attack-'));
  mkdirSync(join(dir, 'r'));
  writeFileSync(join(dir, 'r', 'index.html'), '<!doctype html>');
  http = await startHttpTransport({ backend: shop.b, rendererDir: join(dir, 'r'), token: TOKEN, bodyLimit: 64 * 1024, heartbeatMs: 1000 });
  const base = http.url.replace(/\/$/, '');
  const rpc = async (method: string, input: unknown): Promise<Answer> => {
    const res = await fetch(`${base}/rpc/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ input }) });
    return (await res.json()) as Answer;
  };
  const rawRpc = async (method: string, body: string): Promise<Answer> => {
    const res = await fetch(`${base}/rpc/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body });
    return (await res.json()) as Answer;
  };
  return { rpc, rawRpc };
}

function paidSum(s: PayShop, bookingId: string): number {
  return s.b.db.prepare("SELECT coalesce(sum(amount_captured), 0) FROM payments WHERE booking_id = ? AND status = 'succeeded'").pluck().get(bookingId) as number;
}

describe('money methods at the HTTP transport', () => {
  it('hostile amounts and shapes are refused with a sentence and take nothing', async () => {
    const { rpc, rawRpc } = await open();
    expect((await rpc('session.signIn', { staffId: shop.clerk.staffId, pin: '0000' })).ok).toBe(true);
    const b = await shop.booking();
    const bad: unknown[] = [
      { bookingId: b.id, amount: '100', tendered: 100 },
      { bookingId: b.id, amount: 10.5, tendered: 100 },
      { bookingId: b.id, amount: 1e21, tendered: 1e21 },
      { bookingId: b.id, amount: -1, tendered: 100 },
      { bookingId: b.id, amount: 0, tendered: 100 },
      { bookingId: b.id, amount: 100, tendered: -100 },
      { bookingId: b.id, amount: 100, tendered: Number.MAX_SAFE_INTEGER + 2 },
      { bookingId: b.id, amount: [100, 100], tendered: 100 },
      { bookingId: b.id, amount: 100, tendered: 100, currency: 'USD' },
      { bookingId: b.id, amount: 100, tendered: 100, staffId: shop.manager.staffId },
      { bookingId: [b.id, b.id], tendered: 100 },
      { bookingId: Array.from({ length: 5000 }, () => b.id), tendered: 100 },
      { bookingId: 'bk_does_not_exist', tendered: 100 },
      null,
    ];
    for (const input of bad) {
      const out = await rpc('payments.cash', input);
      expect(out.ok, JSON.stringify(input).slice(0, 80)).toBe(false);
      expect(out.error?.message, JSON.stringify(input).slice(0, 80)).toMatch(/[.!]$/);
    }
    // Negative zero cannot be written in JSON; the closest a sender gets is "-0", which parses to -0.
    const negZero = await rawRpc('payments.cash', `{"input":{"bookingId":"${b.id}","amount":-0,"tendered":100}}`);
    expect(negZero.ok).toBe(false);
    const negZeroCard = await rawRpc('payments.startCard', `{"input":{"bookingId":"${b.id}","amount":-0}}`);
    expect(negZeroCard.ok).toBe(false);
    for (const input of [{ paymentId: 'x', amount: '5', reasonCode: 'goodwill' }, { paymentId: 'x', amount: 1e21, reasonCode: 'goodwill' }, { paymentId: 'x', amount: 0.5, reasonCode: 'goodwill' }]) {
      expect((await rpc('refunds.create', input)).ok).toBe(false);
    }
    expect(paidSum(shop, b.id)).toBe(0);
    expect(shop.count('payments')).toBe(0);
  });

  it('a cancelled booking takes no money; a refund of another booking’s payment is what that payment allows; a cash payment is refunded as cash, never to a card', async () => {
    const { rpc } = await open();
    expect((await rpc('session.signIn', { staffId: shop.manager.staffId, pin: '1234' })).ok).toBe(true);
    await shop.reader();
    const b = await shop.booking();
    const paid = (await rpc('payments.cash', { bookingId: b.id, tendered: b.total.amount })) as Answer & { value: { payment: { id: string } } };
    expect(paid.ok).toBe(true);
    const other = await shop.booking();
    await shop.ok('bookings.cancel', { id: other.id, reason: 'attack' }, shop.manager);
    const st = shop.b.db.prepare('SELECT status FROM bookings WHERE id = ?').pluck().get(other.id);
    expect(st).toBe('cancelled');
    {
      // A late cancellation owes its fee (the rate card's): that much and no more can be taken.
      const owed = (await shop.ok('bookings.get', { id: other.id })).owed.amount;
      if (owed > 0) {
        const fee = (await rpc('payments.cash', { bookingId: other.id, tendered: owed + 2_000 })) as Answer & { value: { payment: { amount: { amount: number } } } };
        expect(fee.ok).toBe(true);
        expect(fee.value.payment.amount.amount).toBe(owed);
      }
      for (const m of ['payments.cash', 'payments.startCard']) {
        const out = await rpc(m, m === 'payments.cash' ? { bookingId: other.id, tendered: 100_000 } : { bookingId: other.id });
        expect(out.ok, m).toBe(false);
        expect(out.error?.message).toMatch(/cancelled|Nothing is due/);
      }
    }
    // More than the cash payment, from a manager: refused; the whole of it: out of the drawer, no Stripe call.
    const over = await rpc('refunds.create', { paymentId: paid.value.payment.id, amount: b.total.amount + 1, reasonCode: 'goodwill' });
    expect(over.ok).toBe(false);
    const before = (await shop.stripe.refunds.list({ limit: 100 })).data.length;
    const cashBack = await rpc('refunds.create', { paymentId: paid.value.payment.id, amount: 100, reasonCode: 'goodwill' });
    expect(cashBack.ok, JSON.stringify(cashBack.error)).toBe(true);
    expect((cashBack.value as { method: string }).method).toBe('cash');
    expect((await shop.stripe.refunds.list({ limit: 100 })).data.length).toBe(before);
  });

  it('every method: signed out is refused unless public; a clerk is refused every manager method (contract access = what a clerk can do)', async () => {
    const { rpc } = await open();
    await rpc('session.signOut', {});
    const names = Object.keys(contract) as (keyof typeof contract)[];
    for (const m of names) {
      const access = contract[m].access;
      if (access === 'public') continue;
      const out = await rpc(m, {});
      expect(out.error?.code, `${m} signed out`).toBe('not_signed_in');
    }
    expect((await rpc('session.signIn', { staffId: shop.clerk.staffId, pin: '0000' })).ok).toBe(true);
    for (const m of names) {
      if (contract[m].access !== 'manager') continue;
      const out = await rpc(m, {});
      expect(out.error?.code, `${m} as clerk`).toBe('forbidden');
    }
    // The clerk's own PIN does not make a manager's approval.
    const b = await shop.booking();
    const handover = await rpc('payments.approveUnpaidHandover', { bookingId: b.id, managerId: shop.clerk.staffId, pin: '0000', reason: 'attack' });
    expect(handover.error?.code).toBe('forbidden');
    const dep = await rpc('deposits.override', { bookingId: b.id, amount: 0, reason: 'attack', managerId: shop.clerk.staffId, pin: '0000' });
    expect(dep.error?.code).toBe('forbidden');
  });

  it('300 wrong manager PINs at once through handover, deposit override and refund approvals, over HTTP and in-process: the lockout holds, the right PIN is then refused', async () => {
    const { rpc } = await open();
    expect((await rpc('session.signIn', { staffId: shop.clerk.staffId, pin: '0000' })).ok).toBe(true);
    const b = await shop.booking();
    const paid = await shop.ok('payments.cash', { bookingId: b.id, tendered: b.total.amount });
    const managerId = shop.manager.staffId as string;
    const wrong = (i: number) => String(5000 + i).padStart(4, '0');
    const calls = Array.from({ length: 300 }, (_, i) => {
      const pin = wrong(i);
      const http = i % 2 === 0;
      switch (i % 3) {
        case 0: {
          const input = { bookingId: b.id, managerId, pin, reason: 'attack' };
          return http ? rpc('payments.approveUnpaidHandover', input) : shop.b.call(shop.clerk, 'payments.approveUnpaidHandover', input);
        }
        case 1: {
          const input = { bookingId: b.id, amount: 0, reason: 'attack', managerId, pin };
          return http ? rpc('deposits.override', input) : shop.b.call(shop.clerk, 'deposits.override', input);
        }
        default: {
          const input = { paymentId: paid.payment.id, amount: b.total.amount, reasonCode: 'goodwill' as const, approvals: [{ staffId: managerId, pin }] };
          return http ? rpc('refunds.create', input) : shop.b.call(shop.clerk, 'refunds.create', input);
        }
      }
    });
    const out = (await Promise.all(calls)) as Answer[];
    expect(out.filter((o) => o.ok)).toHaveLength(0);
    // Hashing stopped at the lockout: at most the per-account limit was actually checked.
    const checked = shop.b.db.prepare("SELECT count(*) FROM audit_log WHERE entity_type = 'staff' AND action IN ('staff.pin_check_failed', 'staff.sign_in_failed')").pluck().get() as number;
    expect(checked).toBeLessThanOrEqual(5);
    const right = await rpc('payments.approveUnpaidHandover', { bookingId: b.id, managerId, pin: '1234', reason: 'attack' });
    expect(right.ok).toBe(false);
    expect(shop.count('refunds')).toBe(0);
    expect(shop.b.db.prepare('SELECT count(*) FROM handover_overrides').pluck().get()).toBe(0);
  });
});
