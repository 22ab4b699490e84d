import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openPayShop } from '../../testing/paymentsTestKit';
import type { PayShop } from '../../testing/paymentsTestKit';

/**
 * Attack: the disk fills up in the middle of a payment (SQLITE_FULL through `max_page_count` on
 * the test database, after setup). Nothing may be charged twice, the clerk gets a sentence, and
 * once space is back the till reconciles to what Stripe holds.
 */
let shop: PayShop;
afterEach(async () => shop?.shutdown());

/** Caps the file at its current size and fills every free byte, as a full disk would. */
function fillDisk(s: PayShop): void {
  const db = s.b.db;
  db.exec('CREATE TABLE IF NOT EXISTS attack_filler (b BLOB)');
  const pages = db.pragma('page_count', { simple: true }) as number;
  db.pragma(`max_page_count = ${pages}`);
  const put = db.prepare('INSERT INTO attack_filler (b) VALUES (zeroblob(?))');
  for (const size of [4000, 1000, 200, 50, 1]) {
    for (let i = 0; i < 10_000; i++) {
      try {
        put.run(size);
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_FULL') throw err;
        break;
      }
    }
  }
}

function freeDisk(s: PayShop): void {
  s.b.db.pragma('max_page_count = 1073741823');
  s.b.db.exec('DROP TABLE attack_filler');
}

describe('the disk fills up during a payment', () => {
  it('cash: refused with the disk-full sentence, no payment without its drawer movement and audit row', async () => {
    shop = await openPayShop({ dbPath: join(mkdtempSync(join(tmpdir(), 'kd-full-')), 'keydesk.db') });
    const b = await shop.booking();
    fillDisk(shop);
    // Small parts until the disk says no: some rows still fit in half-filled pages, as on a real disk.
    let refused: { code: string; message: string } | null = null;
    for (let i = 0; i < 500 && !refused; i++) {
      const res = await shop.b.call(shop.clerk, 'payments.cash', { bookingId: b.id, amount: 1, tendered: 1 });
      if (!res.ok) refused = res.error;
    }
    expect(refused?.code).toBe('disk_full');
    expect(refused?.message).toMatch(/disk is full/);
    freeDisk(shop);
    const orphans = shop.b.db
      .prepare(
        `SELECT count(*) FROM payments p WHERE p.method = 'cash' AND (
           NOT EXISTS (SELECT 1 FROM cash_movements c WHERE c.payment_id = p.id)
           OR NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity_id = p.id AND a.action = 'payment.cash'))`,
      )
      .pluck()
      .get();
    expect(orphans).toBe(0);
    const n = shop.count('payments');
    expect(shop.b.db.prepare('SELECT count(*) FROM cash_movements WHERE payment_id IS NOT NULL').pluck().get()).toBe(n);
    const paid = await shop.ok('payments.cash', { bookingId: b.id, tendered: b.total.amount });
    expect(paid.balanceDue.amount).toBe(0);
    expect(paid.payment.amount.amount).toBe(b.total.amount - n);
  });

  it('card: the card is charged while the disk is full; the balance stays held (no second charge, no cash on top); reconcile records it once space is back', async () => {
    shop = await openPayShop({ dbPath: join(mkdtempSync(join(tmpdir(), 'kd-full-')), 'keydesk.db'), payments: { readerTimeoutMs: 2_000 } });
    const b = await shop.booking();
    const readerId = await shop.reader();
    const p = await shop.ok('payments.startCard', { bookingId: b.id });
    fillDisk(shop);
    await shop.stripe.testHelpers.terminal.readers.presentPaymentMethod(readerId, { type: 'card_present', card_present: { number: '4242424242424242' } });
    // Whatever the clerk presses now: a sentence, never a second charge.
    const answers = await Promise.all([
      shop.b.call(shop.clerk, 'payments.cash', { bookingId: b.id, tendered: b.total.amount }),
      shop.b.call(shop.clerk, 'payments.startCard', { bookingId: b.id }),
      shop.b.call(shop.clerk, 'payments.cancel', { paymentId: p.id }),
    ]);
    for (const a of answers) if (!a.ok) expect(a.error.message).toMatch(/\.$/);
    expect(answers.some((a) => !a.ok && a.error.code === 'disk_full')).toBe(true);
    expect(await shop.charges(b.id)).toHaveLength(1);
    freeDisk(shop);
    await shop.b.payments.api.reconcile();
    const end = await shop.settled(p.id);
    expect(end.status).toBe('succeeded');
    expect(await shop.charges(b.id)).toHaveLength(1);
    const paid = shop.b.db.prepare("SELECT coalesce(sum(amount_captured), 0) FROM payments WHERE booking_id = ? AND status = 'succeeded'").pluck().get(b.id);
    expect(paid).toBe(b.total.amount);
    expect((await shop.fail('payments.cash', { bookingId: b.id, tendered: b.total.amount })).code).toBe('conflict');
  });
});
