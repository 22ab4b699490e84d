import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../backend';
import type { Backend } from '../../backend';
import { memoryLogger } from '../../log';
import { verifyAuditChain } from '../../core/audit';
import { CONFLICTS_SQL } from '../bookings/index';
import { blockWindow } from '../fleet/index';

// Wednesday 4 June 2025, 11:30 in Amsterdam: some of today's pickups and returns are done, some not.
const NOW = new Date('2025-06-04T09:30:00Z');

function open(dbPath: string, dataDir = '/x', now = NOW): Backend {
  const b = createBackend({ dataDir, dbPath, version: '1', transport: 'http', log: memoryLogger(), now: () => now });
  return b;
}

const count = (b: Backend, sql: string) => (b.db.prepare(sql).get() as { n: number }).n;

describe('demo seed', () => {
  it('builds a shop of 40 vehicles, 300 customers and bookings around today, with pickups and returns today', async () => {
    const b = open(':memory:');
    const ctx = b.session.context('internal');
    expect(count(b, 'SELECT count(*) AS n FROM vehicles')).toBe(40);
    expect(count(b, 'SELECT count(*) AS n FROM customers')).toBe(300);
    // The demo manager and clerk, and an admin so the Staff tab shows its role rules.
    expect(b.db.prepare('SELECT name, role FROM staff ORDER BY name').all()).toEqual([
      { name: 'Demo admin', role: 'admin' },
      { name: 'Demo clerk', role: 'clerk' },
      { name: 'Demo manager', role: 'manager' },
    ]);
    expect(count(b, "SELECT count(*) AS n FROM bookings WHERE return_at < '2025-06-01'")).toBeGreaterThan(100);
    expect(count(b, "SELECT count(*) AS n FROM bookings WHERE pickup_at > '2025-06-08'")).toBeGreaterThan(50);
    const res = await b.call(ctx, 'counter.today', {});
    if (!res.ok) throw new Error(res.error.message);
    const today = res.value as { date: string; pickups: unknown[]; returns: unknown[]; overdue: unknown[] };
    expect(today.date).toBe('2025-06-04');
    expect(today.pickups.length).toBeGreaterThanOrEqual(4);
    expect(today.returns.length).toBeGreaterThanOrEqual(4);
    expect(today.overdue.length).toBeGreaterThanOrEqual(1);
    // Every status a clerk meets appears.
    const statuses = (b.db.prepare('SELECT DISTINCT status FROM bookings').all() as { status: string }[]).map((r) => r.status).sort();
    expect(statuses).toEqual(['cancelled', 'checked_out', 'closed', 'no_show', 'reserved', 'returned']);
    // Vehicles out are on rent; the rest are not.
    expect(count(b, "SELECT count(*) AS n FROM vehicles v WHERE (v.status = 'on_rent') != EXISTS (SELECT 1 FROM bookings b WHERE b.vehicle_id = v.id AND b.status = 'checked_out')")).toBe(0);
    expect(count(b, "SELECT count(*) AS n FROM vehicles WHERE status = 'in_service'")).toBe(2);
    expect(verifyAuditChain(b.db)).toBeNull();
    b.close();
  });

  it('never double-books a vehicle, and every booking total equals its price snapshot', () => {
    const b = open(':memory:');
    const gap = 60;
    const live = b.db.prepare("SELECT id, vehicle_id, pickup_at, return_at FROM bookings WHERE status IN ('reserved', 'checked_out')").all() as {
      id: string; vehicle_id: string; pickup_at: string; return_at: string;
    }[];
    const conflicts = b.db.prepare(CONFLICTS_SQL);
    for (const r of live) {
      const clash = conflicts.all({ vehicleId: r.vehicle_id, ...blockWindow(r.pickup_at, r.return_at, gap, new Date('2000-01-01T00:00:00.000Z'), r.id) });
      expect(clash, r.id).toEqual([]);
    }
    expect(count(b, 'SELECT count(*) AS n FROM bookings b JOIN booking_quotes q ON q.id = b.quote_id WHERE q.total != b.total')).toBe(0);
    expect(count(b, 'SELECT count(*) AS n FROM bookings b WHERE b.total != (SELECT sum(amount) FROM booking_lines l WHERE l.quote_id = b.quote_id AND l.counts_in_total = 1)')).toBe(0);
    // Closed bookings are paid in full.
    expect(count(b, "SELECT count(*) AS n FROM bookings b WHERE status = 'closed' AND total > 0 AND total != (SELECT coalesce(sum(amount_captured), 0) FROM payments p WHERE p.booking_id = b.id)")).toBe(0);
    b.close();
  });

  it('leaves each car where its last rental was returned (one-way rentals moved some)', () => {
    const b = open(':memory:');
    const rows = b.db
      .prepare(
        `SELECT v.plate, v.location_id, (SELECT bk.return_location_id FROM bookings bk WHERE bk.vehicle_id = v.id AND bk.status IN ('returned', 'closed')
           ORDER BY bk.return_at DESC LIMIT 1) AS last_return FROM vehicles v`,
      )
      .all() as { plate: string; location_id: string; last_return: string | null }[];
    for (const r of rows) if (r.last_return !== null) expect(r.location_id, r.plate).toBe(r.last_return);
    const home = b.db.prepare('SELECT id FROM locations WHERE is_home = 1').pluck().get();
    expect(rows.filter((r) => r.location_id !== home).length).toBeGreaterThan(0);
    b.close();
  });

  it('is deterministic for a seed and day, and runs only once per database', () => {
    const snapshot = (b: Backend) =>
      b.db.prepare('SELECT b.ref, v.plate, c.last_name, b.pickup_at, b.total FROM bookings b JOIN vehicles v ON v.id = b.vehicle_id JOIN customers c ON c.id = b.customer_id ORDER BY b.id').all();
    const one = open(':memory:');
    const two = open(':memory:');
    expect(snapshot(one)).toEqual(snapshot(two));
    one.close();
    two.close();

    const dir = mkdtempSync(join(tmpdir(), 'kd-seed-'));
    const path = join(dir, 'k.sqlite');
    const first = open(path, dir);
    const before = snapshot(first);
    first.close();
    const again = open(path, dir, new Date(NOW.getTime() + 86_400_000));
    expect(snapshot(again)).toEqual(before);
    expect(count(again, 'SELECT count(*) AS n FROM staff')).toBe(3);
    expect(count(again, "SELECT count(*) AS n FROM audit_log WHERE action = 'demo.seed'")).toBe(1);
    again.close();
  });

  it('has a demo admin who signs in with 2580 and, as the only admin, cannot be demoted; a demo shop from before admins gets one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kd-seed-'));
    const path = join(dir, 'k.sqlite');
    const b = open(path, dir);
    const admin = b.db.prepare("SELECT id FROM staff WHERE role = 'admin'").pluck().get() as string;
    const nobody = { role: null, staffId: null, transport: 'http' as const };
    expect(await b.call(nobody, 'session.signIn', { staffId: admin, pin: '2580' })).toMatchObject({ ok: true, value: { name: 'Demo admin', role: 'admin' } });
    const asAdmin = { role: 'admin' as const, staffId: admin, transport: 'internal' as const };
    expect(await b.call(asAdmin, 'staff.setRole', { id: admin, role: 'manager' })).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('last admin') } });
    // A demo shop seeded before admins existed: its admin is missing until the next start.
    b.db.prepare("UPDATE staff SET role = 'manager' WHERE id = ?").run(admin);
    b.close();
    const again = open(path, dir);
    expect(count(again, "SELECT count(*) AS n FROM staff WHERE role = 'admin'")).toBe(1);
    again.close();
    const third = open(path, dir);
    expect(count(third, "SELECT count(*) AS n FROM staff WHERE role = 'admin'")).toBe(1);
    third.close();
  });

  it('looks like a real shop: realistic plates, emails, phones and names', () => {
    const b = open(':memory:');
    const plates = (b.db.prepare('SELECT plate FROM vehicles').all() as { plate: string }[]).map((r) => r.plate);
    for (const p of plates) expect(p).toMatch(/^[B-Z]{2}-\d{3}-[B-Z]$/);
    const customers = b.db.prepare('SELECT first_name, last_name, email, phone FROM customers').all() as { first_name: string; last_name: string; email: string; phone: string }[];
    expect(new Set(customers.map((c) => c.email)).size).toBe(300);
    for (const c of customers) {
      expect(c.email).toMatch(/^[a-z]+\.[a-z]+\d*@[a-z.]+$/);
      expect(c.phone).toMatch(/^\+\d/);
    }
    b.close();
  });

  it('prices the demo in the shop’s currency', async () => {
    const b = createBackend({ dataDir: '/x', dbPath: ':memory:', version: '1', transport: 'http', log: memoryLogger(), now: () => NOW, demoSeed: { full: false } });
    const res = await b.call(b.session.context('internal'), 'rates.get', {});
    expect(res).toMatchObject({ ok: true, value: { card: { currency: 'EUR', id: 'demo-eur' } } });
    b.close();
  });

  it('runs the Amsterdam shop on Amsterdam time with Dutch VAT (21 %), whatever the machine\'s zone', async () => {
    const b = open(':memory:');
    const ctx = b.session.context('internal');
    const settings = await b.call(ctx, 'settings.get', {});
    expect(settings).toMatchObject({ ok: true, value: { timeZone: 'Europe/Amsterdam' } });
    const rates = await b.call(ctx, 'rates.get', {});
    expect(rates).toMatchObject({ ok: true, value: { raw: { tax: { rateBp: 2100 } } } });
    const today = await b.call(ctx, 'counter.today', {});
    expect(today).toMatchObject({ ok: true, value: { timeZone: 'Europe/Amsterdam' } });
    b.close();
  });
});
