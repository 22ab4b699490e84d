import type { StripeGateway, StripeRefund } from '../../stripe/stripeGateway';

/** Every refund Stripe holds for a PaymentIntent (releases of uncaptured holds included), bounded. */
export async function listRefunds(gw: StripeGateway, paymentIntentId: string, max = 1000): Promise<StripeRefund[]> {
  const out: StripeRefund[] = [];
  let startingAfter: string | undefined;
  for (let page = 0; page < Math.ceil(max / 100); page++) {
    const res = await gw.refunds.list({ payment_intent: paymentIntentId, limit: 100, starting_after: startingAfter });
    out.push(...res.data);
    if (!res.has_more || res.data.length === 0) break;
    startingAfter = res.data[res.data.length - 1]?.id;
  }
  return out;
}

/** The refund Stripe made for our refund id, if any (matched on `metadata.refund_id`): the 24-hour look-up. */
export async function findRefundByOurId(gw: StripeGateway, paymentIntentId: string, refundId: string): Promise<StripeRefund | null> {
  return (await listRefunds(gw, paymentIntentId)).find((r) => r.metadata?.refund_id === refundId) ?? null;
}
