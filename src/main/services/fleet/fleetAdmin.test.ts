import { afterEach, describe, expect, it } from 'vitest';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';

let shop: TestShop;
afterEach(() => shop.close());
const at = (day: number, hh: number) => `2025-06-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:00:00+02:00`;
const VIN = 'WVWZZZ1KZAW000001';

describe('fleet administration', () => {
  it('refuses a duplicate plate or VIN with a sentence naming the field, and writes nothing', async () => {
    shop = await openTestShop();
    const v = await shop.vehicle({ plate: 'AB-123-C', vin: 'wvwzzz1kzaw 000001' });
    expect(v.vin).toBe(VIN);
    const before = shop.count('vehicles');
    expect(await shop.fail('vehicles.upsert', { plate: 'ab 123 c'.replace(/ /g, '-'), make: 'VW', model: 'Polo', class: 'compact', odometer: 1, fuelEighths: 8 }, shop.manager)).toMatchObject({
      code: 'conflict', fields: { plate: expect.stringContaining('already in the fleet') },
    });
    expect(await shop.fail('vehicles.upsert', { plate: 'XY-999-Z', vin: VIN, make: 'VW', model: 'Polo', class: 'compact', odometer: 1, fuelEighths: 8 }, shop.manager)).toMatchObject({
      code: 'conflict', fields: { vin: expect.stringContaining('AB-123-C') },
    });
    expect(await shop.fail('vehicles.upsert', { plate: 'XY-999-Z', vin: 'WVWZZZ1KZAW00000O', make: 'VW', model: 'Polo', class: 'compact', odometer: 1, fuelEighths: 8 }, shop.manager)).toMatchObject({
      fields: { vin: expect.stringContaining('never I, O or Q') },
    });
    expect(shop.count('vehicles')).toBe(before);
  });

  it('moves a vehicle between locations and audits it; a clerk cannot', async () => {
    shop = await openTestShop();
    const v = await shop.vehicle();
    const [home, other] = (await shop.ok('locations.list', {})).locations;
    expect(other).toBeDefined();
    expect(await shop.fail('vehicles.move', { id: v.id, locationId: other?.id ?? '' })).toMatchObject({ code: 'forbidden' });
    const moved = await shop.ok('vehicles.move', { id: v.id, expectedVersion: v.version, locationId: other?.id ?? '' }, shop.manager);
    expect(moved.locationId).toBe(other?.id);
    expect(home?.id).not.toBe(other?.id);
    expect(await shop.fail('vehicles.move', { id: v.id, expectedVersion: v.version, locationId: home?.id ?? '' }, shop.manager)).toMatchObject({ code: 'conflict' });
  });

  it('out of service for a date range: availability honours it, conflicting bookings are listed, cancelling frees it', async () => {
    shop = await openTestShop();
    const v = await shop.vehicle({ class: 'suv' });
    const c = await shop.customer();
    const b = await shop.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: at(10, 9), returnAt: at(12, 9) });
    const free = async (from: string, to: string) => (await shop.ok('vehicles.availability', { from, to, class: 'suv' })).vehicles.map((x) => x.id);
    expect(await free(at(5, 9), at(7, 9))).toContain(v.id);
    const added = await shop.ok('vehicles.downtime.add', { vehicleId: v.id, from: at(6, 0), to: at(11, 0), reason: 'Gearbox repair' }, shop.manager);
    expect(added.conflicts.map((x) => x.ref)).toEqual([b.ref]);
    expect(await free(at(5, 9), at(7, 9))).not.toContain(v.id);
    expect(await free(at(3, 9), at(4, 9))).toContain(v.id);
    // Named by id, the car is refused for those times too (not only left out of the list); other times are fine.
    const c2 = await shop.customer();
    expect(await shop.fail('bookings.create', { customerId: c2.id, vehicleId: v.id, pickupAt: at(7, 9), returnAt: at(8, 9) })).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('out of service'),
      fields: { vehicleId: expect.any(String) },
    });
    await shop.ok('bookings.create', { customerId: c2.id, vehicleId: v.id, pickupAt: at(13, 9), returnAt: at(14, 9) });
    expect((await shop.ok('vehicles.downtime.list', { vehicleId: v.id }, shop.manager)).downtime[0]?.conflicts[0]?.customerName).toBe(c.name);
    expect(await shop.fail('vehicles.downtime.add', { vehicleId: v.id, from: at(8, 0), to: at(9, 0), reason: 'Tyres' }, shop.manager)).toMatchObject({ code: 'conflict', fields: { from: expect.any(String) } });
    expect(await shop.fail('vehicles.downtime.add', { vehicleId: v.id, from: at(9, 0), to: at(8, 0), reason: 'Tyres' }, shop.manager)).toMatchObject({ fields: { to: expect.any(String) } });
    await shop.ok('vehicles.downtime.cancel', { id: added.downtime.id }, shop.manager);
    expect(await free(at(5, 9), at(7, 9))).toContain(v.id);
  });

  it('retires a vehicle (kept, never offered) and refuses while it has bookings ahead', async () => {
    shop = await openTestShop();
    const v = await shop.vehicle({ class: 'suv' });
    const c = await shop.customer();
    const b = await shop.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: at(10, 9), returnAt: at(12, 9) });
    const retire = { id: v.id, plate: v.plate, make: v.make, model: v.model, class: 'suv', odometer: v.odometer, fuelEighths: 8, status: 'retired' as const };
    expect(await shop.fail('vehicles.upsert', retire, shop.manager)).toMatchObject({ code: 'conflict', message: expect.stringContaining(b.ref) });
    await shop.ok('bookings.cancel', { id: b.id, reason: 'Customer called' });
    expect((await shop.ok('vehicles.upsert', retire, shop.manager)).status).toBe('retired');
    expect((await shop.ok('vehicles.availability', { from: at(20, 9), to: at(21, 9), class: 'suv' })).vehicles.map((x) => x.id)).not.toContain(v.id);
    expect(shop.count('vehicles')).toBeGreaterThan(0);
  });
});
