import { z } from 'zod';

/**
 * Faults a test switches on for the API (never for /_emulator/ admin routes):
 * - latency: wait `latencyMs` before answering;
 * - drop: destroy the socket; `after: true` lets the request take effect first and then loses
 *   the response (the "did my charge go through?" case);
 * - error500: Stripe's wrapped api_error, Stripe-Should-Retry: true unless `shouldRetry: false`
 *   (a 500 Stripe knows must not be retried);
 * - rateLimit: 429 rate_limit_error, Stripe-Should-Retry: false unless told otherwise;
 * - lockTimeout: 429 invalid_request_error code lock_timeout (another request holds the object),
 *   Stripe-Should-Retry: true, which Stripe's SDKs retry;
 * - conflict: 409 idempotency_error code idempotency_key_in_use (the same key still running),
 *   Stripe-Should-Retry: true;
 * - networkDown: every API request is cut off until the rule is cleared.
 * `pathPrefix` and `method` narrow a rule; `count` makes it apply to the next N matching requests only.
 */
export const faultRuleSchema = z.object({
  kind: z.enum(['latency', 'drop', 'error500', 'rateLimit', 'lockTimeout', 'conflict', 'networkDown']),
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  pathPrefix: z.string().startsWith('/').optional(),
  method: z.enum(['GET', 'POST', 'DELETE']).optional(),
  count: z.number().int().min(1).optional(),
  after: z.boolean().optional(),
  shouldRetry: z.boolean().optional(),
});

export type FaultRule = z.infer<typeof faultRuleSchema>;
export const faultInputSchema = z.union([faultRuleSchema, z.array(faultRuleSchema).max(50), z.null()]);
export type FaultInput = z.infer<typeof faultInputSchema>;

export type FaultDecision = {
  latencyMs: number;
  action: 'drop-before' | 'drop-after' | 'error500' | 'rateLimit' | 'lockTimeout' | 'conflict' | null;
  /** The Stripe-Should-Retry header to send (rate limits `false`, the others `true`, unless told otherwise). */
  shouldRetry: boolean | undefined;
};

const NONE: FaultDecision = { latencyMs: 0, action: null, shouldRetry: undefined };

type LiveRule = FaultRule & { remaining: number };

export class Faults {
  private rules: LiveRule[] = [];

  set(input: FaultInput): void {
    const parsed = faultInputSchema.parse(input);
    const list = parsed === null ? [] : Array.isArray(parsed) ? parsed : [parsed];
    this.rules = list.map((r) => ({ ...r, remaining: r.count ?? Infinity }));
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map(({ remaining, ...rule }) => (Number.isFinite(remaining) ? { ...rule, count: remaining } : rule));
  }

  /** Decides what happens to one API request, using up counted rules it matches. */
  decide(method: string, path: string): FaultDecision {
    if (this.rules.length === 0) return NONE;
    let latencyMs = 0;
    let action: FaultDecision['action'] = null;
    let shouldRetry: boolean | undefined;
    for (const rule of this.rules) {
      if (rule.remaining <= 0) continue;
      if (rule.method !== undefined && rule.method !== method) continue;
      if (rule.pathPrefix !== undefined && !path.startsWith(rule.pathPrefix)) continue;
      if (rule.kind === 'latency') {
        latencyMs = Math.max(latencyMs, rule.latencyMs ?? 0);
        rule.remaining--;
        continue;
      }
      if (action !== null) continue;
      rule.remaining--;
      if (rule.kind === 'networkDown') action = 'drop-before';
      else if (rule.kind === 'drop') action = rule.after ? 'drop-after' : 'drop-before';
      else action = rule.kind;
      shouldRetry = rule.shouldRetry ?? (rule.kind === 'rateLimit' ? false : true);
    }
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return { latencyMs, action, shouldRetry };
  }
}
