import type { Db } from '../../db/connection';

export type BookingHit = { seq: number; bucket: 0 | 1 | 2 };

const BM25 = 'bm25(bookings_fts, 10.0, 4.0, 2.0, 3.0, 3.0, 6.0, 0.0)';

/**
 * Candidates, then order. Ranking every match of a broad query ("van", "ma") costs tens of ms
 * at 100k bookings, so two bounded sets are ranked: the @window most recent matches (FTS5 walks
 * rowids backwards and stops) and the matches among bookings picking up or returning on today's
 * UTC dates (@todayMatch adds the `days` tokens to the query, so FTS intersects it with a small
 * doclist). Order: today, then upcoming or still out, then past; within each, bm25 (ref and
 * plate weigh most), then latest pickup. seq is the FTS rowid (bookings' integer key).
 */
export const SEARCH_BOOKINGS_SQL = `
  WITH recent AS (
         SELECT rowid AS seq, ${BM25} AS score FROM bookings_fts
         WHERE bookings_fts MATCH @match ORDER BY rowid DESC LIMIT @window),
       todays AS (
         SELECT rowid AS seq, ${BM25} AS score FROM bookings_fts
         WHERE bookings_fts MATCH @todayMatch),
       hits AS (SELECT seq, min(score) AS score FROM (SELECT * FROM recent UNION ALL SELECT * FROM todays) GROUP BY seq)
  SELECT b.seq,
    CASE WHEN (b.pickup_at >= @dayStart AND b.pickup_at < @dayEnd) OR (b.return_at >= @dayStart AND b.return_at < @dayEnd) THEN 0
         WHEN b.return_at >= @dayEnd THEN 1
         ELSE 2 END AS bucket
  FROM hits h JOIN bookings b ON b.seq = h.seq
  ORDER BY bucket, h.score, b.pickup_at DESC
  LIMIT @limit`;

/** How many of the most recent matches are ranked (today's are always included). */
export const SEARCH_WINDOW = 500;

/** `(match) AND days : (…)`: the query restricted to bookings touching the UTC dates of [dayStart, dayEnd). */
export function todayMatch(match: string, dayStart: string, dayEnd: string): string {
  const dates = new Set([dayStart.slice(0, 10), new Date(Date.parse(dayEnd) - 1).toISOString().slice(0, 10)]);
  const tokens = [...dates].map((d) => `"zd${d.replace(/-/g, '')}"`);
  return `(${match}) AND days : (${tokens.join(' OR ')})`;
}

export type SearchRepo = ReturnType<typeof createSearchRepo>;

/** Only seq and the sort keys are read here; the caller loads summaries for the page it keeps. */
export function createSearchRepo(db: Db) {
  const bookings = db.prepare<{ match: string; todayMatch: string; dayStart: string; dayEnd: string; limit: number; window: number }, BookingHit>(
    SEARCH_BOOKINGS_SQL,
  );
  return {
    bookings: (match: string, dayStart: string, dayEnd: string, limit: number) =>
      bookings.all({ match, todayMatch: todayMatch(match, dayStart, dayEnd), dayStart, dayEnd, limit, window: SEARCH_WINDOW }),
  };
}
