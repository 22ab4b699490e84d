import type { PaymentRow } from './refundsRepo';

/**
 * What can still go back on one payment. `paid` is what was actually taken: for a hold captured
 * in part, `amount_captured` already leaves out the released rest (Stripe records releases as
 * refunds too; counting them again would refund short). `counted` is every refund queued,
 * sending, pending at Stripe or succeeded: money already promised back.
 */
export function refundableOf(p: PaymentRow, counted: number): { paid: number; inProgress: number; refundable: number } {
  const paid = p.status === 'succeeded' ? (p.amount_captured ?? p.amount) : 0;
  return { paid, inProgress: counted, refundable: paid - counted };
}
