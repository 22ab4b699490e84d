import { afterEach, describe, expect, it } from 'vitest';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';

let shop: TestShop;
afterEach(() => shop.close());
const at = (day: number, hh: number) => `2025-06-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:00:00+02:00`;

describe('fleet', () => {
  it('adds vehicles with a normalised plate, refuses a duplicate plate and an unknown class', async () => {
    shop = await openTestShop();
    const v = await shop.vehicle({ plate: ' gh-123-k ' });
    expect(v).toMatchObject({ plate: 'GH-123-K', class: 'compact', className: 'Compact', status: 'available', version: 1 });
    const dup = await shop.fail('vehicles.upsert', { plate: 'GH-123-K', make: 'Fiat', model: '500', class: 'economy', odometer: 5, fuelEighths: 8 }, shop.manager);
    expect(dup).toMatchObject({ code: 'conflict', fields: { plate: expect.stringContaining('already in the fleet') } });
    const cls = await shop.fail('vehicles.upsert', { plate: 'AB-1', make: 'Fiat', model: '500', class: 'limo', odometer: 5, fuelEighths: 8 }, shop.manager);
    expect(cls).toMatchObject({ code: 'invalid_input', fields: { class: expect.stringContaining('not on the rate card') } });
    const fuel = await shop.fail('vehicles.upsert', { plate: 'AB-2', make: 'Fiat', model: '500', class: 'economy', odometer: 5, fuelEighths: 2.5 }, shop.manager);
    expect(fuel.fields?.fuelEighths).toMatch(/whole eighths/);
    expect(shop.count('vehicles')).toBe(1);
  });

  it('lists vehicles free for a window: not booked (turnaround included), not in service', async () => {
    shop = await openTestShop({ turnaroundMinutes: 60 });
    const a = await shop.vehicle({ class: 'economy' });
    const b = await shop.vehicle({ class: 'economy' });
    const c = await shop.vehicle({ class: 'suv' });
    const cust = await shop.customer();
    await shop.ok('bookings.create', { customerId: cust.id, vehicleId: a.id, pickupAt: at(3, 9), returnAt: at(3, 17) });
    await shop.ok('vehicles.upsert', { id: b.id, plate: b.plate, make: b.make, model: b.model, class: 'economy', odometer: b.odometer, fuelEighths: 8, status: 'in_service' }, shop.manager);
    const ids = async (from: string, to: string, cls?: string) =>
      (await shop.ok('vehicles.availability', { from, to, ...(cls ? { class: cls } : {}) })).vehicles.map((v) => v.id);
    expect(await ids(at(3, 12), at(3, 20))).toEqual([c.id]);
    expect(await ids(at(3, 18), at(3, 20))).toEqual([a.id, c.id]);
    expect(await ids(at(3, 17), at(3, 20), 'economy')).toEqual([]);
    expect(await ids(at(3, 18), at(3, 20), 'economy')).toEqual([a.id]);
    expect((await shop.ok('vehicles.list', { status: 'in_service' })).vehicles.map((v) => v.id)).toEqual([b.id]);
    expect((await shop.ok('vehicles.list', { query: b.plate.replace(/-/g, '') })).vehicles.map((v) => v.id)).toEqual([b.id]);
  });

  it('cannot put a vehicle that is out on rent in service', async () => {
    shop = await openTestShop();
    const v = await shop.vehicle();
    const c = await shop.customer();
    const d = await shop.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: at(2, 9), returnAt: at(3, 9) });
    await shop.ok('bookings.checkOut', { id: d.id, odometer: 10_000, fuelEighths: 8 });
    const err = await shop.fail('vehicles.upsert', { id: v.id, plate: v.plate, make: v.make, model: v.model, class: v.class, odometer: 10_000, fuelEighths: 8, status: 'in_service' }, shop.manager);
    expect(err.code).toBe('conflict');
  });

  it('lists the shop’s locations, home first', async () => {
    shop = await openTestShop();
    const { locations } = await shop.ok('locations.list', {});
    expect(locations[0]).toMatchObject({ code: 'AMS', isHome: true });
    expect(locations.map((l) => l.code).sort()).toEqual(['AMS', 'EIN', 'RTM']);
  });
});
