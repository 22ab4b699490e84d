/**
 * "What has been paid on a booking", as SQL other capabilities' reads may embed (bookings' list
 * and detail queries compute paid in the same statement). The payments capability owns the rule:
 * captured amounts of succeeded payments; refunds are the refunds capability's and are subtracted
 * by the caller.
 */
export function paidOnBookingSql(bookingIdExpr: string): string {
  return `(SELECT coalesce(sum(pay.amount_captured), 0) FROM payments pay WHERE pay.booking_id = ${bookingIdExpr} AND pay.status = 'succeeded')`;
}

/**
 * "What is on its way to being paid on a booking": card charges and pay links in flight, plus a
 * deposit capture the settlement has asked Stripe for but not yet recorded (the hold row says
 * `capturing` and how much). Without the capture, cash or a card could take the same extras
 * while the hold is being captured for them.
 */
export function inFlightOnBookingSql(bookingIdExpr: string): string {
  return `((SELECT coalesce(sum(pay.amount), 0) FROM payments pay WHERE pay.booking_id = ${bookingIdExpr} AND pay.kind = 'charge' AND pay.status IN ('pending', 'requires_action', 'processing'))
    + (SELECT coalesce(sum(dh.settle_amount), 0) FROM deposit_holds dh WHERE dh.booking_id = ${bookingIdExpr} AND dh.state = 'capturing'))`;
}
