/**
 * Drains 1,000 queued refunds through the outbox against the emulator with 10% transient
 * failures (500s before the refund takes effect) and Stripe's test-mode limit of 25 requests/s
 * (429 beyond it). The limit sets the floor: about 1,111 requests at 25/s is 44.4 s.
 * Reports duration, requests sent, 429s, failures and duplicates (must be 0), and whether
 * Stripe's refunded total equals the till's for every payment. ONE JSON line.
 * Run: npx tsx bench/refunds.bench.ts [refunds]
 */
import { startEmulator } from '../src/emulator/server';
import { localRefunded, openRefundRig, stripeRefunds } from '../src/main/testing/refundTestKit';

const REFUNDS = Number(process.argv[2] ?? 1000);
const PER_PAYMENT = 10;
const RATE = 25;

const emu = await startEmulator();
const rig = await openRefundRig({
  emu,
  start: false,
  noLimits: true,
  outbox: { perSecond: RATE, concurrency: 4, backoff: { initialMs: 200, maxMs: 2_000, factor: 2 }, ratePause: { initialMs: 40, maxMs: 1_000, factor: 2 } },
});
try {
  const payments = [];
  for (let i = 0; i < Math.ceil(REFUNDS / PER_PAYMENT); i++) payments.push(await rig.paidCard(100_000));
  for (let i = 0; i < REFUNDS; i++) {
    await rig.ok('refunds.create', { paymentId: payments[i % payments.length]!.paymentId, amount: 1_000 + (i % 7), reasonCode: 'customer_request' }, rig.manager);
  }
  emu.setTraffic({ ratePerSecond: RATE, failRate: 0.1, seed: 16 });
  const t0 = performance.now();
  await rig.start();
  const drained = await rig.b.refunds.outbox.drained(180_000);
  const durationS = (performance.now() - t0) / 1000;
  const stats = emu.trafficStats();
  emu.setTraffic(null);
  await rig.stop();
  let duplicates = 0;
  let agree = true;
  for (const p of payments) {
    const s = await stripeRefunds(rig.stripe, p.pi.id);
    for (const n of s.byOurId.values()) duplicates += n - 1;
    if (s.total !== localRefunded(rig.b, p.paymentId)) agree = false;
  }
  const succeeded = rig.b.db.prepare("SELECT count(*) FROM refunds WHERE status = 'succeeded'").pluck().get() as number;
  process.stdout.write(
    `${JSON.stringify({
      bench: 'refunds',
      refunds: REFUNDS,
      drained,
      succeeded,
      duration_s: Math.round(durationS * 100) / 100,
      requests_sent: stats.requests,
      rate_limited_429: stats.rateLimited,
      transient_500: stats.failed,
      duplicates,
      stripe_equals_local: agree,
      rate_limit_per_s: RATE,
      floor_s: Math.round((REFUNDS / 0.9 / RATE) * 10) / 10,
      goal_s: 46,
    })}\n`,
  );
  if (!drained || duplicates > 0 || !agree) process.exitCode = 1;
} finally {
  await rig.close();
  await emu.close();
}
