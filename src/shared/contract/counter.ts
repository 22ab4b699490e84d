import { z } from 'zod';
import { bookingSummarySchema } from './bookings';
import { method } from './define';
import { localDateSchema } from './fields';

/** The counter's day at its location (the home location): pickups there and returns there, on its clock, and rentals overdue back there. */
export const counterMethods = {
  'counter.today': method({
    access: 'clerk',
    summary: "Today's pickups and returns at this counter's location (its time zone), and rentals overdue there",
    input: z.object({ date: localDateSchema.optional() }).strict(),
    output: z.object({
      date: localDateSchema,
      /** The counter's location's time zone (the shop's when it has none): the day and its times are on this clock. */
      timeZone: z.string(),
      /** The counter's location (the home location); null before setup added one. */
      location: z.object({ id: z.string(), code: z.string(), name: z.string() }).nullable(),
      /** Reserved or already checked out, pickup today; by pickup time. */
      pickups: z.array(bookingSummarySchema),
      /** Out or already returned, return due today; by return time. */
      returns: z.array(bookingSummarySchema),
      /** Checked out and past the return time. */
      overdue: z.array(bookingSummarySchema),
      /** Returned with a balance still due, whatever day it came back: on the board until settled. */
      unsettled: z.array(bookingSummarySchema),
    }),
  }),
} as const;
