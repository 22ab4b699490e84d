import { z } from 'zod';
import { bookingSummarySchema } from './bookings';
import { method } from './define';
import { searchQuerySchema } from './fields';

/** Search at the counter: one box that finds bookings by whatever the customer says. */

export const SEARCH_BUCKETS = ['today', 'upcoming', 'past'] as const;
export const bookingSearchResultSchema = bookingSummarySchema.extend({
  /** today: picks up or returns today (shop time); upcoming: later; past: earlier. Results come in this order. */
  when: z.enum(SEARCH_BUCKETS),
});

export const searchMethods = {
  'bookings.search': method({
    access: 'clerk',
    summary: 'Find bookings by ref, customer name, email, phone digits, licence or plate (prefix match); today first',
    input: z.object({ query: searchQuerySchema, limit: z.number().int().min(1).max(50).default(20) }).strict(),
    output: z.object({ results: z.array(bookingSearchResultSchema) }),
  }),
} as const;
