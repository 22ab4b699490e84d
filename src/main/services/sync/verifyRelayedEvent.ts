import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How the till came to trust an event from the relay:
 * - 'stripe_signature': the till holds the webhook endpoint secret and Stripe's own signature
 *   verified over the exact bytes Stripe sent (the relay streams them unchanged);
 * - 'relay_stream': no secret here, or an event Stripe never signed (backfilled from the API by
 *   the relay): trusted because it came over the authenticated stream of this install's token.
 */
export type EventTrust = 'stripe_signature' | 'relay_stream';

export class RelayedEventRejected extends Error {
  constructor(readonly seq: number) {
    super(`the event at seq ${seq} does not carry a valid Stripe signature for this till's endpoint secret`);
    this.name = 'RelayedEventRejected';
  }
}

/**
 * Checks `Stripe-Signature` over the exact body as stripe-node's `constructEvent` does (HMAC-SHA256
 * of "<t>.<body>", any `v1`, any of the secrets while rotating), without its timestamp tolerance:
 * a till that was offline for a day gets day-old events, and replays are already harmless (the
 * applier records each event id once).
 */
export function stripeSignatureValid(body: string, header: string, secrets: readonly string[]): boolean {
  let t: string | null = null;
  const sigs: Buffer[] = [];
  for (const part of header.split(',', 32)) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === 't' && /^\d{1,12}$/.test(v)) t = v;
    else if (k === 'v1' && /^[0-9a-f]{64}$/i.test(v)) sigs.push(Buffer.from(v, 'hex'));
  }
  if (t === null || sigs.length === 0) return false;
  for (const secret of secrets) {
    const mac = createHmac('sha256', secret).update(`${t}.`).update(body, 'utf8').digest();
    if (sigs.some((s) => s.length === mac.length && timingSafeEqual(s, mac))) return true;
  }
  return false;
}

/**
 * The body of a relayed event as Stripe sent it (base64 when the relay had to: `enc: base64`),
 * checked against the endpoint secrets when the till holds any. Throws RelayedEventRejected on
 * a bad signature: a relay (or anyone holding its token) cannot forge an event then.
 */
export function verifyRelayedEvent(
  seq: number,
  data: string,
  fields: { sig?: string | null; enc?: string | null },
  secrets: readonly string[],
): { body: string; trust: EventTrust } {
  const body = fields.enc === 'base64' ? Buffer.from(data, 'base64').toString('utf8') : data;
  if (secrets.length === 0 || !fields.sig) return { body, trust: 'relay_stream' };
  if (!stripeSignatureValid(body, fields.sig, secrets)) throw new RelayedEventRejected(seq);
  return { body, trust: 'stripe_signature' };
}
