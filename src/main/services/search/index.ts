import type { Db } from '../../db/connection';
import type { ModuleWithApi } from '../../core/module';
import { createSearchService } from './searchService';
import type { BookingSummaries, SearchService } from './searchService';

export { buildFtsQuery } from './ftsQuery';
// Only for BookingsService.search, which the search module replaces (drop both when bookings is split).
export { createSearchRepo } from './searchRepo';
export type { BookingSummaries, SearchService } from './searchService';

/** Counter search: one box that finds bookings by ref, name, email, phone, licence or plate. */
export function createSearchModule(deps: { db: Db; now: () => Date; timeZone: () => string; bookings: BookingSummaries }): ModuleWithApi<SearchService> {
  const search = createSearchService(deps);
  return {
    name: 'search',
    handlers: { 'bookings.search': (input) => ({ results: search.bookings(input.query, input.limit) }) },
    api: search,
  };
}
