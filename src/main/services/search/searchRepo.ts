import type { Db } from '../../db/connection';

export type BookingHit = { seq: number; bucket: 0 | 1 | 2 };

/**
 * Candidates, then order. Scoring every match of a broad query ("van", "ma") costs tens of ms at
 * 100k bookings, and even bm25 over a bounded set costs a lookup of each row's column sizes, so
 * nothing is scored: two bounded sets are ordered by time. The sets: the @window most recent
 * matches (FTS5 walks rowids backwards and stops) and the matches among bookings picking up or
 * returning on today's UTC dates (@todayMatch adds the `days` tokens to the query, so FTS
 * intersects it with a small doclist). Order: today's (earliest first, as the counter meets
 * them), then upcoming or still out (soonest first), then past (latest first). A ref or plate
 * query matches few bookings, so what the clerk meant is on top without a text score.
 * seq is the FTS rowid (bookings' integer key).
 */
export const SEARCH_BOOKINGS_SQL = `
  WITH hits AS (
         SELECT seq FROM (SELECT rowid AS seq FROM bookings_fts WHERE bookings_fts MATCH @match ORDER BY rowid DESC LIMIT @window)
         UNION
         SELECT rowid FROM bookings_fts WHERE bookings_fts MATCH @todayMatch),
       ranked AS (
         SELECT b.seq, b.pickup_at,
           CASE WHEN (b.pickup_at >= @dayStart AND b.pickup_at < @dayEnd) OR (b.return_at >= @dayStart AND b.return_at < @dayEnd) THEN 0
                WHEN b.return_at >= @dayEnd THEN 1
                ELSE 2 END AS bucket
         FROM hits h JOIN bookings b ON b.seq = h.seq)
  SELECT seq, bucket FROM ranked
  ORDER BY bucket, CASE WHEN bucket < 2 THEN pickup_at END, pickup_at DESC
  LIMIT @limit`;

/** How many of the most recent matches are ordered (today's are always included). */
export const SEARCH_WINDOW = 200;

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
