// What PRAGMA secure_delete (always ON since issue 15's erasure work) costs. On a temp-file
// database on the real disk, with the demo shop seeded: per-write latency of a customer edit
// (an UPDATE that frees the old row and its search entries) and of bookings.create, with
// secure_delete OFF and ON; then the time one customers.erase takes on that shop (ON: rows,
// audit payloads, search-index merge, WAL checkpoint). Prints one JSON line.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createBackend } from '../src/main/backend';
import { memoryLogger } from '../src/main/log';
import { percentile, round } from './stats';

const WRITES = Number(process.env.BENCH_WRITES ?? 200);
const NOW = Date.parse('2025-06-02T06:00:00Z');
const DAY = 86_400_000;
const clerk = { role: 'clerk' as const, staffId: null, transport: 'internal' as const };
const manager = { role: 'manager' as const, staffId: null, transport: 'internal' as const };
const must = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};

async function measure(secure: 'ON' | 'OFF') {
  const dir = mkdtempSync(join(tmpdir(), 'kd-secdel-'));
  const b = createBackend({ dataDir: dir, version: 'bench', transport: 'http', log: memoryLogger(), now: () => new Date(NOW), demoSeed: { full: true } });
  b.db.pragma(`secure_delete = ${secure}`);
  const c = must(
    await b.call(clerk, 'customers.upsert', { firstName: 'Ada', lastName: 'Bench', phone: '+44 20 7946 0000', licenceNumber: 'BENCH1', licenceExpiry: '2030-01-01', dateOfBirth: '1985-01-01' }),
  );
  const edit: number[] = [];
  for (let i = 0; i < WRITES; i++) {
    const t0 = performance.now();
    must(await b.call(clerk, 'customers.upsert', { id: c.id, firstName: 'Ada', lastName: `Bench ${'x'.repeat(i % 40)}`, phone: `+44 20 7946 ${1000 + i}`, licenceNumber: 'BENCH1', licenceExpiry: '2030-01-01', dateOfBirth: '1985-01-01', notes: `Edit ${i}` }));
    edit.push(performance.now() - t0);
  }
  const v = must(await b.call(manager, 'vehicles.upsert', { plate: 'SEC 001', make: 'Make', model: 'Model', class: 'compact', odometer: 1000, fuelEighths: 8 }));
  const booking: number[] = [];
  for (let i = 0; i < WRITES; i++) {
    const start = NOW + 30 * DAY + i * 3 * DAY;
    const t0 = performance.now();
    must(await b.call(clerk, 'bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: new Date(start).toISOString(), returnAt: new Date(start + 2 * DAY).toISOString(), notes: `Bench ${i}` }));
    booking.push(performance.now() - t0);
  }
  // A demo customer with past bookings only, erased.
  const who = b.db
    .prepare(
      `SELECT c.id FROM customers c WHERE c.erased_at IS NULL AND EXISTS (SELECT 1 FROM bookings WHERE customer_id = c.id)
       AND NOT EXISTS (SELECT 1 FROM bookings WHERE customer_id = c.id AND status IN ('reserved', 'checked_out')) LIMIT 1`,
    )
    .pluck()
    .get() as string;
  const t0 = performance.now();
  must(await b.call(manager, 'customers.erase', { id: who, reason: 'Bench' }));
  const eraseMs = performance.now() - t0;
  const sizeKb = Math.round(statSync(join(dir, 'keydesk.sqlite')).size / 1024);
  const counts = b.db.prepare('SELECT (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM bookings) AS bookings, (SELECT count(*) FROM audit_log) AS auditRows').get();
  b.close();
  rmSync(dir, { recursive: true, force: true });
  const fig = (s: number[]) => ({ p50: round(percentile(s, 50)), p95: round(percentile(s, 95)) });
  return { customerEditMs: fig(edit), bookingCreateMs: fig(booking), eraseMs: round(eraseMs), dbKb: sizeKb, counts };
}

const off = await measure('OFF');
const on = await measure('ON');
console.log(
  JSON.stringify({
    bench: 'secureDelete',
    writes: WRITES,
    off,
    on,
    onOverOffP50: { customerEdit: round(on.customerEditMs.p50 - off.customerEditMs.p50), bookingCreate: round(on.bookingCreateMs.p50 - off.bookingCreateMs.p50) },
  }),
);
