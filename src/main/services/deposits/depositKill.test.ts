import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator/server';
import type { Emulator } from '../../../emulator/server';
import { MONDAY_8AM } from '../../testing/testShop';
import type { SettleStep } from './context';
import { openDepositShop } from '../../testing/depositsTestKit';

/**
 * The settlement is killed (SIGKILL, child process) right after the row is written and right
 * after Stripe captured but before the local commit. The till restarts on the same database and
 * reconciles: Stripe holds exactly one capture of the right amount, and the local rows agree.
 */
const root = join(__dirname, '../../../..');
const clock = { ms: Date.parse(MONDAY_8AM) };
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ now: () => clock.ms });
});
afterAll(async () => emulator.close());

function runChild(env: Record<string, string>): Promise<{ signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'depositKillChild.ts')], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve({ signal }) : reject(new Error(`child exited ${code} ${signal}: ${err.slice(-2000)}`))));
  });
}

const at = (day: number, hh: number) => `2025-06-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:00:00+02:00`;

describe('settlement killed between capture and the local commit', () => {
  for (const step of ['settle_row_written', 'stripe_captured'] as SettleStep[]) {
    it(`after "${step}": one capture at Stripe, the hold captured locally, nothing due`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kd-depkill-'));
      const dbPath = join(dir, 'keydesk.sqlite');
      const first = await openDepositShop({ dbPath, emulator, clock });
      const b = await first.rental({ days: 3 });
      await first.payRental(b.id);
      const held = await first.hold(b.id);
      await first.ok('bookings.checkOut', { id: b.id, odometer: 10_000, fuelEighths: 8 });
      first.clock.now = new Date(at(5, 12));
      const back = await first.ok('bookings.checkIn', { id: b.id, odometer: 10_100, fuelEighths: 5, returnedAt: at(5, 9) });
      const extras = back.total.amount - b.total.amount;
      const staffId = first.clerk.staffId as string;
      const pi = first.b.db.prepare('SELECT stripe_payment_intent_id FROM payments WHERE id = ?').pluck().get(held.active!.paymentId) as string;
      await first.shutdown();

      const exit = await runChild({ KILL_AT: step, EMU_KEY: emulator.apiKey, EMU_PORT: String(emulator.port), DATA_DIR: dir, DB_PATH: dbPath, BOOKING_ID: b.id, STAFF_ID: staffId });
      expect(exit.signal).toBe('SIGKILL');

      const shop = await openDepositShop({ dbPath, emulator, clock });
      try {
        expect(shop.b.db.prepare('SELECT state FROM deposit_holds WHERE payment_id = ?').pluck().get(held.active!.paymentId)).toBe('capturing');
        const out = await shop.b.deposits.api.reconcile();
        expect(out.failed).toBe(0);
        const v = await shop.ok('deposits.forBooking', { bookingId: b.id });
        expect(v.holds[0]).toMatchObject({ state: 'captured', captured: { amount: extras }, released: { amount: 30_000 - extras } });
        const atStripe = await shop.stripe.paymentIntents.retrieve(pi, { expand: ['latest_charge'] });
        expect(atStripe.amount_received).toBe(extras);
        const bts = await shop.stripe.balanceTransactions.list({ limit: 100 });
        expect(bts.data.filter((t) => t.source === (atStripe.latest_charge as { id: string }).id && t.type === 'charge')).toHaveLength(1);
        expect((await shop.ok('bookings.get', { id: b.id })).balanceDue.amount).toBe(0);
        // A second reconcile (or a second settle) changes nothing.
        expect((await shop.b.deposits.api.reconcile()).changed).toBe(0);
        await shop.ok('deposits.settle', { bookingId: b.id });
        expect((await shop.stripe.paymentIntents.retrieve(pi)).amount_received).toBe(extras);
      } finally {
        await shop.shutdown();
      }
    });
  }
});
