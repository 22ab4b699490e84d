import { afterEach, describe, expect, it } from 'vitest';
import { openPayShop } from '../../testing/paymentsTestKit';
import type { PayShop } from '../../testing/paymentsTestKit';

/**
 * Attack: many calls at once on one booking whose parts add up to more than the balance. Nothing
 * above the balance may be taken or held, whatever interleaving the event loop picks.
 */
let shop: PayShop;
afterEach(async () => shop?.shutdown());

function ledger(s: PayShop, bookingId: string) {
  return s.b.db
    .prepare(
      `SELECT coalesce(sum(CASE WHEN status = 'succeeded' THEN amount_captured END), 0) AS paid,
              coalesce(sum(CASE WHEN status IN ('pending','requires_action','processing') THEN amount END), 0) AS inFlight
         FROM payments WHERE booking_id = ? AND kind = 'charge'`,
    )
    .get(bookingId) as { paid: number; inFlight: number };
}

/** A second reader for this till, registered at the emulator (a shop with two counters' readers). */
async function secondReader(s: PayShop): Promise<string> {
  const first = s.b.db.prepare('SELECT stripe_location_id FROM terminal_readers WHERE selected = 1').pluck().get() as string;
  const r = await s.stripe.terminal.readers.create({ registration_code: 'simulated-wpe', label: 'Desk 2', location: first });
  const at = new Date().toISOString();
  s.b.db
    .prepare('INSERT INTO terminal_readers (id, label, device_type, stripe_location_id, selected, install_id, created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?, ?)')
    .run(r.id, 'Desk 2', r.device_type, first, s.b.info().installId, at, at);
  return r.id;
}

describe('balance under concurrency', () => {
  it('50 parallel cash payments whose sum exceeds the balance: exactly the balance is taken, every refusal is a sentence', async () => {
    shop = await openPayShop();
    const b = await shop.booking();
    const total = b.total.amount;
    const part = Math.ceil(total / 10);
    const calls = await Promise.all(Array.from({ length: 50 }, () => shop.b.call(shop.clerk, 'payments.cash', { bookingId: b.id, amount: part, tendered: part })));
    const ok = calls.filter((c) => c.ok).length;
    expect(ok).toBe(Math.floor(total / part));
    for (const c of calls) if (!c.ok) expect(c.error.message).toMatch(/\.$/);
    expect(ledger(shop, b.id).paid).toBeLessThanOrEqual(total);
    expect(ledger(shop, b.id).paid).toBe(ok * part);
    // Cash movements and payments are one: one movement per cash payment.
    expect(shop.b.db.prepare("SELECT count(*) FROM cash_movements cm JOIN payments p ON p.id = cm.payment_id WHERE p.booking_id = ?").pluck().get(b.id)).toBe(ok);
  });

  it('50 parallel card starts (two readers) and cash at once: paid + held never exceed the balance', async () => {
    shop = await openPayShop();
    const b = await shop.booking();
    const r1 = await shop.reader();
    const r2 = await secondReader(shop);
    const total = b.total.amount;
    const part = Math.ceil((total * 2) / 3);
    const calls = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        i % 3 === 2
          ? shop.b.call(shop.clerk, 'payments.cash', { bookingId: b.id, amount: part, tendered: part })
          : shop.b.call(shop.clerk, 'payments.startCard', { bookingId: b.id, amount: part, readerId: i % 3 === 0 ? r1 : r2 }),
      ),
    );
    expect(calls.filter((c) => c.ok).length).toBe(1);
    const l = ledger(shop, b.id);
    expect(l.paid + l.inFlight).toBeLessThanOrEqual(total);
  });

  it('two declined card payments retried at once on two readers: only one may go back on a reader', async () => {
    shop = await openPayShop();
    const b = await shop.booking();
    const r1 = await shop.reader();
    const r2 = await secondReader(shop);
    const declined: string[] = [];
    for (const readerId of [r1, r2]) {
      const p = await shop.ok('payments.startCard', { bookingId: b.id, readerId });
      await shop.stripe.testHelpers.terminal.readers.presentPaymentMethod(readerId, { type: 'card_present', card_present: { number: '4000000000009995' } });
      expect((await shop.settled(p.id)).status).toBe('failed');
      declined.push(p.id);
    }
    const [a, c] = await Promise.all([
      shop.b.call(shop.clerk, 'payments.retry', { paymentId: declined[0] as string, readerId: r1 }),
      shop.b.call(shop.clerk, 'payments.retry', { paymentId: declined[1] as string, readerId: r2 }),
    ]);
    expect([a.ok, c.ok].filter(Boolean)).toHaveLength(1);
    const l = ledger(shop, b.id);
    expect(l.paid + l.inFlight).toBeLessThanOrEqual(b.total.amount);
    // Both customers tap good cards: still one charge at Stripe.
    for (const readerId of [r1, r2]) await shop.stripe.testHelpers.terminal.readers.presentPaymentMethod(readerId, { type: 'card_present', card_present: { number: '4242424242424242' } }).catch(() => undefined);
    for (const id of declined) await shop.settled(id);
    expect(await shop.charges(b.id)).toHaveLength(1);
  });
});

describe('the booking changes while the reader is asked', () => {
  it('a booking cancelled while startCard waits for Stripe’s reader check: no payment starts on it', async () => {
    shop = await openPayShop();
    const b = await shop.booking();
    await shop.reader();
    shop.emulator.setFaults({ kind: 'latency', latencyMs: 300, pathPrefix: '/v1/terminal/readers', method: 'GET', count: 1 });
    const starting = shop.b.call(shop.clerk, 'payments.startCard', { bookingId: b.id });
    await shop.ok('bookings.cancel', { id: b.id, reason: 'Customer left' }, shop.manager);
    const out = await starting;
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error.message).toMatch(/cancelled|balance changed/);
    expect(ledger(shop, b.id).inFlight).toBe(0);
    const all = await shop.stripe.paymentIntents.list({ limit: 100 });
    expect(all.data.filter((pi) => pi.metadata.booking_id === b.id)).toHaveLength(0);
  });
});
