import { afterEach, describe, expect, it } from 'vitest';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';

let shop: TestShop;
afterEach(() => shop.close());

// Monday 2 June 2025 in Amsterdam (+02:00).
const at = (hh: number, mm = 0) => `2025-06-02T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00+02:00`;

describe('turnaround after a return', () => {
  it('keeps a car that came back early for cleaning, refuel and inspection: not offered, not bookable until the turnaround ends', async () => {
    shop = await openTestShop({ now: '2025-06-02T06:00:00.000Z', turnaroundMinutes: 60 });
    const v = await shop.vehicle({ plate: 'DT-234-T' });
    const first = await shop.customer();
    const out = await shop.ok('bookings.create', { customerId: first.id, vehicleId: v.id, pickupAt: at(9), returnAt: at(21) });
    shop.clock.now = new Date(at(9));
    await shop.ok('bookings.checkOut', { id: out.id, odometer: 10_000, fuelEighths: 8 });
    // Back early, at 18:53.
    shop.clock.now = new Date(at(18, 53));
    await shop.ok('bookings.checkIn', { id: out.id, odometer: 10_100, fuelEighths: 8 });

    const offered = await shop.ok('vehicles.availability', { from: at(19), to: at(22) });
    expect(offered.vehicles.map((x) => x.plate)).not.toContain('DT-234-T');
    const next = await shop.customer({ lastName: 'Bakker' });
    const refused = await shop.fail('bookings.create', { customerId: next.id, vehicleId: v.id, pickupAt: at(19), returnAt: at(22) });
    expect(refused.code).toBe('conflict');
    expect(refused.message).toContain('DT-234-T came back at');
    expect(refused.message).toContain('18:53');
    expect(refused.message).toContain('19:53');
    expect(refused.fields?.vehicleId).toBeDefined();

    // Once the turnaround is over the car is free again.
    const later = await shop.ok('vehicles.availability', { from: at(19, 53), to: at(22) });
    expect(later.vehicles.map((x) => x.plate)).toContain('DT-234-T');
    const booked = await shop.ok('bookings.create', { customerId: next.id, vehicleId: v.id, pickupAt: at(19, 53), returnAt: at(22) });
    expect(booked.status).toBe('reserved');
  });
});
