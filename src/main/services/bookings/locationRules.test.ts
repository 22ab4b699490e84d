import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Input } from '../../../shared/contract';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';

/**
 * Issue 15, locations: a booking is governed by its locations — the pickup location's clock and
 * tax price it, the return location's turnaround holds the car, both locations' opening hours
 * bound its times, and a location cannot take a currency the rate card does not price.
 */
let shop: TestShop;
afterEach(() => shop.close());

type Loc = Partial<Input<'locations.upsert'>>;
async function addLocation(code: string, over: Loc = {}) {
  return shop.ok('locations.upsert', { code, name: over.name ?? code, ...over }, shop.manager);
}
const home = async () => (await shop.ok('locations.list', {})).locations.find((l) => l.isHome) as { id: string; code: string };
const taxLine = (q: { lines: { kind: string; description: string }[] }) => q.lines.find((l) => l.kind === 'tax')?.description;

describe('pricing at a location', () => {
  it('counts weekend days on the pickup location’s clock and charges its own tax, named on the price', async () => {
    shop = await openTestShop();
    const ny = await addLocation('NYC', { name: 'New York Penn', timeZone: 'America/New_York', taxName: 'VAT', taxRateBp: 2100 });
    const ams = await home();
    const car = await shop.vehicle();
    // Friday 20:00 in New York is Saturday 02:00 in Amsterdam: the same instant is a weekday there, a weekend day here.
    const at = { vehicleId: car.id, pickupAt: '2025-06-06T20:00:00-04:00', returnAt: '2025-06-07T20:00:00-04:00' };
    const there = (await shop.ok('bookings.quote', { ...at, pickupLocationId: ny.id })).quote;
    const here = (await shop.ok('bookings.quote', { ...at, pickupLocationId: ams.id })).quote;
    expect(there.lines.map((l) => l.kind)).toContain('rental_days');
    expect(there.lines.map((l) => l.kind)).not.toContain('weekend_days');
    expect(taxLine(there)).toBe('VAT 21% of €42.00');
    expect(there.taxRateBp).toBe(2100);
    expect(here.lines.map((l) => l.kind)).toContain('weekend_days');
    expect(taxLine(here)).toBe('VAT 20% of €35.00');
    // The booking stores what the quote showed.
    const c = await shop.customer();
    const booked = await shop.ok('bookings.create', { ...at, customerId: c.id, pickupLocationId: ny.id });
    expect(booked.total.amount).toBe(there.total.amount);
    expect(taxLine(booked.quote)).toBe('VAT 21% of €42.00');
    expect(booked.pickupLocation.timeZone).toBe('America/New_York');
  });

  it('follows the location’s clock across its own daylight-saving change, not the shop’s', async () => {
    shop = await openTestShop();
    const ny = await addLocation('NYC', { name: 'New York Penn', timeZone: 'America/New_York' });
    const ams = await home();
    const car = await shop.vehicle();
    // New York falls back on Sunday 2 Nov 2025. From Saturday 00:30 the third 24 h starts at
    // 23:30 on Sunday there (three weekend days); in Amsterdam it starts on Monday morning.
    const at = { vehicleId: car.id, pickupAt: '2025-11-01T00:30:00-04:00', returnAt: '2025-11-03T23:30:00-05:00' };
    const there = (await shop.ok('bookings.quote', { ...at, pickupLocationId: ny.id })).quote;
    const here = (await shop.ok('bookings.quote', { ...at, pickupLocationId: ams.id })).quote;
    expect(there.rentalDays).toBe(3);
    expect(there.lines.find((l) => l.kind === 'weekend_days')?.quantity).toBe(3);
    expect(here.lines.find((l) => l.kind === 'weekend_days')?.quantity).toBe(2);
    expect(here.lines.find((l) => l.kind === 'rental_days')?.quantity).toBe(1);
  });

  it('refuses a location taking another currency than the rate card, on the form and when booking, and writes nothing', async () => {
    shop = await openTestShop();
    const n = shop.count('locations');
    const refused = await shop.fail('locations.upsert', { code: 'JFK', name: 'JFK Airport', currency: 'usd' }, shop.manager);
    expect(refused.fields?.currency).toMatch(/rate card prices in EUR.*USD could not be booked/);
    expect(shop.count('locations')).toBe(n);
    // The card's own currency, or none, is fine.
    const jfk = await addLocation('JFK', { name: 'JFK Airport', currency: 'EUR' });
    // The card cannot move to another currency while a location takes EUR: that location could not be booked.
    const { raw } = await shop.ok('rates.get', {});
    const versions = shop.count('rate_cards');
    const moved = await shop.fail('rates.update', { card: { ...raw, currency: 'USD' } }, shop.manager);
    expect(moved.fields?.['card.currency']).toMatch(/JFK Airport \(EUR\) takes another currency than USD/);
    expect(shop.count('rate_cards')).toBe(versions);
    // A location stored with another currency (a shop that changed its card) cannot be priced at.
    shop.b.db.prepare("UPDATE locations SET currency = 'USD' WHERE id = ?").run(jfk.id);
    const car = await shop.vehicle();
    const c = await shop.customer();
    const before = shop.count('bookings');
    const at = { vehicleId: car.id, pickupAt: '2025-06-03T10:00:00+02:00', returnAt: '2025-06-04T10:00:00+02:00', pickupLocationId: jfk.id };
    const q = await shop.fail('bookings.quote', at);
    expect(q.fields?.pickupLocationId).toMatch(/JFK Airport takes USD but the rate card prices in EUR/);
    const create = await shop.fail('bookings.create', { ...at, customerId: c.id });
    expect(create.fields?.pickupLocationId).toBeDefined();
    expect(shop.count('bookings')).toBe(before);
  });

  it('keeps the tax a booking was quoted with when the location’s tax changes; new bookings get the new one', async () => {
    shop = await openTestShop();
    const utr = await addLocation('UTR', { name: 'Utrecht', taxName: 'BTW', taxRateBp: 2100 });
    const car = await shop.vehicle();
    const c = await shop.customer();
    const booked = await shop.ok('bookings.create', { customerId: c.id, vehicleId: car.id, pickupLocationId: utr.id, pickupAt: '2025-06-03T10:00:00+02:00', returnAt: '2025-06-04T10:00:00+02:00' });
    expect(taxLine(booked.quote)).toBe('BTW 21% of €42.00');
    await shop.ok('locations.upsert', { id: utr.id, code: 'UTR', name: 'Utrecht', taxName: 'BTW', taxRateBp: 900, expectedVersion: utr.version }, shop.manager);
    const stored = await shop.ok('bookings.get', { id: booked.id });
    expect(stored.total).toEqual(booked.total);
    // Re-priced for a longer rental: still the tax it was quoted with.
    const longer = await shop.ok('bookings.extend', { id: booked.id, returnAt: '2025-06-05T10:00:00+02:00' });
    expect(taxLine(longer.quote)).toBe('BTW 21% of €84.00');
    const other = await shop.vehicle();
    const fresh = await shop.ok('bookings.create', { customerId: c.id, vehicleId: other.id, pickupLocationId: utr.id, pickupAt: '2025-06-03T10:00:00+02:00', returnAt: '2025-06-04T10:00:00+02:00' });
    expect(taxLine(fresh.quote)).toBe('BTW 9% of €42.00');
  });
});

describe('turnaround at the return location', () => {
  // Tuesday 3 June 2025, Amsterdam (+02:00).
  const at = (hh: number, mm = 0) => `2025-06-03T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00+02:00`;

  it('holds a car for its return location’s gap: 0 means none, null means the shop’s', async () => {
    shop = await openTestShop({ turnaroundMinutes: 60 });
    const quick = await addLocation('QCK', { name: 'Quick wash', turnaroundMinutes: 0 });
    const usual = await addLocation('USU', { name: 'Usual', turnaroundMinutes: null });
    const slow = await addLocation('SLW', { name: 'Slow yard', turnaroundMinutes: 120 });
    const a = await shop.vehicle({ plate: 'TA-001-A' });
    const b = await shop.vehicle({ plate: 'TA-002-B' });
    const c = await shop.customer();
    // A first rental of each car, returned at a different location (one-way: the card's flat fee).
    await shop.ok('bookings.create', { customerId: c.id, vehicleId: a.id, returnLocationId: quick.id, pickupAt: at(9), returnAt: at(12) });
    await shop.ok('bookings.create', { customerId: c.id, vehicleId: b.id, returnLocationId: usual.id, pickupAt: at(9), returnAt: at(12) });

    // Car A, back at a location with no turnaround, may go out again at once.
    const free = await shop.ok('vehicles.availability', { from: at(12), to: at(15) });
    expect(free.vehicles.map((v) => v.plate)).toContain('TA-001-A');
    expect(free.vehicles.map((v) => v.plate)).not.toContain('TA-002-B');
    const again = await shop.ok('bookings.create', { customerId: c.id, vehicleId: a.id, pickupAt: at(12), returnAt: at(15) });

    // Car B, back where the shop's 60 minutes apply: refused at 12:30, fine at 13:00.
    const refused = await shop.fail('bookings.create', { customerId: c.id, vehicleId: b.id, pickupAt: at(12, 30), returnAt: at(15) });
    expect(refused.code).toBe('conflict');
    expect(refused.fields?.vehicleId).toMatch(/60 minutes' turnaround/);
    await shop.ok('bookings.create', { customerId: c.id, vehicleId: b.id, pickupAt: at(13), returnAt: at(15) });

    // The new rental's own return location sets the gap before the car's next booking (A at 17:30).
    await shop.ok('bookings.create', { customerId: c.id, vehicleId: a.id, pickupAt: at(17, 30), returnAt: at(19) });
    const tooLate = await shop.fail('bookings.modify', { id: again.id, returnAt: at(16), returnLocationId: slow.id });
    expect(tooLate.fields?.vehicleId).toMatch(/120 minutes' turnaround/);
    expect((await shop.ok('bookings.get', { id: again.id })).version).toBe(again.version);
    const offered = await shop.ok('vehicles.availability', { from: at(16), to: at(16, 30), returnLocationId: slow.id });
    expect(offered.vehicles.map((v) => v.plate)).not.toContain('TA-001-A');
    const offeredNearby = await shop.ok('vehicles.availability', { from: at(16), to: at(16, 30), returnLocationId: quick.id });
    expect(offeredNearby.vehicles.map((v) => v.plate)).toContain('TA-001-A');
  });

  it('two counters on one database booking the same car around a slow return location: one booking wins', async () => {
    const first = await openTestShop({ turnaroundMinutes: 60 });
    const dbPath = join(first.dir, 'shop.sqlite');
    first.close();
    const a = await openTestShop({ dbPath, turnaroundMinutes: 60 });
    const b = await openTestShop({ dbPath, turnaroundMinutes: 60 });
    shop = a;
    try {
      const slow = await a.ok('locations.upsert', { code: 'SLW', name: 'Slow yard', turnaroundMinutes: 120 }, a.manager);
      for (let round = 0; round < 5; round++) {
        const car = await a.vehicle();
        const c = await a.customer();
        // 09:00–12:00 back at the slow yard (ready 14:00) against 13:00–15:00 at home: they cannot both stand.
        const results = await Promise.all([
          a.b.call(a.clerk, 'bookings.create', { customerId: c.id, vehicleId: car.id, returnLocationId: slow.id, pickupAt: at(9), returnAt: at(12) }),
          b.b.call(b.clerk, 'bookings.create', { customerId: c.id, vehicleId: car.id, pickupAt: at(13), returnAt: at(15) }),
        ]);
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(a.b.db.prepare('SELECT count(*) FROM bookings WHERE vehicle_id = ?').pluck().get(car.id)).toBe(1);
      }
    } finally {
      b.close();
    }
  });

  it('uses the return location’s gap after a check-in there', async () => {
    shop = await openTestShop({ now: '2025-06-03T06:00:00.000Z', turnaroundMinutes: 60 });
    const quick = await addLocation('QCK', { name: 'Quick wash', turnaroundMinutes: 15 });
    const car = await shop.vehicle({ plate: 'TA-003-C' });
    const c = await shop.customer();
    const out = await shop.ok('bookings.create', { customerId: c.id, vehicleId: car.id, returnLocationId: quick.id, pickupAt: at(9), returnAt: at(21) });
    shop.clock.now = new Date(at(9));
    await shop.ok('bookings.checkOut', { id: out.id, odometer: 10_000, fuelEighths: 8 });
    shop.clock.now = new Date(at(18));
    await shop.ok('bookings.checkIn', { id: out.id, odometer: 10_100, fuelEighths: 8 });
    const refused = await shop.fail('bookings.create', { customerId: c.id, vehicleId: car.id, pickupAt: at(18, 10), returnAt: at(21) });
    expect(refused.message).toContain('until 3 Jun 2025, 18:15 (15 minutes');
    await shop.ok('bookings.create', { customerId: c.id, vehicleId: car.id, pickupAt: at(18, 15), returnAt: at(21) });
  });
});

describe('opening hours', () => {
  // Schiphol: Monday to Friday 07:00–22:00, Sunday 09:00–17:00, closed on Saturdays.
  const hours = [1, 2, 3, 4, 5].map((day) => ({ day, opens: '07:00', closes: '22:00' })).concat([{ day: 7, opens: '09:00', closes: '17:00' }]);

  it('refuses pickups and returns outside them, naming the field and that day’s hours, and writes nothing', async () => {
    shop = await openTestShop();
    const spl = await addLocation('SPL', { name: 'Schiphol', openingHours: hours });
    const car = await shop.vehicle();
    const c = await shop.customer();
    const n = shop.count('bookings');
    const base = { customerId: c.id, vehicleId: car.id, pickupLocationId: spl.id };
    // A rental across midnight at a location that closes at 22:00.
    const late = await shop.fail('bookings.create', { ...base, pickupAt: '2025-06-03T20:00:00+02:00', returnAt: '2025-06-03T23:30:00+02:00' });
    expect(late.fields?.returnAt).toBe('Schiphol opens 07:00–22:00 on Tuesdays; return at 23:30 (Europe/Amsterdam) is outside those hours.');
    const early = await shop.fail('bookings.quote', { vehicleId: car.id, pickupLocationId: spl.id, pickupAt: '2025-06-08T08:30:00+02:00', returnAt: '2025-06-09T10:00:00+02:00' });
    expect(early.fields?.pickupAt).toMatch(/^Schiphol opens 09:00–17:00 on Sundays; pickup at 08:30/);
    const closed = await shop.fail('bookings.create', { ...base, pickupAt: '2025-06-03T10:00:00+02:00', returnAt: '2025-06-07T10:00:00+02:00' });
    expect(closed.fields?.returnAt).toMatch(/^Schiphol is closed on Saturdays/);
    // Both ends wrong: both fields named at once.
    const both = await shop.fail('bookings.create', { ...base, pickupAt: '2025-06-07T10:00:00+02:00', returnAt: '2025-06-09T23:00:00+02:00' });
    expect(Object.keys(both.fields ?? {}).sort()).toEqual(['pickupAt', 'returnAt']);
    expect(shop.count('bookings')).toBe(n);
    // Exactly at opening and closing is fine.
    const ok = await shop.ok('bookings.create', { ...base, pickupAt: '2025-06-03T07:00:00+02:00', returnAt: '2025-06-03T22:00:00+02:00' });
    // Extend and modify are held to the same hours.
    const ext = await shop.fail('bookings.extend', { id: ok.id, returnAt: '2025-06-04T22:30:00+02:00' });
    expect(ext.fields?.returnAt).toMatch(/opens 07:00–22:00 on Wednesdays/);
    const mod = await shop.fail('bookings.modify', { id: ok.id, pickupAt: '2025-06-03T06:45:00+02:00' });
    expect(mod.fields?.pickupAt).toMatch(/pickup at 06:45/);
    expect((await shop.ok('bookings.get', { id: ok.id })).version).toBe(ok.version);
    // A notes change is not refused by hours that changed later.
    await shop.ok('locations.upsert', { id: spl.id, code: 'SPL', name: 'Schiphol', openingHours: [{ day: 1, opens: '10:00', closes: '12:00' }], expectedVersion: spl.version }, shop.manager);
    await shop.ok('bookings.modify', { id: ok.id, notes: 'Gate B' });
  });

  it('reads hours on the location’s own clock, across its daylight-saving change; no hours stored means always open', async () => {
    shop = await openTestShop();
    // New York springs forward on Sunday 8 March 2026: 08:00 on Monday 9 March is 12:00 UTC, not 13:00.
    const ny = await addLocation('NYC', { name: 'New York Penn', timeZone: 'America/New_York', openingHours: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, opens: '08:00', closes: '20:00' })) });
    const car = await shop.vehicle();
    const q = (pickupAt: string) => shop.b.call(shop.clerk, 'bookings.quote', { vehicleId: car.id, pickupLocationId: ny.id, pickupAt, returnAt: '2026-03-10T18:00:00.000Z' });
    expect((await q('2026-03-09T12:00:00.000Z')).ok).toBe(true);
    const before = await q('2026-03-09T11:59:00.000Z');
    expect(before.ok ? '' : before.error.fields?.pickupAt).toMatch(/pickup at 07:59 \(America\/New_York\)/);
    // The home location has no hours: a 03:00 pickup is fine there.
    expect((await shop.b.call(shop.clerk, 'bookings.quote', { vehicleId: car.id, pickupAt: '2025-06-03T03:00:00+02:00', returnAt: '2025-06-04T03:00:00+02:00' })).ok).toBe(true);
  });
});

describe('the counter’s day', () => {
  it('lists the home location’s pickups and returns, on its clock', async () => {
    shop = await openTestShop();
    const other = await addLocation('RTM2', { name: 'Elsewhere' });
    const car = await shop.vehicle();
    const car2 = await shop.vehicle();
    const c = await shop.customer();
    const here = await shop.ok('bookings.create', { customerId: c.id, vehicleId: car.id, pickupAt: '2025-06-02T12:00:00+02:00', returnAt: '2025-06-03T12:00:00+02:00' });
    const there = await shop.ok('bookings.create', { customerId: c.id, vehicleId: car2.id, pickupLocationId: other.id, pickupAt: '2025-06-02T12:00:00+02:00', returnAt: '2025-06-03T12:00:00+02:00' });
    const day = await shop.ok('counter.today', {});
    expect(day.timeZone).toBe('Europe/Amsterdam');
    expect(day.location?.code).toBe((await home()).code);
    expect(day.pickups.map((b) => b.id)).toContain(here.id);
    expect(day.pickups.map((b) => b.id)).not.toContain(there.id);
  });
});

describe('a walk-in just after midnight', () => {
  it('books a pickup typed a few minutes before midnight, and still refuses one from earlier that evening', async () => {
    // 00:05 on Tuesday in Amsterdam (the shop's clock): the pickup was typed at 23:55 on Monday.
    shop = await openTestShop({ now: '2025-06-02T22:05:00.000Z' });
    const car = await shop.vehicle();
    const c = await shop.customer();
    const booked = await shop.ok('bookings.create', { customerId: c.id, vehicleId: car.id, pickupAt: '2025-06-02T21:55:00.000Z', returnAt: '2025-06-03T10:00:00.000Z' });
    expect(booked.status).toBe('reserved');
    const late = await shop.fail('bookings.create', { customerId: c.id, vehicleId: car.id, pickupAt: '2025-06-02T21:30:00.000Z', returnAt: '2025-06-03T10:00:00.000Z' });
    expect(late.fields).toEqual({ pickupAt: 'Pickup cannot be before today' });
  });
});
