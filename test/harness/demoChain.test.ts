import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/main/log';
import { startMainApp } from '../../src/main/startApp';
import type { MainApp } from '../../src/main/startApp';
import { createStripeClient } from '../../src/main/stripe/gateway';

// Demo mode's whole chain on loopback: emulator → signed webhook → embedded relay → SSE →
// sync client → the till's own rows. What a demo clerk sees when a card payment lands.
let app: MainApp;

async function until<T>(what: string, read: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = read();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kd-demo-chain-'));
  app = await startMainApp({ dataDir, version: 'test', transport: 'http', log: memoryLogger(), demoSeed: { full: false } });
}, 60_000);

afterAll(async () => {
  await app?.close();
});

describe('demo chain', () => {
  it('shows Stripe as reachable and sync as live in the title bar', async () => {
    await until('sync live', () => (app.backend.status.current().sync === 'live' ? true : undefined));
    expect(app.backend.status.current()).toMatchObject({ online: true, sync: 'live' });
    // Both jobs are listed, healthy, in app.status.
    const health = Object.fromEntries(app.backend.status.current().jobs.map((j) => [j.name, j.health]));
    expect(health).toMatchObject({ 'app.connectivity': 'ok', 'sync.stream': 'ok', 'db.backup': 'ok', 'payments.reconcile': 'ok', 'deposits.sweep': 'ok' });
    expect(Object.keys(health)).toContain('outbox.worker');
  });

  it('brings a payment confirmed at Stripe into the local ledger through the relay, exactly once', async () => {
    const { db } = app.backend;
    const installId = app.backend.info().installId;
    const stripe = createStripeClient(app.demo!.stripe);
    const now = new Date().toISOString();
    // A booking row to hang the payment on (the checkout service comes in a later issue).
    const ids = db.prepare('SELECT (SELECT id FROM locations LIMIT 1) AS loc').get() as { loc: string };
    db.prepare(
      `INSERT INTO customers (id, first_name, last_name, email, phone, licence_number, licence_expiry, date_of_birth, install_id, created_at, updated_at)
       VALUES ('C-chain', 'Ana', 'Lopes', 'ana@example.com', '+351 912 345 678', 'PT1', '2031-01-01', '1990-01-01', ?, ?, ?)`,
    ).run(installId, now, now);
    db.prepare(
      `INSERT INTO vehicles (id, plate, make, model, class, odometer, fuel_eighths, install_id, created_at, updated_at)
       VALUES ('V-chain', 'CH-000-N', 'Seat', 'Ibiza', 'economy', 100, 8, ?, ?, ?)`,
    ).run(installId, now, now);
    db.prepare(
      `INSERT INTO bookings (id, ref, status, customer_id, vehicle_id, vehicle_class, pickup_location_id, return_location_id, pickup_at, return_at, total, currency, install_id, created_at, updated_at)
       VALUES ('B-chain', 'KD-CHAIN', 'reserved', 'C-chain', 'V-chain', 'economy', ?, ?, '2026-12-01T10:00:00.000Z', '2026-12-02T10:00:00.000Z', 4200, 'EUR', ?, ?, ?)`,
    ).run(ids.loc, ids.loc, installId, now, now);

    const changed: string[] = [];
    const unsubscribe = app.backend.events.subscribe((name, payload) => {
      if (name === 'bookings.changed') changed.push(...(payload as { ids: string[] }).ids);
    });
    const intent = await stripe.paymentIntents.create({ amount: 4200, currency: 'eur', metadata: { install_id: installId, booking_id: 'B-chain' } });
    db.prepare(
      `INSERT INTO payments (id, booking_id, kind, method, status, amount, currency, idempotency_key, stripe_payment_intent_id, install_id, created_at, updated_at)
       VALUES ('P-chain', 'B-chain', 'charge', 'card', 'pending', 4200, 'EUR', 'pay:P-chain', ?, ?, ?, ?)`,
    ).run(intent.id, installId, now, now);
    await stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });

    const row = await until('payment succeeded locally', () => {
      const r = db.prepare("SELECT status, amount_captured, card_last4 FROM payments WHERE id = 'P-chain'").get() as { status: string } | undefined;
      return r?.status === 'succeeded' ? r : undefined;
    });
    expect(row).toMatchObject({ status: 'succeeded', amount_captured: 4200 });
    // Open screens are told which booking changed, so the balance on them is fresh.
    await until('bookings.changed pushed', () => (changed.includes('B-chain') ? true : undefined));
    unsubscribe();

    // A refund made at Stripe (another till, the Dashboard) shows up here too.
    const refund = await stripe.refunds.create({ payment_intent: intent.id, amount: 1200, metadata: { install_id: installId } });
    const learned = await until('refund learned', () => db.prepare('SELECT amount, status FROM refunds WHERE stripe_refund_id = ?').get(refund.id) as { amount: number } | undefined);
    expect(learned).toEqual({ amount: 1200, status: 'succeeded' });

    // Each Stripe event is stored once, however often it was delivered.
    const dupes = db.prepare('SELECT id, count(*) AS n FROM stripe_events GROUP BY id HAVING n > 1').all();
    expect(dupes).toEqual([]);
  }, 30_000);
});
