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
