import { z } from 'zod';
import { bookingSummarySchema } from './bookings';
import { method } from './define';
import { localDateSchema } from './fields';

/** The counter's day: pickups and returns in the shop's time zone, and rentals overdue. */
export const counterMethods = {
  'counter.today': method({
    access: 'clerk',
    summary: "Today's pickups and returns (shop time zone), and rentals overdue",
    input: z.object({ date: localDateSchema.optional() }).strict(),
    output: z.object({
      date: localDateSchema,
      timeZone: z.string(),
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
