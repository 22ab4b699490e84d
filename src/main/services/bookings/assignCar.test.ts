import { afterEach, describe, expect, it } from 'vitest';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';

let shop: TestShop;
afterEach(() => shop.close());

const at = (day: number, hh: number) => `2025-06-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:00:00+02:00`;

async function setup(s: TestShop) {
  const c = await s.customer();
  const booked = await s.vehicle({ class: 'economy', plate: 'EC-001-A' });
  const other = await s.vehicle({ class: 'economy', plate: 'EC-002-B' });
  const better = await s.vehicle({ class: 'suv', plate: 'SU-003-C' });
  const worse = await s.vehicle({ class: 'economy', plate: 'EC-004-D' });
  const b = await s.ok('bookings.create', { customerId: c.id, vehicleId: booked.id, pickupAt: at(2, 9), returnAt: at(4, 9) });
  return { c, booked, other, better, worse, b };
}

describe('assigning the car at pickup', () => {
  it('finds free cars of the class or better by plate, same class first, with what an upgrade would add', async () => {
    shop = await openTestShop();
    const { b, better } = await setup(shop);
    const busy = await shop.vehicle({ class: 'suv', plate: 'SU-005-E' });
    await shop.ok('bookings.create', { customerId: (await shop.customer()).id, vehicleId: busy.id, pickupAt: at(3, 9), returnAt: at(5, 9) });
    const all = await shop.ok('bookings.assignable', { id: b.id, query: '' });
    expect(all.cars.map((v) => v.plate)).toEqual(['EC-001-A', 'EC-002-B', 'EC-004-D', 'SU-003-C']);
    expect(all.cars.find((v) => v.id === better.id)).toMatchObject({ upgrade: true, upgradeCharge: { amount: expect.any(Number) } });
    expect(all.cars.find((v) => v.id === better.id)!.upgradeCharge.amount).toBeGreaterThan(0);
    expect((await shop.ok('bookings.assignable', { id: b.id, query: 'su 003' })).cars.map((v) => v.plate)).toEqual(['SU-003-C']);
  });

  it('assigns another car of the class at the same price', async () => {
    shop = await openTestShop();
    const { b, other } = await setup(shop);
    const d = await shop.ok('bookings.assign', { id: b.id, vehicleId: other.id });
    expect(d.vehicle.plate).toBe('EC-002-B');
    expect(d.total).toEqual(b.total);
    expect(d.audit.at(-1)).toMatchObject({ action: 'booking.assign', summary: 'Car EC-001-A → EC-002-B' });
  });

  it('an upgrade needs the clerk to choose; charged re-prices, free keeps the price and is audited', async () => {
    shop = await openTestShop();
    const { b, better } = await setup(shop);
    const ask = await shop.fail('bookings.assign', { id: b.id, vehicleId: better.id });
    expect(ask.fields?.upgrade).toMatch(/choose whether the customer pays/);
    const free = await shop.ok('bookings.assign', { id: b.id, vehicleId: better.id, upgrade: 'free' });
    expect(free.vehicle.plate).toBe('SU-003-C');
    expect(free.total).toEqual(b.total);
    expect(free.audit.at(-1)).toMatchObject({ action: 'booking.upgrade_free' });
    expect(free.audit.at(-1)?.summary).toMatch(/Free upgrade to SUV SU-003-C/);

    shop.close();
    shop = await openTestShop();
    const again = await setup(shop);
    const charged = await shop.ok('bookings.assign', { id: again.b.id, vehicleId: again.better.id, upgrade: 'charge' });
    expect(charged.total.amount).toBeGreaterThan(again.b.total.amount);
    expect(charged.quote.lines[0]?.description).toMatch(/^SUV/);
    expect(charged.audit.at(-1)).toMatchObject({ action: 'booking.upgrade_charged' });
  });

  it('refuses a lower class and a car booked over those times', async () => {
    shop = await openTestShop();
    const { b } = await setup(shop);
    const compactBooking = await shop.vehicle({ class: 'suv', plate: 'SU-009-Z' });
    const up = await shop.ok('bookings.assign', { id: b.id, vehicleId: compactBooking.id, upgrade: 'charge' });
    const eco = await shop.vehicle({ class: 'economy', plate: 'EC-010-Y' });
    const lower = await shop.fail('bookings.assign', { id: up.id, vehicleId: eco.id });
    expect(lower.fields?.vehicleId).toMatch(/below the SUV booked/);
    const taken = await shop.vehicle({ class: 'suv', plate: 'SU-011-X' });
    const c2 = await shop.customer();
    await shop.ok('bookings.create', { customerId: c2.id, vehicleId: taken.id, pickupAt: at(3, 12), returnAt: at(5, 9) });
    const clash = await shop.fail('bookings.assign', { id: up.id, vehicleId: taken.id, upgrade: 'free' });
    expect(clash.code).toBe('conflict');
    expect(clash.message).toMatch(/SU-011-X is already booked/);
  });

  it('two counters assigning the same car to two bookings: one wins', async () => {
    shop = await openTestShop();
    const { b, other } = await setup(shop);
    const c2 = await shop.customer();
    const eco = await shop.vehicle({ class: 'economy', plate: 'EC-020-Q' });
    const b2 = await shop.ok('bookings.create', { customerId: c2.id, vehicleId: eco.id, pickupAt: at(2, 10), returnAt: at(3, 9) });
    const results = await Promise.all([
      shop.b.call(shop.clerk, 'bookings.assign', { id: b.id, vehicleId: other.id }),
      shop.b.call(shop.clerk, 'bookings.assign', { id: b2.id, vehicleId: other.id }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });
});

describe('booking by class', () => {
  it('holds a free car of the class, refuses when the class is full (turnaround included), and the car is given at pickup', async () => {
    shop = await openTestShop();
    const a = await shop.vehicle({ class: 'van', plate: 'VA-001-A' });
    const b2 = await shop.vehicle({ class: 'van', plate: 'VA-002-B' });
    const first = await shop.ok('bookings.create', { customerId: (await shop.customer()).id, vehicleClass: 'van', pickupAt: at(2, 9), returnAt: at(3, 9) });
    expect(first.carAssigned).toBe(false);
    expect([a.id, b2.id]).toContain(first.vehicle.id);
    await shop.ok('bookings.create', { customerId: (await shop.customer()).id, vehicleClass: 'van', pickupAt: at(2, 12), returnAt: at(4, 9) });
    // Both vans are taken; a third starting 30 minutes after the first returns is inside the 60-minute turnaround.
    const full = await shop.fail('bookings.create', { customerId: (await shop.customer()).id, vehicleClass: 'van', pickupAt: '2025-06-03T09:30:00+02:00', returnAt: at(3, 18) });
    expect(full.code).toBe('conflict');
    expect(full.message).toMatch(/Every Van car \(2\) is booked/);
    expect(full.fields?.vehicleClass).toMatch(/All 2 Van cars/);
    // Past the turnaround: free again.
    await shop.ok('bookings.create', { customerId: (await shop.customer()).id, vehicleClass: 'van', pickupAt: at(3, 11), returnAt: at(3, 18) });
    expect((await shop.fail('bookings.create', { customerId: (await shop.customer()).id, vehicleClass: 'limo', pickupAt: at(2, 9), returnAt: at(3, 9) })).fields?.vehicleClass).toMatch(/no limo car/);

    // At pickup: the held car is confirmed as it is.
    const given = await shop.ok('bookings.assign', { id: first.id, vehicleId: first.vehicle.id });
    expect(given.carAssigned).toBe(true);
    expect(given.audit.at(-1)?.summary).toBe(`Car ${first.vehicle.plate} given`);
  });
});
