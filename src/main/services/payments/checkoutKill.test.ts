import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator/server';
import type { Emulator } from '../../../emulator/server';
import type { CheckoutStep } from './context';
import { openPayShop } from '../../testing/paymentsTestKit';

/**
 * The kill test (issue #12): a checkout runs in a child process that is SIGKILLed right after
 * each step; the till restarts on the same database and reconciles. Whatever the step, Stripe
 * ends with exactly one charge for the booking and the local row says what Stripe says.
 */
const STEPS: CheckoutStep[] = ['row_written', 'intent_created', 'reader_started', 'reader_finished', 'before_commit'];
const CHARGED: ReadonlySet<CheckoutStep> = new Set(['reader_finished', 'before_commit']);
const root = join(__dirname, '../../../..');

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.close());

function runChild(env: Record<string, string>): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'killChild.ts')], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve({ code, signal }) : reject(new Error(`child exited ${code} ${signal}: ${err.slice(-2000)}`))));
  });
}

describe('checkout killed after each step, restarted and reconciled', () => {
  for (const step of STEPS) {
    it(`after "${step}": exactly one charge in the end, and the right local status`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kd-kill-'));
      const dbPath = join(dir, 'keydesk.sqlite');
      const first = await openPayShop({ dbPath, emulator });
      const b = await first.booking();
      const readerId = await first.reader();
      const staffId = first.clerk.staffId as string;
      await first.shutdown();

      const exit = await runChild({ KILL_AT: step, EMU_KEY: emulator.apiKey, EMU_PORT: String(emulator.port), DATA_DIR: dir, DB_PATH: dbPath, BOOKING_ID: b.id, READER_ID: readerId, STAFF_ID: staffId });
      expect(exit.signal).toBe('SIGKILL');

      const shop = await openPayShop({ dbPath, emulator });
      try {
        const rows = () => shop.b.db.prepare('SELECT status FROM payments WHERE booking_id = ? ORDER BY created_at').pluck().all(b.id) as string[];
        expect(rows()).toHaveLength(1);
        const out = await shop.b.payments.api.reconcile();
        expect(out.failed).toBe(0);
        if (CHARGED.has(step)) {
          expect(rows()).toEqual(['succeeded']);
          expect(await shop.charges(b.id)).toHaveLength(1);
        } else {
          // No card was read: nothing charged, the payment is closed, the clerk charges again.
          expect(rows()).toEqual(['canceled']);
          expect(await shop.charges(b.id)).toHaveLength(0);
          const again = await shop.ok('payments.startCard', { bookingId: b.id });
          await shop.ok('readers.simulate', { readerId, outcome: 'approve' });
          expect((await shop.settled(again.id)).status).toBe('succeeded');
          expect(await shop.charges(b.id)).toHaveLength(1);
        }
        expect((await shop.ok('payments.forBooking', { bookingId: b.id })).balanceDue.amount).toBe(0);
        // A second reconcile changes nothing.
        expect((await shop.b.payments.api.reconcile()).changed).toBe(0);
      } finally {
        await shop.shutdown();
      }
    });
  }
});
