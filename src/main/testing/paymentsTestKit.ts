import { startEmulator } from '../../emulator/server';
import type { Emulator } from '../../emulator/server';
import type { Output } from '../../shared/contract';
import { openTestShop } from './testShop';
import type { TestShop } from './testShop';
import { createStripeClient } from '../stripe/gateway';
import { createStripeAccess } from '../stripe/stripeGateway';
import type { StripeClient, StripePaymentIntent } from '../stripe/stripeGateway';
import type { PaymentsDeps } from '../services/payments/context';
import { createStripeEventApplier } from '../services/sync/index';
import type { StripeEventApplier } from '../services/sync/index';

/**
 * Test-only: a test shop wired to a fresh emulator through the real `stripe` client, with the
 * handover gate on, short reader polls, and helpers that read the emulator's own ledger.
 */
export type PayShop = TestShop & {
  emulator: Emulator;
  /** A plain stripe-node client on the emulator, for checking what Stripe itself holds. */
  stripe: StripeClient;
  booking(opts?: { days?: number }): Promise<Output<'bookings.create'>>;
  reader(): Promise<string>;
  /** Waits (bounded) until the payment leaves the in-flight states; returns it. */
  settled(paymentId: string): Promise<Output<'payments.get'>>;
  /** Succeeded PaymentIntents at the emulator for a booking (Stripe's view of "charged"). */
  charges(bookingId: string): Promise<StripePaymentIntent[]>;
  /** Waits (bounded) until the reader waits for a card, then taps one on the simulated reader. */
  tap(card?: string, readerId?: string): Promise<void>;
  /** Feeds events through the app's applier, wired as backend.ts wires it (default: every event the emulator holds, oldest first). */
  relay(events?: readonly unknown[]): Promise<ReturnType<StripeEventApplier['apply']>>;
  shutdown(): Promise<void>;
};

const at = (day: number, hh: number) => `2025-06-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:00:00+02:00`;

export async function openPayShop(opts: { dbPath?: string; payments?: Partial<Pick<PaymentsDeps, 'readerTimeoutMs' | 'readerPollMs' | 'onStep'>>; emulator?: Emulator } = {}): Promise<PayShop> {
  const emulator = opts.emulator ?? (await startEmulator());
  const access = createStripeAccess();
  const endpoint = { apiKey: emulator.apiKey, ...emulator.stripeOptions };
  access.set(endpoint, { backoff: { initialMs: 5, maxMs: 40, factor: 2 }, timeoutMs: 5_000 });
  const shop = await openTestShop({
    ...(opts.dbPath ? { dbPath: opts.dbPath } : {}),
    backend: { stripe: access, requirePaymentAtHandover: true, payments: { readerPollMs: 10, readerTimeoutMs: 20_000, ...opts.payments } },
  });
  const stripe = createStripeClient(endpoint, { maxNetworkRetries: 0 });
  const applier = appApplier(shop);
  let seq = 0;
  let vehicles = 0;
  const pay: PayShop = Object.assign(shop, {
    emulator,
    stripe,
    async booking(o: { days?: number } = {}) {
      vehicles++;
      const v = await shop.vehicle({ class: 'midsize' });
      const c = await shop.customer({ lastName: `Payer${vehicles}` });
      return shop.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: at(2, 9), returnAt: at(2 + (o.days ?? 3), 9) });
    },
    async reader() {
      const list = await shop.ok('readers.list', {});
      const r = list.readers.find((x) => x.selected);
      if (!r) throw new Error('no selected reader');
      return r.id;
    },
    async settled(paymentId: string) {
      for (let i = 0; i < 2_000; i++) {
        const p = await shop.ok('payments.get', { paymentId });
        if (!['pending', 'requires_action', 'processing'].includes(p.status)) return p;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`payment ${paymentId} never settled`);
    },
    async charges(bookingId: string) {
      const all = await stripe.paymentIntents.list({ limit: 100 });
      return all.data.filter((pi) => pi.metadata.booking_id === bookingId && pi.status === 'succeeded');
    },
    async tap(card = '4242424242424242', readerId?: string) {
      const id = readerId ?? (await pay.reader());
      for (let i = 0; i < 500; i++) {
        const r = await stripe.terminal.readers.retrieve(id);
        if (!('deleted' in r) && r.action?.status === 'in_progress') break;
        await new Promise((res) => setTimeout(res, 10));
      }
      await stripe.testHelpers.terminal.readers.presentPaymentMethod(id, { type: 'card_present', card_present: { number: card } });
    },
    async relay(events?: readonly unknown[]) {
      const list = events ?? [...(await stripe.events.list({ limit: 100 })).data].reverse();
      return applier.apply('test', list.map((event) => ({ seq: ++seq, event })));
    },
    async shutdown() {
      shop.close();
      if (!opts.emulator) await emulator.close();
    },
  });
  return pay;
}

/** The sync applier on a test shop with the hooks backend.ts gives it: the one way tests play the relay. */
export function appApplier(shop: Pick<TestShop, 'b'> & { clock?: TestShop['clock'] }): StripeEventApplier {
  const b = shop.b;
  return createStripeEventApplier(b.db, b.info().installId, () => shop.clock?.now ?? new Date(), {
    refund: b.refunds.applyStripeRefund,
    payment: (type, obj) => b.deposits.api.applyStripeEvent(type, obj) ?? b.payments.api.applyStripeEvent(type, obj),
  });
}
