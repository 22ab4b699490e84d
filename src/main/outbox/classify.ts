/**
 * What the outbox does with a failed Stripe call. The worker decides this itself rather than
 * trusting stripe-node's retry rules, because the item may sit in the queue for hours:
 * - network trouble (no answer at all): retry, and the shop is probably offline;
 * - 429: retry later, and slow the whole queue down (Stripe's limit is per account, not per call);
 * - 5xx and 409 lock timeouts: retry, unless Stripe says `Stripe-Should-Retry: false`;
 * - anything else Stripe answered (declined, invalid, already refunded…): permanent, a person decides.
 */
export type Classified =
  | { kind: 'retry'; offline: boolean; rateLimited: boolean; message: string }
  | { kind: 'permanent'; code: string; message: string; action: string };

type StripeLike = { type?: unknown; code?: unknown; statusCode?: unknown; message?: unknown; headers?: unknown; raw?: unknown };

function header(e: StripeLike, name: string): string | undefined {
  const h = e.headers as Record<string, unknown> | undefined;
  const v = h?.[name] ?? h?.[name.toLowerCase()];
  return typeof v === 'string' ? v : undefined;
}

export function classifyStripeError(err: unknown): Classified {
  // The gateway wraps Stripe's error in a PosError; what we classify on is the original.
  const raw = err instanceof Error && err.name === 'PosError' && err.cause ? err.cause : err;
  const e = (raw && typeof raw === 'object' ? raw : {}) as StripeLike;
  const status = typeof e.statusCode === 'number' ? e.statusCode : null;
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' && e.message ? e.message : String(err);
  const shouldRetry = header(e, 'stripe-should-retry');
  if (status === null || e.type === 'StripeConnectionError') {
    return { kind: 'retry', offline: true, rateLimited: false, message: 'Stripe could not be reached.' };
  }
  if (status === 429) return { kind: 'retry', offline: false, rateLimited: true, message: 'Stripe asked Keydesk to slow down (429).' };
  if (shouldRetry === 'true') return { kind: 'retry', offline: false, rateLimited: false, message: `Stripe answered ${status} and asked for a retry.` };
  if (status >= 500 && shouldRetry !== 'false') return { kind: 'retry', offline: false, rateLimited: false, message: `Stripe had a problem (${status}).` };
  if (status === 409 && (code === 'lock_timeout' || shouldRetry !== 'false') && code !== 'idempotency_key_in_use' && e.type !== 'StripeIdempotencyError') {
    return { kind: 'retry', offline: false, rateLimited: false, message: 'Stripe was busy with the same object (409).' };
  }
  return { kind: 'permanent', code: code || `http_${status}`, message, action: suggestedAction(code, status, e.type) };
}

/** One sentence for the "needs attention" list: what a manager should do next. */
export function suggestedAction(code: string, status: number, type: unknown): string {
  if (code === 'charge_already_refunded' || code === 'amount_too_large' || /exceed|greater than/i.test(code)) {
    return 'The payment was already refunded elsewhere (another till or the Dashboard). Check the booking’s refunds; nothing more will be sent.';
  }
  if (code === 'resource_missing') return 'Stripe does not know this payment. Check the booking’s payments with the office.';
  if (status === 401 || status === 403 || type === 'StripeAuthenticationError' || type === 'StripePermissionError') {
    return 'Stripe refused this counter’s key. A manager must check the Stripe key in Settings, then retry.';
  }
  if (type === 'StripeIdempotencyError') return 'Stripe saw this request before with different details. Call the office before retrying.';
  if (status >= 500) return 'Stripe said not to retry this request. Check the payment in the Dashboard, then retry or cancel.';
  return 'Stripe refused this refund. Check the payment, then retry or cancel it and refund another way.';
}
