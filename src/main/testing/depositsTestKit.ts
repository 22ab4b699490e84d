import { startEmulator } from '../../emulator/server';
import type { Emulator } from '../../emulator/server';
import type { Output } from '../../shared/contract';
import { openPayShop } from './paymentsTestKit';
import type { PayShop } from './paymentsTestKit';
import { MONDAY_8AM } from './testShop';

/**
 * Test-only: a pay shop whose emulator runs on the shop's clock (so Stripe's `capture_before`
 * and the booking's return time are comparable), with helpers for a whole rental.
 */
export type DepositShop = PayShop & {
  /** Moves the shop's clock and the emulator's (which sweeps holds past capture_before). */
  advance(seconds: number): void;
  rental(opts?: { days?: number; cls?: string }): Promise<Output<'bookings.create'>>;
  payRental(bookingId: string): Promise<void>;
  /** Starts the hold and taps a card on the simulated reader; waits until Stripe answered. */
  hold(bookingId: string, card?: string): Promise<Output<'deposits.forBooking'>>;
  until(bookingId: string, pred: (v: Output<'deposits.forBooking'>) => boolean): Promise<Output<'deposits.forBooking'>>;
};

export const VISA = '4242424242424242';
/** JCB: no extended or incremental authorization, so a card_present hold lasts 2 days. */
export const JCB = '3566002020360505';

const at = (day: number, hh: number) => `2025-06-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:00:00+02:00`;

export async function openDepositShop(opts: { dbPath?: string; emulator?: Emulator; clock?: { ms: number } } = {}): Promise<DepositShop> {
  const clock = opts.clock ?? { ms: Date.parse(MONDAY_8AM) };
  const emulator = opts.emulator ?? (await startEmulator({ now: () => clock.ms }));
  const pay = await openPayShop({ ...(opts.dbPath ? { dbPath: opts.dbPath } : {}), emulator });
  pay.clock.now = new Date(emulator.now() * 1000);
  let n = 0;
  const shop: DepositShop = Object.assign(pay, {
    advance(seconds: number) {
      emulator.advanceClock(seconds);
      pay.clock.now = new Date(pay.clock.now.getTime() + seconds * 1000);
    },
    async rental(o: { days?: number; cls?: string } = {}) {
      n++;
      const v = await pay.vehicle({ class: o.cls ?? 'midsize', odometer: 10_000, fuelEighths: 8 });
      const c = await pay.customer({ lastName: `Deposit${n}` });
      return pay.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: at(2, 9), returnAt: at(2 + (o.days ?? 3), 9) });
    },
    async payRental(bookingId: string) {
      const p = await pay.ok('payments.startCard', { bookingId });
      await pay.ok('readers.simulate', { readerId: await pay.reader(), outcome: 'approve' });
      const done = await pay.settled(p.id);
      if (done.status !== 'succeeded') throw new Error(`rental payment ${done.status}`);
    },
    async until(bookingId: string, pred: (v: Output<'deposits.forBooking'>) => boolean) {
      let v = await pay.ok('deposits.forBooking', { bookingId });
      for (let i = 0; i < 1_000 && !pred(v); i++) {
        await new Promise((res) => setTimeout(res, 10));
        v = await pay.ok('deposits.forBooking', { bookingId });
      }
      if (!pred(v)) throw new Error(`deposit never reached the expected state: ${JSON.stringify(v.holds.map((h) => h.state))}`);
      return v;
    },
    async hold(bookingId: string, card = VISA) {
      const started = await pay.ok('deposits.startHold', { bookingId });
      const id = started.active?.paymentId;
      await pay.tap(card);
      return shop.until(bookingId, (v) => v.holds.some((h) => h.paymentId === id && h.state !== 'pending'));
    },
  });
  await pay.reader();
  return shop;
}
