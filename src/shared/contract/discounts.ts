import { z } from 'zod';
import { moneySchema, nonNegativeMinorSchema } from '../money';
import { method } from './define';
import { idSchema, localDateSchema, requiredText } from './fields';
import { pinSchema } from './staff';
import { BOOKING_STATUSES } from './bookings';

/**
 * Discounts and additional drivers on a booking (issue 15). Main re-prices the booking with the
 * rate-card version it was quoted on; the renderer names a booking and a choice, never a total.
 */
export const bookingDiscountSchema = z.object({
  id: idSchema,
  kind: z.enum(['percent', 'fixed']),
  /** Basis points for a percentage (1000 = 10 %), else null. */
  percentBp: z.number().int().nullable(),
  amount: moneySchema.nullable(),
  reason: z.string(),
  approvedBy: z.string().nullable(),
});
export type BookingDiscount = z.infer<typeof bookingDiscountSchema>;

export const bookingDriverSchema = z.object({
  id: idSchema,
  name: z.string(),
  licenceNumber: z.string(),
  licenceExpiry: localDateSchema,
  dateOfBirth: localDateSchema,
  /** Age at pickup: under the card's young-driver age pays the fee. */
  ageAtPickup: z.number().int(),
});
export type BookingDriver = z.infer<typeof bookingDriverSchema>;

const adjusted = z.object({
  status: z.enum(BOOKING_STATUSES),
  discounts: z.array(bookingDiscountSchema),
  drivers: z.array(bookingDriverSchema),
  total: moneySchema,
  /** Paid less refunded so far. */
  paid: moneySchema,
  /** Still to take; negative when more was paid than the booking now costs (owed back: refund it). */
  balanceDue: moneySchema,
  /** Discounts while reserved, out or returned (not yet closed); drivers while reserved or out. */
  canDiscount: z.boolean(),
  canChangeDrivers: z.boolean(),
});

export const discountMethods = {
  'bookings.adjustments': method({
    access: 'clerk',
    summary: 'A booking’s discounts and additional drivers, with its total',
    input: z.object({ bookingId: idSchema }).strict(),
    output: adjusted,
  }),
  'bookings.discounts.add': method({
    access: 'clerk',
    summary: 'Give a booking (reserved, out, or returned and not closed) a percentage or fixed discount with a reason; above the shop’s limit a manager’s PIN',
    input: z
      .object({
        bookingId: idSchema,
        kind: z.enum(['percent', 'fixed'], { message: 'Choose a percentage or a fixed amount' }),
        percentBp: z.number().int({ message: 'Percentage must be whole hundredths of a percent' }).min(1, { message: 'Percentage must be above 0' }).max(10_000, { message: 'Percentage cannot be above 100 %' }).optional(),
        amount: nonNegativeMinorSchema.optional(),
        reason: requiredText('Reason', 200),
        managerId: idSchema.optional(),
        managerPin: pinSchema.optional(),
      })
      .strict()
      .superRefine((v, ctx) => {
        if (v.kind === 'percent' && v.percentBp === undefined) ctx.addIssue({ code: 'custom', path: ['percentBp'], message: 'Enter a percentage' });
        if (v.kind === 'fixed' && (v.amount === undefined || v.amount === 0)) ctx.addIssue({ code: 'custom', path: ['amount'], message: 'Enter an amount above zero' });
      }),
    output: adjusted,
  }),
  'bookings.discounts.remove': method({
    access: 'clerk',
    summary: 'Remove a discount from a booking not yet closed (it stays in the audit trail)',
    input: z.object({ bookingId: idSchema, discountId: idSchema }).strict(),
    output: adjusted,
  }),
  'bookings.drivers.add': method({
    access: 'clerk',
    summary: 'Add a driver to a booking that is reserved or out on rent; the young-driver fee is priced for each driver',
    input: z
      .object({
        bookingId: idSchema,
        name: requiredText('Name', 120),
        licenceNumber: requiredText('Licence number', 30),
        licenceExpiry: localDateSchema,
        dateOfBirth: localDateSchema,
      })
      .strict(),
    output: adjusted,
  }),
  'bookings.drivers.remove': method({
    access: 'clerk',
    summary: 'Remove an additional driver from a booking that is reserved or out on rent',
    input: z.object({ bookingId: idSchema, driverId: idSchema }).strict(),
    output: adjusted,
  }),
} as const;
