/**
 * "What has been paid on a booking", as SQL other capabilities' reads may embed (bookings' list
 * and detail queries compute paid in the same statement). The payments capability owns the rule:
 * captured amounts of succeeded payments; refunds are the refunds capability's and are subtracted
 * by the caller.
 */
export function paidOnBookingSql(bookingIdExpr: string): string {
  return `(SELECT coalesce(sum(pay.amount_captured), 0) FROM payments pay WHERE pay.booking_id = ${bookingIdExpr} AND pay.status = 'succeeded')`;
}
