import { createHmac } from 'node:crypto';
import type { EventLog } from './events';
import type { StripeEvent, WebhookEndpoint } from './types';

export type DeliveryAttempt = {
  event: string;
  endpoint: string;
  attempt: number;
  ok: boolean;
  status: number | null;
  error: string | null;
  at: number;
  /** Wait before the next attempt; null when this was the last (delivered, or given up). */
  nextRetryMs: number | null;
};

export type WebhookEndpointSource = {
  get(id: string): { endpoint: WebhookEndpoint; secret: string } | undefined;
  all(): Iterable<{ endpoint: WebhookEndpoint; secret: string }>;
};

/** Stripe's v1 scheme: HMAC-SHA256 of `${t}.${body}` keyed by the whole `whsec_…` secret. */
export function signatureHeader(body: string, secret: string, timestamp: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

function wants(endpoint: WebhookEndpoint, type: string): boolean {
  return endpoint.status === 'enabled' && (endpoint.enabled_events.includes('*') || endpoint.enabled_events.includes(type));
}

const MAX_LOG = 1000;

/**
 * Sends each event to every enabled endpoint that asked for its type, signed as Stripe signs.
 * A non-2xx answer, a timeout or a refused connection is retried after each delay in
 * `retryDelaysMs` in turn, then given up (the event keeps counting it in pending_webhooks).
 * Deliveries are independent, so they may arrive out of order, as Stripe warns.
 */
export class WebhookDispatcher {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  private readonly log: DeliveryAttempt[] = [];
  private closed = false;
  /** Bumped by cancelPending, so deliveries aborted by a reset do not schedule retries. */
  private generation = 0;

  constructor(
    private readonly events: EventLog,
    private readonly endpoints: WebhookEndpointSource,
    private readonly retryDelaysMs: readonly number[],
    private readonly timeoutMs: number,
  ) {}

  dispatch(event: StripeEvent): void {
    if (this.closed) return;
    const targets: string[] = [];
    for (const { endpoint } of this.endpoints.all()) if (wants(endpoint, event.type)) targets.push(endpoint.id);
    if (targets.length === 0) return;
    this.events.owe(event, targets);
    for (const id of targets) this.attempt(event, id, 0);
  }

  attempts(): readonly DeliveryAttempt[] {
    return this.log;
  }

  private note(entry: DeliveryAttempt): void {
    this.log.push(entry);
    if (this.log.length > MAX_LOG) this.log.splice(0, this.log.length - MAX_LOG);
  }

  private attempt(event: StripeEvent, endpointId: string, attempt: number): void {
    const target = this.endpoints.get(endpointId);
    if (this.closed || !target || target.endpoint.status !== 'enabled') return;
    const body = JSON.stringify(event, null, 2);
    // Signed with real time, not emulator time: receivers check it against their own clock.
    const header = signatureHeader(body, target.secret, Math.floor(Date.now() / 1000));
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    this.inFlight.add(controller);
    const generation = this.generation;
    const finish = (ok: boolean, status: number | null, error: string | null): void => {
      clearTimeout(timer);
      this.inFlight.delete(controller);
      if (generation !== this.generation) return;
      const delay = ok || this.closed ? undefined : this.retryDelaysMs[attempt];
      this.note({ event: event.id, endpoint: endpointId, attempt: attempt + 1, ok, status, error, at: Date.now(), nextRetryMs: delay ?? null });
      if (ok) {
        this.events.delivered(event.id, endpointId);
        return;
      }
      if (delay === undefined) return;
      const retry = setTimeout(() => {
        this.timers.delete(retry);
        this.attempt(event, endpointId, attempt + 1);
      }, delay);
      retry.unref();
      this.timers.add(retry);
    };
    fetch(target.endpoint.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        'Stripe-Signature': header,
      },
      body,
      signal: controller.signal,
    }).then(
      async (res) => {
        await res.arrayBuffer().catch(() => undefined);
        finish(res.status >= 200 && res.status < 300, res.status, null);
      },
      (err: unknown) => finish(false, null, err instanceof Error ? err.message : String(err)),
    );
  }

  close(): void {
    this.closed = true;
    this.cancelPending();
  }

  /** Forgets scheduled retries and aborts deliveries under way (reset, close). */
  cancelPending(): void {
    this.generation++;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const c of this.inFlight) c.abort();
    this.inFlight.clear();
  }

  clearLog(): void {
    this.log.length = 0;
  }
}
