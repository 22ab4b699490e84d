import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../core/audit';
import { openPayShop } from '../../testing/paymentsTestKit';

/**
 * Attack: the app is killed (SIGKILL) while it takes cash payments one after another. The cash
 * payment, its drawer movement and its audit row are one transaction: after a restart every cash
 * payment has both, the balance counts each once, and the audit chain still verifies.
 */
const root = join(__dirname, '../../../..');

function runUntilKilled(env: Record<string, string>, afterLines: number): Promise<{ signal: NodeJS.Signals | null; lines: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'cashKillChild.ts')], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = 0;
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      lines += d.toString().split('\n').length - 1;
      if (lines >= afterLines && child.exitCode === null) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve({ signal, lines }) : reject(new Error(`child exited ${code} ${signal}: ${err.slice(-2000)}`))));
  });
}

describe('killed while taking cash', () => {
  it('SIGKILL in the middle of a run of cash payments: every payment has its drawer movement and audit row after restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kd-cashkill-'));
    const dbPath = join(dir, 'keydesk.sqlite');
    const first = await openPayShop({ dbPath });
    const b = await first.booking({ days: 10 });
    const staffId = first.clerk.staffId as string;
    await first.shutdown();

    const run = await runUntilKilled({ DATA_DIR: dir, DB_PATH: dbPath, BOOKING_ID: b.id, STAFF_ID: staffId }, 30);
    expect(run.signal).toBe('SIGKILL');

    const shop = await openPayShop({ dbPath });
    try {
      const db = shop.b.db;
      const n = db.prepare("SELECT count(*) FROM payments WHERE booking_id = ? AND method = 'cash'").pluck().get(b.id) as number;
      expect(n).toBeGreaterThanOrEqual(30);
      const movements = db.prepare('SELECT count(*) FROM cash_movements cm JOIN payments p ON p.id = cm.payment_id WHERE p.booking_id = ?').pluck().get(b.id);
      expect(movements).toBe(n);
      const audited = db.prepare("SELECT count(DISTINCT entity_id) FROM audit_log WHERE action = 'payment.cash' AND entity_id IN (SELECT id FROM payments WHERE booking_id = ?)").pluck().get(b.id);
      expect(audited).toBe(n);
      expect(verifyAuditChain(db)).toBeNull();
      const pay = await shop.ok('payments.forBooking', { bookingId: b.id });
      expect(pay.paid.amount).toBe(n);
      expect(pay.balanceDue.amount).toBe(b.total.amount - n);
      // The rest is taken once, exactly the balance.
      const rest = await shop.ok('payments.cash', { bookingId: b.id, tendered: b.total.amount });
      expect(rest.payment.amount.amount).toBe(b.total.amount - n);
    } finally {
      await shop.shutdown();
    }
  });
});
