import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';

let shop: TestShop;
afterEach(() => shop.close());

const at = (day: number, hh: number, mm = 0) => `2025-06-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00+02:00`;

/** A midsize booking 2–5 June, checked out at 20,010 km with a full tank, clock at the return counter. */
async function outOnRent(s: TestShop) {
  const v = await s.vehicle({ class: 'midsize', odometer: 20_000 });
  const c = await s.customer();
  const d = await s.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: at(2, 9), returnAt: at(5, 9) });
  s.clock.now = new Date(at(2, 9, 5));
  await s.ok('bookings.checkOut', { id: d.id, odometer: 20_010, fuelEighths: 8 });
  s.clock.now = new Date(at(5, 11, 40));
  return s.ok('bookings.get', { id: d.id });
}

/** Everything check-in could touch, to prove the preview touched none of it. */
function state(s: TestShop, bookingId: string) {
  const db = s.b.db;
  return {
    booking: db.prepare('SELECT * FROM bookings WHERE id = ?').get(bookingId),
    quotes: db.prepare('SELECT id, total FROM booking_quotes WHERE booking_id = ? ORDER BY id').all(bookingId),
    lines: s.count('booking_lines'),
    handovers: s.count('handovers'),
    audit: s.count('audit_log'),
    vehicles: db.prepare('SELECT * FROM vehicles ORDER BY id').all(),
    search: db.prepare("SELECT rowid, * FROM bookings_fts ORDER BY rowid").all(),
  };
}

const returnWithExtras = (id: string) => ({
  id,
  odometer: 20_010 + 1750,
  fuelEighths: 6,
  returnedAt: at(5, 11, 30),
  newDamage: [{ description: 'Dent in driver door', amount: 25_000, currency: 'EUR' as const }],
});

describe('check-in preview', () => {
  it('prices late return, fuel, mileage and damage exactly as the check-in then stores, with the balance due', async () => {
    shop = await openTestShop();
    const d = await outOnRent(shop);
    // A deposit already taken shows up in the balance due after check-in.
    shop.b.db
      .prepare(
        `INSERT INTO payments (id, booking_id, kind, method, status, amount, amount_captured, currency, idempotency_key, install_id, created_at, updated_at)
         VALUES ('P1', ?, 'charge', 'cash', 'succeeded', 10000, 10000, 'EUR', 'k1', 'i', 'now', 'now')`,
      )
      .run(d.id);

    const preview = await shop.ok('bookings.checkInPreview', returnWithExtras(d.id));
    expect(preview.quote.lines.map((l) => l.kind)).toEqual(expect.arrayContaining(['late_return', 'fuel', 'mileage', 'damage']));
    expect(preview.total.amount).toBeGreaterThan(d.total.amount);
    expect(preview.balanceDue).toEqual({ amount: preview.total.amount - 10000, currency: 'EUR' });

    const saved = await shop.ok('bookings.checkIn', returnWithExtras(d.id));
    expect(preview.quote).toEqual(saved.quote);
    expect(preview.total).toEqual(saved.total);
    expect(preview.balanceDue).toEqual(saved.balanceDue);
  });

  it('writes nothing: booking, its quotes, audit log, handovers, vehicle and signature folder stay as they were', async () => {
    shop = await openTestShop();
    const d = await outOnRent(shop);
    const before = state(shop, d.id);
    const filesBefore = readdirSync(shop.dir, { recursive: true }).length;

    await shop.ok('bookings.checkInPreview', returnWithExtras(d.id));
    await shop.ok('bookings.checkInPreview', { id: d.id, odometer: 20_500, fuelEighths: 8 });

    expect(state(shop, d.id)).toEqual(before);
    expect(readdirSync(shop.dir, { recursive: true })).toHaveLength(filesBefore);
    const after = await shop.ok('bookings.get', { id: d.id });
    expect(after.status).toBe('checked_out');
    expect(after.version).toBe(d.version);
    expect(after.quote).toEqual(d.quote);
    expect(after.vehicle).toEqual(d.vehicle);
    expect(after.audit).toEqual(d.audit);
    // The real check-in still works afterwards.
    expect((await shop.ok('bookings.checkIn', returnWithExtras(d.id))).status).toBe('returned');
  });

  it.each([
    ['an odometer below the check-out reading', { odometer: 20_009, fuelEighths: 8 }, 'odometer', /below the reading at check-out/],
    ['a fuel level of 9 eighths', { odometer: 20_100, fuelEighths: 9 }, 'fuelEighths', /above full/],
    ['a return before the check-out', { odometer: 20_100, fuelEighths: 8, returnedAt: at(2, 8) }, 'returnedAt', /after the check-out/],
    ['damage in another currency', { odometer: 20_100, fuelEighths: 8, newDamage: [{ description: 'Dent', amount: 100, currency: 'GBP' as const }] }, 'newDamage.0.currency', /booking's currency/],
  ])('refuses %s with the same field error as check-in', async (_what, readings, field, message) => {
    shop = await openTestShop();
    const d = await outOnRent(shop);
    const audit = shop.count('audit_log');
    const previewErr = await shop.fail('bookings.checkInPreview', { id: d.id, ...readings });
    const checkInErr = await shop.fail('bookings.checkIn', { id: d.id, ...readings });
    expect(previewErr.fields?.[field]).toMatch(message);
    expect(previewErr).toEqual(checkInErr);
    expect(shop.count('audit_log')).toBe(audit);
  });

  it('refuses a booking that is not out, as check-in does', async () => {
    shop = await openTestShop();
    const v = await shop.vehicle();
    const c = await shop.customer();
    const d = await shop.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: at(2, 10), returnAt: at(3, 10) });
    const err = await shop.fail('bookings.checkInPreview', { id: d.id, odometer: 10_100, fuelEighths: 8 });
    expect(err.code).toBe('conflict');
    expect(err).toEqual(await shop.fail('bookings.checkIn', { id: d.id, odometer: 10_100, fuelEighths: 8 }));
  });
});
