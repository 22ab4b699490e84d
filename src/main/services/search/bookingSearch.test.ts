import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';

// Monday 2 June 2025, 08:00 in Amsterdam.
let shop: TestShop;
const ids: Record<string, { id: string; ref: string }> = {};
const at = (day: number, hh: number) => `2025-06-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:00:00+02:00`;

beforeAll(async () => {
  shop = await openTestShop();
  const golf = await shop.vehicle({ plate: 'GH-123-K' });
  const polo = await shop.vehicle({ plate: 'ZX-987-B' });
  const jansen = await shop.customer({ firstName: 'Jan', lastName: 'Jansen', email: 'jan.jansen@example.com', phone: '+31 6 1234 5678', licenceNumber: 'NL88776655' });
  const muller = await shop.customer({ firstName: 'Jürgen', lastName: 'Müller', email: 'jm@example.de', phone: '+49 151 2345 6789', licenceNumber: 'B072RRE2I55' });
  const book = async (name: string, customerId: string, vehicleId: string, from: string, to: string) => {
    const d = await shop.ok('bookings.create', { customerId, vehicleId, pickupAt: from, returnAt: to });
    ids[name] = { id: d.id, ref: d.ref };
  };
  // Jansen: one next week, one today (created later, so not first by insertion order).
  await book('jansenNextWeek', jansen.id, golf.id, at(9, 10), at(11, 10));
  await book('jansenToday', jansen.id, polo.id, at(2, 15), at(4, 10));
  await book('mullerUpcoming', muller.id, golf.id, at(5, 9), at(6, 9));
  // A past one: made while the clock was earlier.
  shop.clock.now = new Date(at(1, 7));
  await book('jansenPast', jansen.id, golf.id, at(1, 9), at(1, 18));
  shop.clock.now = new Date(at(2, 8));
});
afterAll(() => shop.close());

const search = async (query: string) => (await shop.ok('bookings.search', { query, limit: 20 })).results;

describe('booking search', () => {
  it('finds a booking by ref prefix, with or without KD-', async () => {
    const ref = ids.mullerUpcoming?.ref ?? '';
    expect((await search(ref.slice(0, 6)))[0]?.id).toBe(ids.mullerUpcoming?.id);
    expect((await search(ref.slice(3, 7))).map((r) => r.id)).toContain(ids.mullerUpcoming?.id);
    expect((await search(ref.toLowerCase())).map((r) => r.ref)).toEqual([ref]);
  });

  it('finds by surname prefix and ranks today’s pickups and returns first, then upcoming, then past', async () => {
    const r = await search('jans');
    expect(r.map((x) => x.id)).toEqual([ids.jansenToday?.id, ids.jansenNextWeek?.id, ids.jansenPast?.id]);
    expect(r.map((x) => x.when)).toEqual(['today', 'upcoming', 'past']);
  });

  it('finds by first name and surname together, and ignores accents', async () => {
    expect((await search('jurgen mull')).map((x) => x.id)).toEqual([ids.mullerUpcoming?.id]);
    expect((await search('Müller')).map((x) => x.id)).toEqual([ids.mullerUpcoming?.id]);
  });

  it('finds by plate with or without dashes, and by licence and email', async () => {
    expect((await search('ZX-987')).map((x) => x.id)).toEqual([ids.jansenToday?.id]);
    expect((await search('zx987b')).map((x) => x.id)).toEqual([ids.jansenToday?.id]);
    expect((await search('B072RRE')).map((x) => x.id)).toEqual([ids.mullerUpcoming?.id]);
    expect((await search('jm@example')).map((x) => x.id)).toEqual([ids.mullerUpcoming?.id]);
  });

  it('finds by phone digits however they are typed', async () => {
    for (const q of ['+31 6 1234 5678', '31612345678', '06-1234 5678', '0612345678', '5678', '1234 5678']) {
      expect((await search(q)).map((x) => x.customer.name), q).toContain('Jan Jansen');
    }
    expect((await search('0151 2345')).map((x) => x.customer.name)).toEqual(['Jürgen Müller']);
  });

  it('never fails on FTS syntax in the input', async () => {
    for (const q of ['"', '""', '-', 'AND', 'OR', 'NOT', 'NEAR(', 'jan AND', '"jan', 'jan"', '*', '^', ':', 'name:jan', '(', ')', '{}', '\\', "O'Brien", '🚗', 'a'.repeat(200), '   ']) {
      const res = await shop.b.call(shop.clerk, 'bookings.search', { query: q });
      expect(res.ok, q).toBe(true);
    }
    expect(await search('"jan')).toHaveLength(3);
  });

  it('keeps the index in step with renamed customers and re-plated vehicles', async () => {
    const d = await shop.ok('bookings.get', { id: ids.mullerUpcoming?.id ?? '' });
    const { name: _n, version, createdAt: _c, updatedAt: _u, ...fields } = d.customer;
    await shop.ok('customers.upsert', { ...fields, expectedVersion: version, lastName: 'Schneider' });
    expect(await search('müller')).toEqual([]);
    expect((await search('schnei')).map((x) => x.id)).toEqual([ids.mullerUpcoming?.id]);
    const v = d.vehicle;
    await shop.ok('vehicles.upsert', { id: v.id, plate: 'NEW-1', make: v.make, model: v.model, class: v.class, odometer: v.odometer, fuelEighths: v.fuelEighths }, shop.manager);
    expect((await search('new-1')).map((x) => x.id)).toEqual(expect.arrayContaining([ids.mullerUpcoming?.id, ids.jansenNextWeek?.id]));
  });

  it('counter.today lists today’s pickups and returns in the shop’s time zone', async () => {
    const t = await shop.ok('counter.today', {});
    expect(t.date).toBe('2025-06-02');
    expect(t.pickups.map((x) => x.id)).toEqual([ids.jansenToday?.id]);
    expect(t.returns).toEqual([]);
    const tomorrow = await shop.ok('counter.today', { date: '2025-06-04' });
    expect(tomorrow.returns).toEqual([]); // returns list only rentals that went out
    expect(tomorrow.pickups).toEqual([]);
  });
});

describe('customer search', () => {
  it('finds customers by name, phone and licence prefix', async () => {
    const names = async (query: string) => (await shop.ok('customers.search', { query, limit: 10 })).customers.map((c) => c.name);
    expect(await names('jan')).toEqual(['Jan Jansen']);
    expect(await names('0612')).toEqual(['Jan Jansen']);
    expect(await names('NL8877')).toEqual(['Jan Jansen']);
    expect(await names('"')).toHaveLength(2); // nothing searchable: the most recent customers
  });
});
