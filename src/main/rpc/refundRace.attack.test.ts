import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/server';
import type { Emulator } from '../../emulator/server';
import { startHttpTransport } from './httpTransport';
import { localRefunded, openRefundRig, stripeRefunds } from '../testing/refundTestKit';

/**
 * Attack: refunds over the refundable amount, all at once, from every door into one database:
 * in-process calls and the HTTP transport of one backend (two windows of one till), and a second
 * backend on the same file (not the design, but nothing above the payment may go out even then).
 */
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => emu.close());

const TOKEN = 'attack-token-0123456789abcdefghijklmnopqrstuv';

describe('refunds over the refundable amount at once', () => {
  it('90 refunds of 1 000 on a 20 000 payment through in-process, HTTP and a second backend on the same file: exactly 20 000 goes back, once each at Stripe', async (t) => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'kd-refrace-')), 'keydesk.db');
    const a = await openRefundRig({ emu, dbPath, noLimits: true });
    const b = await openRefundRig({ emu, dbPath, noLimits: true });
    const dir = mkdtempSync(join(tmpdir(), 'kd-refrace-r-'));
    mkdirSync(join(dir, 'r'));
    writeFileSync(join(dir, 'r', 'index.html'), '<!doctype html>');
    const http = await startHttpTransport({ backend: a.b, rendererDir: join(dir, 'r'), token: TOKEN, bodyLimit: 64 * 1024, heartbeatMs: 1000 });
    t.onTestFinished(async () => {
      await http.close();
      await a.close();
      await b.close();
    });
    const base = http.url.replace(/\/$/, '');
    const rpc = async (method: string, input: unknown) => {
      const res = await fetch(`${base}/rpc/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ input }) });
      return (await res.json()) as { ok: boolean; error?: { message: string } };
    };
    expect((await rpc('session.signIn', { staffId: a.manager.staffId, pin: '1234' })).ok).toBe(true);
    const paid = await a.paidCard(20_000);
    const input = { paymentId: paid.paymentId, amount: 1_000, reasonCode: 'customer_request' as const };
    const calls = Array.from({ length: 90 }, (_, i) => (i % 3 === 0 ? a.b.call(a.manager, 'refunds.create', input) : i % 3 === 1 ? rpc('refunds.create', input) : b.b.call(b.manager, 'refunds.create', input)));
    const out = await Promise.all(calls);
    const ok = out.filter((o) => o.ok).length;
    expect(ok).toBe(20);
    for (const o of out) if (!o.ok) expect(o.error?.message).toMatch(/Nothing is left to refund|can still be refunded|database is busy|try again/);
    expect(await a.b.refunds.outbox.drained(20_000)).toBe(true);
    expect(await b.b.refunds.outbox.drained(20_000)).toBe(true);
    const s = await stripeRefunds(a.stripe, paid.pi.id);
    expect(s.total).toBe(20_000);
    for (const n of s.byOurId.values()) expect(n).toBe(1);
    expect(localRefunded(a.b, paid.paymentId)).toBe(20_000);
  });
});
