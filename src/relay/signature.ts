import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureFailure = 'missing_signature' | 'malformed_signature' | 'bad_signature' | 'stale_timestamp';
export type SignatureCheck = { ok: true; timestamp: number; secretIndex: number } | { ok: false; reason: SignatureFailure };

/** Stripe's default: a signed timestamp older than five minutes is a replay. */
export const DEFAULT_TOLERANCE_SEC = 300;

type ParsedHeader = { timestamp: number; v1: Buffer[] };

function parseHeader(header: string): ParsedHeader | null {
  let timestamp = NaN;
  const v1: Buffer[] = [];
  // Bounded: a header is at most a few signatures; anything longer is not from Stripe.
  const parts = header.split(',', 32);
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') timestamp = /^\d{1,12}$/.test(value) ? Number(value) : NaN;
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) v1.push(Buffer.from(value, 'hex'));
  }
  if (!Number.isFinite(timestamp) || v1.length === 0) return null;
  return { timestamp, v1 };
}

/**
 * Checks a `Stripe-Signature` header over the raw body bytes, as stripe-node's `constructEvent`
 * does: HMAC-SHA256 of `"<t>.<body>"`, any `v1` may match, any of the endpoint secrets may sign
 * (rotation keeps old and new secrets valid side by side). Stricter on one point: a timestamp
 * more than `toleranceSec` in the future is refused too, so a leaked signed body cannot be
 * pre-dated for a later replay.
 */
export function verifyStripeSignature(
  rawBody: Buffer,
  header: string | undefined,
  secrets: readonly string[],
  nowSec: number,
  toleranceSec = DEFAULT_TOLERANCE_SEC,
): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing_signature' };
  const parsed = parseHeader(header);
  if (!parsed) return { ok: false, reason: 'malformed_signature' };
  const prefix = Buffer.from(`${parsed.timestamp}.`);
  for (let i = 0; i < secrets.length; i++) {
    const mac = createHmac('sha256', secrets[i]!).update(prefix).update(rawBody).digest();
    if (parsed.v1.some((sig) => sig.length === mac.length && timingSafeEqual(sig, mac))) {
      if (Math.abs(nowSec - parsed.timestamp) > toleranceSec) return { ok: false, reason: 'stale_timestamp' };
      return { ok: true, timestamp: parsed.timestamp, secretIndex: i };
    }
  }
  return { ok: false, reason: 'bad_signature' };
}
