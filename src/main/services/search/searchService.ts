import type { z } from 'zod';
import type { BookingSummary } from '../../../shared/contract/bookings';
import type { bookingSearchResultSchema } from '../../../shared/contract/search';
import type { Db } from '../../db/connection';
import { dayBounds, localDate } from '../../core/shopTime';
import { buildFtsQuery } from './ftsQuery';
import { createSearchRepo } from './searchRepo';

export type SearchResult = z.output<typeof bookingSearchResultSchema>;

/** What search needs from bookings: summaries of the hits it ranked, by FTS rowid. */
export type BookingSummaries = { summariesBySeq(seqs: readonly number[]): Map<number, BookingSummary> };

export type SearchService = { bookings(query: string, limit: number): SearchResult[] };

const WHEN = ['today', 'upcoming', 'past'] as const;

export function createSearchService(deps: { db: Db; now: () => Date; timeZone: () => string; bookings: BookingSummaries }): SearchService {
  const repo = createSearchRepo(deps.db);
  return {
    bookings(query, limit) {
      const match = buildFtsQuery(query);
      if (match === null) return [];
      const timeZone = deps.timeZone();
      const { start, end } = dayBounds(localDate(deps.now().getTime(), timeZone), timeZone);
      const hits = repo.bookings(match, start, end, limit);
      if (hits.length === 0) return [];
      const bySeq = deps.bookings.summariesBySeq(hits.map((h) => h.seq));
      return hits.flatMap((h) => {
        const s = bySeq.get(h.seq);
        return s ? [{ ...s, when: WHEN[h.bucket] }] : [];
      });
    },
  };
}
