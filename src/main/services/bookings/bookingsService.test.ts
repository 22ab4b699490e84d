import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../core/audit';
import type { AuditRow } from '../../core/audit';
import { REF_ALPHABET } from './bookingRef';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';

let shop: TestShop;
afterEach(() => shop.close());

const at = (day: number, hh: number, mm = 0) => `2025-06-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00+02:00`;

async function booked(s: TestShop, vehicleId: string, from: string, to: string, customerOver = {}) {
  const c = await s.customer(customerOver);
  return s.ok('bookings.create', { customerId: c.id, vehicleId, pickupAt: from, returnAt: to });
}

describe('creating a booking', () => {
  it('reserves the vehicle, stores the price lines as a snapshot, gives a short ref and audits it', async () => {
    shop = await openTestShop();
    const v = await shop.vehicle({ class: 'midsize' });
    const c = await shop.customer();
    const d = await shop.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: at(2, 9), returnAt: at(5, 9), extras: [{ code: 'child_seat' }] });
    expect(d.ref).toMatch(new RegExp(`^KD-[${REF_ALPHABET}]{5}$`));
    expect(d.status).toBe('reserved');
    // 3 days midsize at €45 + child seat 3 × €8 + 20 % VAT (the pricing engine's own worked example).
    expect(d.quote.lines.map((l) => [l.kind, l.amount.amount])).toEqual([['rental_days', 13500], ['extra', 2400], ['tax', 3180]]);
    expect(d.total).toEqual({ amount: 19080, currency: 'EUR' });
    expect(d.balanceDue).toEqual({ amount: 19080, currency: 'EUR' });
    expect(d.customer.name).toBe('Anna de Vries');
    expect(d.vehicle.plate).toBe(v.plate);
    expect(d.pickupLocation.isHome).toBe(true);
    expect(d.audit).toHaveLength(1);
    expect(d.audit[0]).toMatchObject({ action: 'booking.create', actorName: 'Demo clerk' });
    expect(d.audit[0]?.summary).toContain(v.plate);
    expect(shop.count('booking_lines')).toBe(3);
    expect(verifyAuditChain(shop.b.db)).toBeNull();
  });

  it('keeps its price when the rate card changes, and extends with the card it was priced on', async () => {
    shop = await openTestShop();
    const v = await shop.vehicle({ class: 'midsize' });
    const first = await booked(shop, v.id, at(2, 9), at(4, 9));
    expect(first.total.amount).toBe(10800); // 2 × €45 + VAT
    const { raw } = await shop.ok('rates.get', {});
    const card = structuredClone(raw);
    card.classes.midsize!.dailyRate = 9000;
    const saved = await shop.ok('rates.update', { card }, shop.manager);
    expect(saved.card.version).toBe(2);

    expect((await shop.ok('bookings.get', { id: first.id })).total.amount).toBe(10800);
    const extended = await shop.ok('bookings.extend', { id: first.id, returnAt: at(5, 9) });
    expect(extended.quote.rateCardVersion).toBe(1);
    expect(extended.total.amount).toBe(16200); // 3 × €45 + VAT, not the new €90
    const v2 = await shop.vehicle({ class: 'midsize' });
    const second = await booked(shop, v2.id, at(2, 9), at(4, 9));
    expect(second.quote.rateCardVersion).toBe(2);
    expect(second.total.amount).toBe(21600);
    // The old snapshot rows are still there, unchanged.
    expect(shop.count('booking_quotes')).toBe(3);
  });
});

describe('double booking', () => {
  it('is refused with the conflicting booking named: ref, customer and times', async () => {
    shop = await openTestShop({ turnaroundMinutes: 60 });
    const v = await shop.vehicle();
    const first = await booked(shop, v.id, at(2, 10), at(2, 12), { firstName: 'Jan', lastName: 'Jansen' });
    const c = await shop.customer({ firstName: 'Piet' });
    const before = shop.count('bookings');
    const err = await shop.fail('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: at(2, 11), returnAt: at(2, 15) });
    expect(err.code).toBe('conflict');
    expect(err.message).toContain(first.ref);
    expect(err.message).toContain('Jan Jansen');
    expect(err.message).toContain('2 Jun 2025, 10:00');
    expect(err.message).toContain('2 Jun 2025, 12:00');
    expect(err.fields?.vehicleId).toBe(err.message);
    expect(shop.count('bookings')).toBe(before);
  });

  it('keeps the turnaround gap on both sides, to the minute', async () => {
    shop = await openTestShop({ turnaroundMinutes: 60 });
    const v = await shop.vehicle();
    await booked(shop, v.id, at(3, 10), at(3, 12));
    const c = await shop.customer();
    const create = (from: string, to: string) => shop.b.call(shop.clerk, 'bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: from, returnAt: to });
    // After: pickup must be ≥ 12:00 + 60 min.
    expect(await create(at(3, 12, 59), at(3, 18))).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await create(at(3, 13, 0), at(3, 18))).toMatchObject({ ok: true });
    // Before: return must be ≤ 10:00 − 60 min.
    expect(await create(at(2, 12), at(3, 9, 1))).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await create(at(2, 12), at(3, 9, 0))).toMatchObject({ ok: true });
  });

  it('follows the turnaround setting: with 0 minutes, back-to-back rentals fit', async () => {
    shop = await openTestShop({ turnaroundMinutes: 0 });
    const v = await shop.vehicle();
    await booked(shop, v.id, at(3, 10), at(3, 12));
    await expect(booked(shop, v.id, at(3, 12), at(3, 14))).resolves.toMatchObject({ status: 'reserved' });
    await expect(booked(shop, v.id, at(3, 13, 59), at(3, 16))).rejects.toThrow(/conflict/);
  });

  it('ignores cancelled bookings but counts a rental that is out and overdue', async () => {
    shop = await openTestShop({ turnaroundMinutes: 30 });
    const v = await shop.vehicle();
    const a = await booked(shop, v.id, at(2, 9), at(2, 12));
    await shop.ok('bookings.cancel', { id: a.id, reason: 'Plans changed' });
    const b2 = await booked(shop, v.id, at(2, 9), at(2, 12));
    await shop.ok('bookings.checkOut', { id: b2.id, odometer: 10_000, fuelEighths: 8 });
    shop.clock.now = new Date(at(2, 14)); // two hours overdue
    // Overdue means "back any minute": the vehicle is held until now + turnaround.
    const held = await shop.ok('vehicles.availability', { from: at(2, 14, 29), to: at(2, 18) });
    expect(held.vehicles.map((x) => x.id)).not.toContain(v.id);
    const free = await shop.ok('vehicles.availability', { from: at(2, 14, 30), to: at(2, 18) });
    expect(free.vehicles.map((x) => x.id)).toContain(v.id);
    const c = await shop.customer();
    const err = await shop.fail('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: at(2, 14, 15), returnAt: at(2, 18) });
    expect(err.code).toBe('conflict');
    expect(err.message).toContain(b2.ref);
    expect(err.message).toContain('out and overdue');
  });
});

describe('booking life cycle', () => {
  it('goes reserved → checked out → returned → closed, moving the vehicle and re-pricing at return', async () => {
    shop = await openTestShop();
    const v = await shop.vehicle({ class: 'midsize', odometer: 20_000 });
    const d = await booked(shop, v.id, at(2, 9), at(5, 9));
    shop.clock.now = new Date(at(2, 9, 5));
    mkdirSync(join(shop.dir, 'photos')); // the capture step stores photos; refs must name a stored file
    writeFileSync(join(shop.dir, 'photos', 'a.jpg'), 'jpeg');
    const out = await shop.ok('bookings.checkOut', { id: d.id, odometer: 20_010, fuelEighths: 8, damageNotes: 'Scratch on rear bumper', photos: ['photos/a.jpg'] });
    expect(out.status).toBe('checked_out');
    expect(out.vehicle.status).toBe('on_rent');
    expect(out.checkOut).toMatchObject({ odometer: 20_010, fuelEighths: 8, damageNotes: 'Scratch on rear bumper', photos: ['photos/a.jpg'], staffName: 'Demo clerk' });

    // Back 2 h 30 late (grace 59 min), 2 eighths short, 1,000 km over the 750 km allowance, with a dent.
    shop.clock.now = new Date(at(5, 11, 40));
    const back = await shop.ok('bookings.checkIn', {
      id: d.id,
      odometer: 20_010 + 1750,
      fuelEighths: 6,
      returnedAt: at(5, 11, 30),
      newDamage: [{ description: 'Dent in driver door', amount: 25_000, currency: 'EUR' }],
    });
    expect(back.status).toBe('returned');
    expect(back.vehicle).toMatchObject({ status: 'available', odometer: 21_760, fuelEighths: 6 });
    const kinds = back.quote.lines.map((l) => l.kind);
    expect(kinds).toEqual(expect.arrayContaining(['rental_days', 'late_return', 'fuel', 'mileage', 'damage', 'tax']));
    expect(back.quote.lateMinutes).toBe(150);
    expect(back.total.amount).toBeGreaterThan(d.total.amount);
    expect(back.checkIn?.newDamage).toEqual([{ description: 'Dent in driver door', amount: { amount: 25_000, currency: 'EUR' } }]);

    // Nothing paid yet: closing is refused with the amount due.
    const refused = await shop.fail('bookings.close', { id: d.id });
    expect(refused.code).toBe('conflict');
    expect(refused.message).toMatch(/still due/);
    shop.b.db
      .prepare(
        `INSERT INTO payments (id, booking_id, kind, method, status, amount, amount_captured, currency, idempotency_key, install_id, created_at, updated_at)
         VALUES ('P1', ?, 'charge', 'cash', 'succeeded', ?, ?, 'EUR', 'k1', 'i', 'now', 'now')`,
      )
      .run(d.id, back.total.amount, back.total.amount);
    const closed = await shop.ok('bookings.close', { id: d.id });
    expect(closed.status).toBe('closed');
    expect(closed.balanceDue.amount).toBe(0);
    expect(closed.audit.map((a) => a.action)).toEqual(['booking.create', 'booking.check_out', 'booking.check_in', 'booking.close']);
  });

  it('refuses transitions that make no sense, saying why', async () => {
    shop = await openTestShop();
    const v = await shop.vehicle();
    const d = await booked(shop, v.id, at(2, 10), at(3, 10));
    expect(await shop.fail('bookings.checkIn', { id: d.id, odometer: 10_100, fuelEighths: 8 })).toMatchObject({
      code: 'conflict',
      message: `${d.ref} is reserved, so it cannot be checked in.`,
    });
    expect(await shop.fail('bookings.close', { id: d.id })).toMatchObject({ code: 'conflict' });
    expect((await shop.fail('bookings.noShow', { id: d.id })).message).toMatch(/only after its pickup time/);
    await shop.ok('bookings.cancel', { id: d.id, reason: 'Customer called' });
    expect((await shop.fail('bookings.cancel', { id: d.id, reason: 'again' })).message).toBe(`${d.ref} is cancelled, so it cannot be cancelled.`);
    expect((await shop.fail('bookings.checkOut', { id: d.id, odometer: 10_000, fuelEighths: 8 })).code).toBe('conflict');
    expect((await shop.fail('bookings.extend', { id: d.id, returnAt: at(4, 10) })).code).toBe('conflict');

    const e = await booked(shop, v.id, at(2, 10), at(3, 10));
    shop.clock.now = new Date(at(2, 12));
    expect((await shop.ok('bookings.noShow', { id: e.id, reason: 'Did not arrive' })).status).toBe('no_show');
    const f = await booked(shop, v.id, at(4, 10), at(5, 10));
    shop.clock.now = new Date(at(3, 23));
    await shop.ok('bookings.checkOut', { id: f.id, odometer: 10_000, fuelEighths: 8 });
    expect((await shop.fail('bookings.modify', { id: f.id, vehicleId: v.id, pickupAt: at(4, 11) })).message).toMatch(/checked out, so it cannot be changed/);
    // Notes may still be added while out.
    expect((await shop.ok('bookings.modify', { id: f.id, notes: 'Customer will call if late' })).notes).toBe('Customer will call if late');
  });

  it('refuses a stale edit from another window', async () => {
    shop = await openTestShop();
    const v = await shop.vehicle();
    const d = await booked(shop, v.id, at(2, 10), at(3, 10));
    await shop.ok('bookings.modify', { id: d.id, expectedVersion: d.version, notes: 'first' });
    const err = await shop.fail('bookings.modify', { id: d.id, expectedVersion: d.version, notes: 'second' });
    expect(err.code).toBe('conflict');
    expect(err.fields?.expectedVersion).toBeDefined();
  });

  it('re-prices a modification and audits what changed', async () => {
    shop = await openTestShop();
    const v = await shop.vehicle({ class: 'economy' });
    const suv = await shop.vehicle({ class: 'suv' });
    const d = await booked(shop, v.id, at(2, 10), at(3, 10));
    const m = await shop.ok('bookings.modify', { id: d.id, vehicleId: suv.id, returnAt: at(4, 10) });
    expect(m.vehicle.id).toBe(suv.id);
    expect(m.quote.rentalDays).toBe(2);
    expect(m.quote.lines[0]).toMatchObject({ kind: 'rental_days', code: 'suv', quantity: 2 });
    const rows = shop.b.db.prepare("SELECT * FROM audit_log WHERE action = 'booking.modify'").all() as AuditRow[];
    expect(rows).toHaveLength(1);
    const before = JSON.parse(rows[0]?.before_json ?? '{}') as Record<string, unknown>;
    const after = JSON.parse(rows[0]?.after_json ?? '{}') as Record<string, unknown>;
    expect(before).toMatchObject({ vehicleId: v.id, plate: v.plate, returnAt: '2025-06-03T08:00:00.000Z' });
    expect(after).toMatchObject({ vehicleId: suv.id, plate: suv.plate, returnAt: '2025-06-04T08:00:00.000Z', vehicleClass: 'suv' });
    expect(rows[0]?.actor_id).toBe(shop.clerk.staffId);
  });

  it('saves a signature image as a file and keeps only its path', async () => {
    shop = await openTestShop();
    const v = await shop.vehicle();
    const d = await booked(shop, v.id, at(2, 10), at(3, 10));
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const out = await shop.ok('bookings.checkOut', { id: d.id, odometer: 10_000, fuelEighths: 8, signature: `data:image/png;base64,${png.toString('base64')}` });
    const ref = out.checkOut?.signatureRef ?? '';
    expect(ref).toMatch(/^signatures\/.+\.png$/);
    expect(readFileSync(join(shop.dir, ref))).toEqual(png);
    const huge = `data:image/png;base64,${Buffer.alloc(300 * 1024).toString('base64')}`;
    const d2 = await booked(shop, (await shop.vehicle()).id, at(2, 10), at(3, 10));
    const err = await shop.fail('bookings.checkOut', { id: d2.id, odometer: 10_000, fuelEighths: 8, signature: huge });
    expect(err.fields?.signature).toMatch(/too large/);
    expect(existsSync(join(shop.dir, 'signatures'))).toBe(true);
  });
});

describe('audit rows are written with the change or not at all', () => {
  it('rolls the booking, its price snapshot and its search entry back when the audit write fails', async () => {
    shop = await openTestShop();
    const v = await shop.vehicle();
    const c = await shop.customer();
    const counts = () => ['bookings', 'booking_quotes', 'booking_lines', 'bookings_fts', 'audit_log'].map((t) => shop.count(t));
    const before = counts();
    shop.b.db.exec("CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    const res = await shop.b.call(shop.clerk, 'bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: at(2, 10), returnAt: at(3, 10) });
    expect(res).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(counts()).toEqual(before);

    shop.b.db.exec('DROP TRIGGER fail_audit');
    const d = await booked(shop, v.id, at(2, 10), at(3, 10));
    shop.b.db.exec("CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    const out = await shop.b.call(shop.clerk, 'bookings.checkOut', { id: d.id, odometer: 10_500, fuelEighths: 7 });
    expect(out.ok).toBe(false);
    const vehicle = shop.b.db.prepare('SELECT status, odometer, version FROM vehicles WHERE id = ?').get(v.id);
    expect(vehicle).toEqual({ status: 'available', odometer: 10_000, version: 1 });
    expect(shop.b.db.prepare('SELECT status, version FROM bookings WHERE id = ?').get(d.id)).toEqual({ status: 'reserved', version: 1 });
    expect(shop.count('handovers')).toBe(0);
  });
});

describe('bad input names the field and writes nothing', () => {
  it.each([
    ['dates in the wrong order', (v: string, c: string) => ({ customerId: c, vehicleId: v, pickupAt: at(3, 10), returnAt: at(2, 10) }), 'returnAt'],
    ['a date without an offset', (v: string, c: string) => ({ customerId: c, vehicleId: v, pickupAt: '2025-06-02 10:00', returnAt: at(3, 10) }), 'pickupAt'],
    ['an unknown vehicle', (_v: string, c: string) => ({ customerId: c, vehicleId: '01JZZZZZZZZZZZZZZZZZZZZZZZ', pickupAt: at(2, 10), returnAt: at(3, 10) }), 'vehicleId'],
    ['an unknown customer', (v: string) => ({ customerId: '01JZZZZZZZZZZZZZZZZZZZZZZZ', vehicleId: v, pickupAt: at(2, 10), returnAt: at(3, 10) }), 'customerId'],
    ['an oversized note', (v: string, c: string) => ({ customerId: c, vehicleId: v, pickupAt: at(2, 10), returnAt: at(3, 10), notes: 'x'.repeat(2001) }), 'notes'],
    ['an extra not on the rate card', (v: string, c: string) => ({ customerId: c, vehicleId: v, pickupAt: at(2, 10), returnAt: at(3, 10), extras: [{ code: 'jetpack' }] }), 'extras.0.code'],
    ['a pickup in the past', (v: string, c: string) => ({ customerId: c, vehicleId: v, pickupAt: at(1, 10), returnAt: at(3, 10) }), 'pickupAt'],
  ])('create with %s', async (_what, input, field) => {
    shop = await openTestShop();
    const v = await shop.vehicle();
    const c = await shop.customer();
    const err = await shop.fail('bookings.create', input(v.id, c.id) as never);
    expect(err.code).toBe('invalid_input');
    expect(Object.keys(err.fields ?? {})).toContain(field);
    expect(err.fields?.[field]?.length).toBeGreaterThan(5);
    expect(shop.count('bookings')).toBe(0);
  });

  it('an expired licence (expiring before the return date) names the customer field and the dates', async () => {
    shop = await openTestShop();
    const v = await shop.vehicle();
    const c = await shop.customer({ licenceExpiry: '2025-06-03' });
    expect((await shop.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: at(2, 10), returnAt: at(3, 10) })).status).toBe('reserved');
    const err = await shop.fail('bookings.create', { customerId: c.id, vehicleId: (await shop.vehicle()).id, pickupAt: at(2, 10), returnAt: at(4, 10) });
    expect(err.code).toBe('invalid_input');
    expect(err.fields?.customerId).toMatch(/licence expires on 3 Jun 2025, before the return on 4 Jun 2025/);
    expect(shop.count('bookings')).toBe(1);
  });

  it.each([
    ['negative minor units', { amount: -100, currency: 'EUR' }, 'newDamage.0.amount'],
    ['fractional minor units', { amount: 12.5, currency: 'EUR' }, 'newDamage.0.amount'],
    ['an unknown currency', { amount: 100, currency: 'XYZ' }, 'newDamage.0.currency'],
    ['another currency than the booking', { amount: 100, currency: 'GBP' }, 'newDamage.0.currency'],
  ])('check-in damage with %s', async (_what, money, field) => {
    shop = await openTestShop();
    const v = await shop.vehicle();
    const d = await booked(shop, v.id, at(2, 10), at(3, 10));
    await shop.ok('bookings.checkOut', { id: d.id, odometer: 10_000, fuelEighths: 8, at: at(2, 8) });
    shop.clock.now = new Date(at(3, 10));
    const err = await shop.fail('bookings.checkIn', { id: d.id, odometer: 10_200, fuelEighths: 8, newDamage: [{ description: 'Dent', ...money }] });
    expect(err.code).toBe('invalid_input');
    expect(Object.keys(err.fields ?? {})).toEqual([field]);
    expect(shop.count('handovers')).toBe(1);
    expect((shop.b.db.prepare('SELECT status FROM bookings').get() as { status: string }).status).toBe('checked_out');
  });

  it('an odometer lower than at check-out, a fuel level of 9, a return before check-out', async () => {
    shop = await openTestShop();
    const v = await shop.vehicle();
    const d = await booked(shop, v.id, at(2, 10), at(3, 10));
    await shop.ok('bookings.checkOut', { id: d.id, odometer: 10_000, fuelEighths: 8, at: at(2, 8) });
    shop.clock.now = new Date(at(3, 10));
    expect((await shop.fail('bookings.checkIn', { id: d.id, odometer: 9_999, fuelEighths: 8 })).fields?.odometer).toMatch(/below the reading at check-out/);
    expect((await shop.fail('bookings.checkIn', { id: d.id, odometer: 10_100, fuelEighths: 9 })).fields?.fuelEighths).toMatch(/above full/);
    expect((await shop.fail('bookings.checkIn', { id: d.id, odometer: 10_100, fuelEighths: 8, returnedAt: at(2, 7) })).fields?.returnedAt).toMatch(/after the check-out/);
  });
});

describe('roles', () => {
  it('a clerk cannot call manager methods; nobody signed in can call clerk methods', async () => {
    shop = await openTestShop();
    const rates = await shop.ok('rates.get', {});
    expect(await shop.fail('rates.update', { card: rates.raw })).toMatchObject({ code: 'forbidden' });
    expect(await shop.fail('vehicles.upsert', { plate: 'AB-123-C', make: 'Fiat', model: '500', class: 'economy', odometer: 1, fuelEighths: 8 })).toMatchObject({ code: 'forbidden' });
    expect(await shop.fail('settings.update', { shopName: 'Mine' })).toMatchObject({ code: 'forbidden' });
    const nobody = { role: null, staffId: null, transport: 'http' as const };
    expect(await shop.fail('bookings.search', { query: 'x' }, nobody)).toMatchObject({ code: 'not_signed_in' });
    expect(await shop.fail('counter.today', {}, nobody)).toMatchObject({ code: 'not_signed_in' });
    expect(shop.count('vehicles')).toBe(0);
    expect((await shop.ok('rates.update', { card: rates.raw }, shop.manager)).card.version).toBe(2);
  });
});

describe('quotes and lists', () => {
  it('prices a prospective booking without saving it, young-driver fee and one-way fee included', async () => {
    shop = await openTestShop();
    const young = await shop.customer({ dateOfBirth: '2002-01-15' }); // 23 at pickup
    const { locations } = await shop.ok('locations.list', {});
    const rtm = locations.find((l) => l.code === 'RTM');
    const { quote } = await shop.ok('bookings.quote', {
      customerId: young.id,
      vehicleClass: 'economy',
      pickupAt: at(2, 10),
      returnAt: at(4, 10),
      returnLocationId: rtm?.id,
    });
    expect(quote.lines.map((l) => l.kind)).toEqual(['rental_days', 'young_driver_fee', 'one_way_fee', 'tax']);
    expect(quote.lines.find((l) => l.kind === 'one_way_fee')?.amount).toEqual({ amount: 4500, currency: 'EUR' });
    expect(quote.total.currency).toBe('EUR');
    expect(shop.count('bookings') + shop.count('booking_quotes')).toBe(0);
    const tooYoung = await shop.customer({ dateOfBirth: '2006-01-15' });
    const err = await shop.fail('bookings.quote', { customerId: tooYoung.id, vehicleClass: 'economy', pickupAt: at(2, 10), returnAt: at(4, 10) });
    expect(err).toMatchObject({ code: 'invalid_input', fields: { customerId: expect.stringContaining('at least 21') } });
    expect((await shop.fail('bookings.quote', { vehicleClass: 'limo', pickupAt: at(2, 10), returnAt: at(4, 10) })).fields?.vehicleClass).toMatch(/not on rate card/);
    expect((await shop.fail('bookings.quote', { pickupAt: at(2, 10), returnAt: at(4, 10) })).fields?.vehicleClass).toMatch(/Choose a vehicle or a class/);
  });

  it('lists bookings overlapping a window, for the planner', async () => {
    shop = await openTestShop();
    const v = await shop.vehicle();
    const w = await shop.vehicle();
    const a = await booked(shop, v.id, at(2, 10), at(4, 10));
    const b2 = await booked(shop, w.id, at(3, 10), at(6, 10));
    await booked(shop, v.id, at(10, 10), at(12, 10));
    const refs = async (input: { from: string; to: string; vehicleId?: string }) => (await shop.ok('bookings.list', input)).bookings.map((x) => x.ref);
    expect(await refs({ from: at(3, 0), to: at(5, 0) })).toEqual([a.ref, b2.ref]);
    expect(await refs({ from: at(3, 0), to: at(5, 0), vehicleId: w.id })).toEqual([b2.ref]);
    expect(await refs({ from: at(7, 0), to: at(8, 0) })).toEqual([]);
  });
});
