// Demo checkout, "Charge" to "Paid": the application's own time with the emulator on loopback
// (same process), the reader's wait excluded. Per checkout:
//   charge = payments.startCard (row, PaymentIntent, reader display, process_payment_intent)
//   paid   = from the reader's "done" signal (the relay's nudge) to the payment committed as succeeded
//            (reader read, PaymentIntent retrieved with its charge and balance transaction, row + audit)
// The customer's tap (present_payment_method) happens between the two and is not counted.
// Run twice: the app's own pragmas, then with PRAGMA synchronous=FULL on the same handle (fsync
// on every commit), since main's connection does not set FULL yet. Prints one JSON line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startEmulator } from '../src/emulator/server';
import { createStripeClient } from '../src/main/stripe/gateway';
import { createStripeAccess } from '../src/main/stripe/stripeGateway';
import { openTestShop } from '../src/main/testing/testShop';
import { percentile, round } from './stats';

const N = Number(process.env.BENCH_CHECKOUTS ?? 500);
const WARMUP = 20;

async function run(synchronousFull: boolean) {
  const emulator = await startEmulator();
  const endpoint = { apiKey: emulator.apiKey, ...emulator.stripeOptions };
  const access = createStripeAccess();
  access.set(endpoint);
  const customerTaps = createStripeClient(endpoint, { maxNetworkRetries: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'kd-bench-checkout-'));
  // Polls far apart: "Paid" is measured from the nudge a relay event gives, not a poll tick.
  const shop = await openTestShop({ dbPath: join(dir, 'keydesk.sqlite'), backend: { stripe: access, payments: { readerPollMs: 60_000, readerTimeoutMs: 600_000 } } });
  if (synchronousFull) shop.b.db.pragma('synchronous = FULL');
  const synchronous = shop.b.db.pragma('synchronous', { simple: true });
  const readers = await shop.ok('readers.list', {});
  const readerId = readers.readers[0]?.id as string;
  const customer = await shop.customer();
  const waiters = new Map<string, () => void>();
  shop.b.events.subscribe((name, payload) => {
    const p = payload as { paymentId: string | null; status: string | null };
    if (name === 'payments.changed' && p.paymentId && p.status === 'succeeded') waiters.get(p.paymentId)?.();
  });

  const charge: number[] = [];
  const paid: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < N + WARMUP; i++) {
    const v = await shop.vehicle({ class: 'compact' });
    const b = await shop.ok('bookings.create', { customerId: customer.id, vehicleId: v.id, pickupAt: '2025-06-02T09:00:00+02:00', returnAt: '2025-06-05T09:00:00+02:00' });
    const t0 = performance.now();
    const p = await shop.ok('payments.startCard', { bookingId: b.id });
    const t1 = performance.now();
    await customerTaps.testHelpers.terminal.readers.presentPaymentMethod(readerId, { type: 'card_present', card_present: { number: '4242424242424242' } });
    const done = new Promise<void>((resolve) => waiters.set(p.id, resolve));
    const t2 = performance.now();
    shop.b.payments.api.readerEvent(readerId);
    await done;
    const t3 = performance.now();
    waiters.delete(p.id);
    if (i < WARMUP) continue;
    charge.push(t1 - t0);
    paid.push(t3 - t2);
    total.push(t1 - t0 + (t3 - t2));
  }
  const check = shop.b.db.prepare("SELECT count(*) FROM payments WHERE status = 'succeeded'").pluck().get() as number;
  if (check !== N + WARMUP) throw new Error(`expected ${N + WARMUP} paid payments, found ${check}`);
  shop.close();
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
  return { synchronous, charge, paid, total };
}

const normal = await run(false);
const full = await run(true);
const SYNC = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];
console.log(
  JSON.stringify({
    bench: 'checkout',
    checkouts: N,
    db_synchronous: SYNC[Number(normal.synchronous)] ?? String(normal.synchronous),
    p50_ms: round(percentile(normal.total, 50), 2),
    p95_ms: round(percentile(normal.total, 95), 2),
    charge_p50_ms: round(percentile(normal.charge, 50), 2),
    paid_p50_ms: round(percentile(normal.paid, 50), 2),
    fsync_full_p50_ms: round(percentile(full.total, 50), 2),
    fsync_full_p95_ms: round(percentile(full.total, 95), 2),
    goal_p95_ms: 20,
  }),
);
