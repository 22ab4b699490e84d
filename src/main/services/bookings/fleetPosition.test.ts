import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';

/**
 * A car is where its last rental left it: check-in parks it at the booking's return location
 * (a one-way rental moves it), availability projects where each car will be at a pickup, and
 * booking by class prefers a car that will already be at the pickup location.
 */
let shop: TestShop;
afterEach(() => shop.close());
const at = (day: number, hh: number, mm = 0) => `2025-06-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00+02:00`;

async function locs(s: TestShop) {
  const { locations } = await s.ok('locations.list', {});
  const by = (code: string) => locations.find((l) => l.code === code) as { id: string; name: string };
  return { ams: by('AMS'), rtm: by('RTM'), ein: by('EIN') };
}

describe('check-in moves the car', () => {
  it('parks a one-way rental’s car at its return location, in the check-in’s own audit row', async () => {
    shop = await openTestShop();
    const { ams, rtm } = await locs(shop);
    const car = await shop.vehicle({ locationId: ams.id });
    const c = await shop.customer();
    const d = await shop.ok('bookings.create', { customerId: c.id, vehicleId: car.id, pickupLocationId: ams.id, returnLocationId: rtm.id, pickupAt: at(2, 9), returnAt: at(3, 9) });
    shop.clock.now = new Date(at(2, 9, 5));
    await shop.ok('bookings.checkOut', { id: d.id, odometer: 10_000, fuelEighths: 8 });
    // Out on rent the car is still recorded where it left from.
    expect((await shop.ok('vehicles.list', {})).vehicles.find((v) => v.id === car.id)?.locationId).toBe(ams.id);
    shop.clock.now = new Date(at(3, 9, 10));
    const back = await shop.ok('bookings.checkIn', { id: d.id, odometer: 10_150, fuelEighths: 8 });
    expect(back.vehicle.locationId).toBe(rtm.id);
    const listed = (await shop.ok('vehicles.list', {})).vehicles.find((v) => v.id === car.id);
    expect(listed).toMatchObject({ locationId: rtm.id, status: 'available', odometer: 10_150 });
    const rows = shop.b.db.prepare("SELECT action, after_json FROM audit_log WHERE entity_id IN (?, ?) ORDER BY seq").all(d.id, car.id) as { action: string; after_json: string }[];
    const checkIn = rows.filter((r) => r.action === 'booking.check_in');
    expect(checkIn).toHaveLength(1);
    expect(JSON.parse(checkIn[0]?.after_json ?? '{}')).toMatchObject({ vehicleLocation: { from: ams.id, to: rtm.id } });
    // No separate move row: the move is part of the check-in.
    expect(rows.map((r) => r.action)).not.toContain('vehicle.move');
  });

  it('leaves a round trip’s car where it was and says nothing about a move', async () => {
    shop = await openTestShop();
    const { ams } = await locs(shop);
    const car = await shop.vehicle({ locationId: ams.id });
    const c = await shop.customer();
    const d = await shop.ok('bookings.create', { customerId: c.id, vehicleId: car.id, pickupLocationId: ams.id, returnLocationId: ams.id, pickupAt: at(2, 9), returnAt: at(3, 9) });
    shop.clock.now = new Date(at(2, 9, 5));
    await shop.ok('bookings.checkOut', { id: d.id, odometer: 10_000, fuelEighths: 8 });
    shop.clock.now = new Date(at(3, 9, 10));
    const back = await shop.ok('bookings.checkIn', { id: d.id, odometer: 10_150, fuelEighths: 8 });
    expect(back.vehicle.locationId).toBe(ams.id);
    const row = shop.b.db.prepare("SELECT after_json FROM audit_log WHERE action = 'booking.check_in'").get() as { after_json: string };
    expect(JSON.parse(row.after_json)).not.toHaveProperty('vehicleLocation');
  });
});

describe('where a car will be at a pickup', () => {
  it('projects each free car to the return location of its last live booking ending by the pickup, cars at the pickup first', async () => {
    shop = await openTestShop();
    const { ams, rtm, ein } = await locs(shop);
    const stays = await shop.vehicle({ locationId: ams.id }); // plate sorts first
    const travels = await shop.vehicle({ locationId: ams.id });
    const unplaced = await shop.vehicle(); // never given a location: it counts as home (Amsterdam)
    const c = await shop.customer();
    await shop.ok('bookings.create', { customerId: c.id, vehicleId: travels.id, pickupLocationId: ams.id, returnLocationId: rtm.id, pickupAt: at(2, 9), returnAt: at(3, 9) });
    const free = async (pickupLocationId: string | undefined, from: string, to: string) =>
      (await shop.ok('vehicles.availability', { from, to, ...(pickupLocationId ? { pickupLocationId } : {}) })).vehicles.map((v) => [v.id, v.projectedLocationId]);
    // After the one-way rental the travelling car will be in Rotterdam: first for a Rotterdam pickup.
    expect(await free(rtm.id, at(4, 9), at(5, 9))).toEqual([[travels.id, rtm.id], [stays.id, ams.id], [unplaced.id, ams.id]]);
    // For an Amsterdam pickup (the default: home) it is last, still marked Rotterdam.
    expect(await free(ams.id, at(4, 9), at(5, 9))).toEqual([[stays.id, ams.id], [unplaced.id, ams.id], [travels.id, rtm.id]]);
    expect(await free(undefined, at(4, 9), at(5, 9))).toEqual(await free(ams.id, at(4, 9), at(5, 9)));
    // Before that rental ends nothing has moved it (and it is not free during it).
    expect(await free(rtm.id, at(1, 9), at(1, 18))).toEqual([[stays.id, ams.id], [travels.id, ams.id], [unplaced.id, ams.id]]);
    // Nobody is at Eindhoven: the plain order, each car marked where it will be.
    expect(await free(ein.id, at(4, 9), at(5, 9))).toEqual([[stays.id, ams.id], [travels.id, rtm.id], [unplaced.id, ams.id]]);
  });

  it('refuses a pickup location that does not exist, on its field', async () => {
    shop = await openTestShop();
    const err = await shop.fail('vehicles.availability', { from: at(4, 9), to: at(5, 9), pickupLocationId: '01JWQKKCR07R5Z0EE40DH4H5FS' });
    expect(err.fields?.pickupLocationId).toMatch(/No location with this id/);
  });

  it('ignores a cancelled one-way rental and the booking being moved', async () => {
    shop = await openTestShop();
    const { ams, rtm } = await locs(shop);
    const car = await shop.vehicle({ locationId: ams.id });
    const c = await shop.customer();
    const d = await shop.ok('bookings.create', { customerId: c.id, vehicleId: car.id, pickupLocationId: ams.id, returnLocationId: rtm.id, pickupAt: at(2, 9), returnAt: at(3, 9) });
    const projected = async (extra: object = {}) =>
      (await shop.ok('vehicles.availability', { from: at(4, 9), to: at(5, 9), pickupLocationId: ams.id, ...extra })).vehicles.find((v) => v.id === car.id)?.projectedLocationId;
    expect(await projected()).toBe(rtm.id);
    expect(await projected({ excludeBookingId: d.id })).toBe(ams.id);
    await shop.ok('bookings.cancel', { id: d.id, reason: 'Customer called' });
    expect(await projected()).toBe(ams.id);
  });
});

describe('booking by class holds a car that will be at the pickup', () => {
  it('prefers a car projected at the pickup location, else any free car of the class', async () => {
    shop = await openTestShop();
    const { ams, rtm, ein } = await locs(shop);
    const stays = await shop.vehicle({ locationId: ams.id }); // plate sorts first: the old choice everywhere
    const travels = await shop.vehicle({ locationId: ams.id });
    const c = await shop.customer();
    await shop.ok('bookings.create', { customerId: c.id, vehicleId: travels.id, pickupLocationId: ams.id, returnLocationId: rtm.id, pickupAt: at(2, 9), returnAt: at(3, 9) });
    const byClass = (pickupLocationId: string, day: number) =>
      shop.ok('bookings.create', { customerId: c.id, vehicleClass: 'compact', pickupLocationId, returnLocationId: pickupLocationId, pickupAt: at(day, 9), returnAt: at(day, 18) });
    expect((await byClass(rtm.id, 4)).vehicle.id).toBe(travels.id);
    expect((await byClass(ams.id, 5)).vehicle.id).toBe(stays.id);
    // Nobody will be at Eindhoven: any free car, as before (first by plate).
    expect((await byClass(ein.id, 6)).vehicle.id).toBe(stays.id);
    // The Rotterdam car is taken on day 7: an Amsterdam car is held for Rotterdam rather than nothing.
    await shop.ok('bookings.create', { customerId: c.id, vehicleId: travels.id, pickupLocationId: rtm.id, returnLocationId: rtm.id, pickupAt: at(7, 9), returnAt: at(7, 18) });
    expect((await byClass(rtm.id, 7)).vehicle.id).toBe(stays.id);
  });

  it('lists the car that will be at the pickup first when a clerk gives a car at pickup', async () => {
    shop = await openTestShop();
    const { ams, rtm } = await locs(shop);
    const stays = await shop.vehicle({ locationId: ams.id });
    const travels = await shop.vehicle({ locationId: ams.id });
    const c = await shop.customer();
    await shop.ok('bookings.create', { customerId: c.id, vehicleId: travels.id, pickupLocationId: ams.id, returnLocationId: rtm.id, pickupAt: at(2, 9), returnAt: at(3, 9) });
    const later = await shop.ok('bookings.create', { customerId: c.id, vehicleClass: 'compact', pickupLocationId: rtm.id, returnLocationId: rtm.id, pickupAt: at(4, 9), returnAt: at(4, 18) });
    const { cars } = await shop.ok('bookings.assignable', { id: later.id, query: '' });
    expect(cars.map((v) => [v.id, v.projectedLocationId])).toEqual([[travels.id, rtm.id], [stays.id, ams.id]]);
  });
});

describe('two counters on one database', () => {
  it('a check-in and a manager’s move of the same car: the car ends where the last audited change put it', async () => {
    const first = await openTestShop();
    const dbPath = join(first.dir, 'shop.sqlite');
    first.close();
    const a = await openTestShop({ dbPath });
    const b = await openTestShop({ dbPath });
    shop = a;
    try {
      const { ams, rtm, ein } = await locs(a);
      for (let round = 0; round < 5; round++) {
        a.clock.now = b.clock.now = new Date(at(2, 8));
        const car = await a.vehicle({ locationId: ams.id });
        const c = await a.customer();
        const d = await a.ok('bookings.create', { customerId: c.id, vehicleId: car.id, pickupLocationId: ams.id, returnLocationId: rtm.id, pickupAt: at(2, 9), returnAt: at(3, 9) });
        a.clock.now = b.clock.now = new Date(at(2, 9, 5));
        await a.ok('bookings.checkOut', { id: d.id, odometer: 10_000, fuelEighths: 8 });
        a.clock.now = b.clock.now = new Date(at(3, 9, 10));
        const [checkedIn, moved] = await Promise.all([
          a.b.call(a.clerk, 'bookings.checkIn', { id: d.id, odometer: 10_100, fuelEighths: 8 }),
          b.b.call(b.manager, 'vehicles.move', { id: car.id, locationId: ein.id }),
        ]);
        expect(checkedIn.ok).toBe(true);
        expect(moved.ok).toBe(true);
        const trail = a.b.db
          .prepare("SELECT action, after_json FROM audit_log WHERE (entity_id = ? AND action = 'booking.check_in') OR (entity_id = ? AND action = 'vehicle.move') ORDER BY seq")
          .all(d.id, car.id) as { action: string; after_json: string }[];
        const to = trail.map((r) => {
          const after = JSON.parse(r.after_json) as { vehicleLocation?: { to: string }; location_id?: string };
          return after.vehicleLocation?.to ?? after.location_id;
        });
        const where = a.b.db.prepare('SELECT location_id FROM vehicles WHERE id = ?').pluck().get(car.id);
        // Every change is audited and the last one is where the car is.
        expect(to.filter((x) => x !== undefined).at(-1)).toBe(where);
      }
    } finally {
      b.close();
    }
  });
});
