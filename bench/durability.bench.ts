// Durability cost: the app database runs synchronous=FULL so a booking or payment row the clerk
// was told was saved survives a power cut (the WAL is fsynced at every commit). Measures, on a
// temp-file database on the real disk, per-write latency with NORMAL and FULL for
// (a) bookings.create through the full rpc path and (b) one payment row plus its audit row in a
// transaction, as the payments service writes it. Prints one JSON line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createBackend } from '../src/main/backend';
import { appendAudit } from '../src/main/core/audit';
import { newId } from '../src/main/core/ids';
import { memoryLogger } from '../src/main/log';
import { percentile, round } from './stats';

const WRITES = Number(process.env.BENCH_WRITES ?? 300);
const NOW = Date.parse('2025-06-02T06:00:00Z');
const DAY = 86_400_000;
const clerk = { role: 'clerk' as const, staffId: null, transport: 'internal' as const };
const manager = { role: 'manager' as const, staffId: null, transport: 'internal' as const };

async function measure(sync: 'NORMAL' | 'FULL') {
  const dir = mkdtempSync(join(tmpdir(), 'kd-durable-'));
  const b = createBackend({ dataDir: dir, version: 'bench', transport: 'http', log: memoryLogger(), now: () => new Date(NOW), demoSeed: { full: false } });
  b.db.pragma(`synchronous = ${sync}`);
  const must = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return r.value;
  };
  const vehicles: string[] = [];
  for (let i = 0; i < 10; i++) {
    const v = must(await b.call(manager, 'vehicles.upsert', { plate: `DUR ${100 + i}`, make: 'Make', model: 'Model', class: 'midsize', odometer: 1000, fuelEighths: 8 }));
    vehicles.push(v.id);
  }
  const customer = must(
    await b.call(clerk, 'customers.upsert', { firstName: 'Ada', lastName: 'Bench', phone: '+44 20 7946 0000', licenceNumber: 'BENCH1', licenceExpiry: '2030-01-01', dateOfBirth: '1985-01-01' }),
  );

  const booking: number[] = [];
  let firstBookingId = '';
  for (let i = 0; i < WRITES; i++) {
    const start = NOW + DAY + Math.floor(i / vehicles.length) * 3 * DAY;
    const t0 = performance.now();
    const d = must(
      await b.call(clerk, 'bookings.create', {
        customerId: customer.id,
        vehicleId: vehicles[i % vehicles.length] ?? '',
        pickupAt: new Date(start).toISOString(),
        returnAt: new Date(start + 2 * DAY).toISOString(),
      }),
    );
    booking.push(performance.now() - t0);
    firstBookingId ||= d.id;
  }

  const installId = b.info().installId;
  const insert = b.db.prepare(
    `INSERT INTO payments (id, booking_id, kind, method, status, amount, currency, idempotency_key, install_id, created_at, updated_at)
     VALUES (?, ?, 'charge', 'card_present', 'pending', 12345, 'EUR', ?, ?, ?, ?)`,
  );
  const payment: number[] = [];
  for (let i = 0; i < WRITES; i++) {
    const id = newId();
    const at = new Date(NOW + i * 1000);
    const t0 = performance.now();
    b.db.transaction(() => {
      insert.run(id, firstBookingId, `pay_${id}`, installId, at.toISOString(), at.toISOString());
      appendAudit(b.db, installId, { actorId: null, actorRole: 'clerk', action: 'payment.created', entityType: 'payment', entityId: id, after: { amount: 12345 } }, at);
    })();
    payment.push(performance.now() - t0);
  }
  b.close();
  rmSync(dir, { recursive: true, force: true });
  const fig = (s: number[]) => ({ p50: round(percentile(s, 50)), p95: round(percentile(s, 95)) });
  return { bookingCreateMs: fig(booking), paymentRowMs: fig(payment) };
}

const normal = await measure('NORMAL');
const full = await measure('FULL');
console.log(
  JSON.stringify({
    bench: 'durability',
    writes: WRITES,
    normal,
    full,
    fullOverNormalP50: {
      bookingCreate: round(full.bookingCreateMs.p50 - normal.bookingCreateMs.p50),
      paymentRow: round(full.paymentRowMs.p50 - normal.paymentRowMs.p50),
    },
  }),
);
