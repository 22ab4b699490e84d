import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';

// Monday 2 June 2025 in Amsterdam: one customer with bookings today, ahead and behind.
let shop: TestShop;
const refs: Record<string, string> = {};
const at = (day: number, hh: number) => `2025-06-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:00:00+02:00`;

beforeAll(async () => {
  shop = await openTestShop({ now: '2025-05-20T06:00:00.000Z' });
  const c = await shop.customer({ lastName: 'Terpstra' });
  const book = async (name: string, from: string, to: string) => {
    const v = await shop.vehicle();
    refs[name] = (await shop.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: from, returnAt: to })).ref;
  };
  // Made in an order unlike the one a clerk wants to see them in.
  await book('pastEarly', '2025-05-21T09:00:00+02:00', '2025-05-21T18:00:00+02:00');
  await book('upcomingLate', at(20, 9), at(21, 9));
  await book('todayLate', at(2, 17), at(3, 9));
  await book('pastLate', at(1, 9), at(1, 18));
  await book('upcomingSoon', at(9, 9), at(10, 9));
  await book('todayEarly', at(2, 9), at(2, 12));
  shop.clock.now = new Date(at(2, 8));
});
afterAll(() => shop.close());

describe('search order', () => {
  it("today's by the hour, then what is coming soonest first, then the past latest first", async () => {
    const { results } = await shop.ok('bookings.search', { query: 'terps', limit: 20 });
    expect(results.map((r) => r.ref)).toEqual(['todayEarly', 'todayLate', 'upcomingSoon', 'upcomingLate', 'pastLate', 'pastEarly'].map((k) => refs[k]));
    expect(results.map((r) => r.when)).toEqual(['today', 'today', 'upcoming', 'upcoming', 'past', 'past']);
  });
});
