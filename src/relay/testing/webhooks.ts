import Stripe from 'stripe';

/** Test-only: Stripe's own signer, so the relay is checked against the real header format. */
const stripe = new Stripe('sk_test_relay_tests');

export type TestEventInput = {
  id: string;
  type?: string;
  installId?: string;
  locationId?: string;
  /** The object's own PaymentIntent link (charge.payment_intent) or, with type payment_intent.*, its id. */
  paymentIntent?: string;
  created?: number;
  /** Pad the body to roughly this many bytes. */
  padTo?: number;
};

/** A Stripe-shaped event; payment_intent.* events carry a PaymentIntent, others a charge. */
export function makeEvent(input: TestEventInput): Record<string, unknown> {
  const type = input.type ?? 'payment_intent.succeeded';
  const metadata: Record<string, string> = {};
  if (input.installId) metadata.install_id = input.installId;
  if (input.locationId) metadata.location_id = input.locationId;
  const isPi = type.startsWith('payment_intent.');
  const object: Record<string, unknown> = isPi
    ? { id: input.paymentIntent ?? `pi_${input.id}`, object: 'payment_intent', amount: 4200, currency: 'eur', metadata }
    : { id: `ch_${input.id}`, object: 'charge', amount: 4200, currency: 'eur', payment_intent: input.paymentIntent ?? null, metadata };
  if (input.padTo) object.description = 'x'.repeat(Math.max(0, input.padTo - 400));
  return {
    id: input.id,
    object: 'event',
    api_version: '2025-01-27.acacia',
    created: input.created ?? Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    type,
    data: { object },
  };
}

export function signatureHeader(payload: string, secret: string, timestamp?: number): string {
  return stripe.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp !== undefined && { timestamp }) });
}

export type PostResult = { status: number; body: string };

/** Posts a body as Stripe does: raw JSON, `Stripe-Signature` over exactly these bytes. */
export async function postWebhook(
  baseUrl: string,
  payload: string,
  opts: { secret?: string; signature?: string | null; contentType?: string; timestamp?: number } = {},
): Promise<PostResult> {
  const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/json; charset=utf-8' };
  const sig = opts.signature === undefined ? signatureHeader(payload, opts.secret ?? 'whsec_test', opts.timestamp) : opts.signature;
  if (sig !== null) headers['stripe-signature'] = sig;
  const res = await fetch(`${baseUrl}/stripe/webhook`, { method: 'POST', headers, body: payload });
  return { status: res.status, body: await res.text() };
}

/** Like Stripe: retries until a 2xx (the relay may be down or restarting), bounded by `deadline`. */
export async function deliverLikeStripe(baseUrl: () => string, event: Record<string, unknown>, secret: string, deadline: number): Promise<number> {
  const payload = JSON.stringify(event, null, 2); // Stripe sends pretty-printed JSON
  let tries = 0;
  while (Date.now() < deadline) {
    tries += 1;
    try {
      const r = await postWebhook(baseUrl(), payload, { secret });
      if (r.status >= 200 && r.status < 300) return tries;
    } catch {
      // connection refused or reset: the relay is down; try again
    }
    await new Promise((r) => setTimeout(r, Math.min(200, 20 * tries)));
  }
  throw new Error(`event ${String(event.id)} not accepted before the deadline`);
}
