import { describe, expect, it } from 'vitest';
import { buildFtsQuery } from '../../services/search/ftsQuery';
import { SEARCH_BOOKINGS_SQL, todayMatch } from '../../services/search/searchRepo';
import { dbAt, explain, insertBooking, insertCustomer, insertLocation, insertVehicle, migrateTo } from './testHelpers';

const params = (match: string) => {
  const day = { dayStart: '2025-06-01T22:00:00.000Z', dayEnd: '2025-06-02T22:00:00.000Z' };
  return { match, todayMatch: todayMatch(match, day.dayStart, day.dayEnd), ...day, limit: 10, window: 500 };
};
const find = (db: ReturnType<typeof dbAt>, q: string) =>
  (db.prepare(SEARCH_BOOKINGS_SQL).all(params(buildFtsQuery(q) ?? '')) as { seq: number; bucket: number }[]).map((r) => r.seq);

describe('migration 0040 full-text search', () => {
  it('finds today’s bookings through the day tokens, even outside the recent window', () => {
    const db = dbAt(40);
    insertLocation(db);
    insertVehicle(db);
    insertCustomer(db);
    insertBooking(db, 'B1', 'KD-22222', '2025-05-01T08:00:00.000Z', '2025-05-03T08:00:00.000Z');
    insertBooking(db, 'B2', 'KD-33333', '2025-06-02T08:00:00.000Z', '2025-06-03T08:00:00.000Z');
    const run = () => db.prepare(SEARCH_BOOKINGS_SQL).all({ ...params('"jan"*'), window: 0 });
    expect(run()).toEqual([{ seq: 2, bucket: 0 }]);
    db.prepare("UPDATE bookings SET pickup_at = '2025-06-05T08:00:00.000Z', return_at = '2025-06-06T08:00:00.000Z' WHERE id = 'B2'").run();
    expect(run()).toEqual([]);
  });

  it('indexes bookings that existed before it', () => {
    const db = dbAt(30);
    insertLocation(db);
    insertVehicle(db);
    insertCustomer(db);
    insertBooking(db);
    migrateTo(db, 40);
    expect(find(db, 'jans')).toEqual([1]);
    expect(find(db, '7F3')).toEqual([1]);
    expect(find(db, 'GH123')).toEqual([1]);
    expect(find(db, '0612345678')).toEqual([1]);
    expect(db.prepare("SELECT count(*) AS n FROM customers_fts WHERE customers_fts MATCH 'jansen'").get()).toEqual({ n: 1 });
  });

  it('follows inserts, renames, re-plating and deletes through triggers', () => {
    const db = dbAt(40);
    insertLocation(db);
    insertVehicle(db);
    insertCustomer(db);
    insertBooking(db);
    db.prepare("UPDATE customers SET last_name = 'Visser', phone = '+44 7700 900123' WHERE id = 'C1'").run();
    expect(find(db, 'jansen')).toEqual([]);
    expect(find(db, 'visser')).toEqual([1]);
    expect(find(db, '0123')).toEqual([1]);
    db.prepare("UPDATE vehicles SET plate = 'ZX-987-B' WHERE id = 'V1'").run();
    expect(find(db, 'GH-123')).toEqual([]);
    expect(find(db, 'zx-98')).toEqual([1]);
    db.prepare("DELETE FROM bookings WHERE id = 'B1'").run();
    expect(db.prepare('SELECT count(*) AS n FROM bookings_fts').get()).toEqual({ n: 0 });
  });

  it('searches through the FTS index and joins bookings by their integer key', () => {
    const db = dbAt(50);
    const plan = explain(db, SEARCH_BOOKINGS_SQL, params('"jan"*'));
    // Recent matches straight from the FTS index in rowid order (no sort of every match), and
    // today's as a second FTS query (the day tokens); bookings only by their integer key.
    expect(plan.match(/SCAN bookings_fts VIRTUAL TABLE INDEX \d+:M/g)).toHaveLength(2);
    expect(plan).toMatch(/SEARCH b USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    expect(plan).not.toMatch(/SCAN b\b/);
  });
});
