import { z } from 'zod';

/**
 * Traffic-shaped faults the refund queue is measured against (issue 16), beside the per-request
 * rules in `faults.ts`:
 * - `ratePerSecond`: Stripe's per-account limit (25/s in test mode): a token bucket of one
 *   second's burst, refilled in real time; a request without a token gets a 429;
 * - `failRate`: that share of API requests fails with a transient 500 before taking effect
 *   (seeded, so a run is repeatable);
 * - `error500After`: the next `count` matching requests take effect and then answer 500 (the
 *   "did my refund go through?" case; the saved idempotent answer is the real one).
 */
export const trafficSchema = z.object({
  ratePerSecond: z.number().positive().max(100_000).optional(),
  failRate: z.number().min(0).max(1).optional(),
  seed: z.number().int().optional(),
  error500After: z.object({ pathPrefix: z.string().startsWith('/').optional(), method: z.enum(['GET', 'POST', 'DELETE']).optional(), count: z.number().int().min(1) }).optional(),
});
export type TrafficConfig = z.infer<typeof trafficSchema>;
export type TrafficStats = { requests: number; rateLimited: number; failed: number; failedAfter: number };

export class TrafficFaults {
  private cfg: TrafficConfig = {};
  private tokens = 0;
  private refilledAt = 0;
  private rand: () => number = Math.random;
  private afterLeft = 0;
  stats: TrafficStats = { requests: 0, rateLimited: 0, failed: 0, failedAfter: 0 };

  set(input: TrafficConfig | null): void {
    this.cfg = input === null ? {} : trafficSchema.parse(input);
    this.tokens = this.cfg.ratePerSecond ?? 0;
    this.refilledAt = Date.now();
    this.rand = mulberry32(this.cfg.seed ?? 1);
    this.afterLeft = this.cfg.error500After?.count ?? 0;
    this.stats = { requests: 0, rateLimited: 0, failed: 0, failedAfter: 0 };
  }

  /** Before the request takes effect. */
  before(): 'rateLimit' | 'error500' | null {
    this.stats.requests++;
    const rate = this.cfg.ratePerSecond;
    if (rate) {
      const t = Date.now();
      this.tokens = Math.min(rate, this.tokens + ((t - this.refilledAt) / 1000) * rate);
      this.refilledAt = t;
      if (this.tokens < 1) {
        this.stats.rateLimited++;
        return 'rateLimit';
      }
      this.tokens -= 1;
    }
    if (this.cfg.failRate && this.rand() < this.cfg.failRate) {
      this.stats.failed++;
      return 'error500';
    }
    return null;
  }

  /** After the request took effect: true to answer 500 anyway. */
  after(method: string, path: string): boolean {
    const rule = this.cfg.error500After;
    if (!rule || this.afterLeft <= 0) return false;
    if (rule.method !== undefined && rule.method !== method) return false;
    if (rule.pathPrefix !== undefined && !path.startsWith(rule.pathPrefix)) return false;
    this.afterLeft--;
    this.stats.failedAfter++;
    return true;
  }
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
