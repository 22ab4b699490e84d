import type { Clock } from './clock';

export type StoredResponse = {
  fingerprint: string;
  status: number;
  body: string;
  requestId: string;
  createdSec: number;
};

/** Stripe forgets keys after 24 hours. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/**
 * Responses saved by Idempotency-Key. stripe-node sends a fresh key on every POST, so the store
 * sees one key per POST: entries expire after 24 h of emulator time and the oldest are evicted
 * past `capacity`.
 */
export class IdempotencyStore {
  private entries = new Map<string, StoredResponse>();

  constructor(
    private readonly clock: Clock,
    private readonly capacity = 10_000,
  ) {}

  /** What identifies "the same request": method, path and the parameters in any order. */
  static fingerprint(method: string, path: string, rawBody: string): string {
    const pairs = rawBody.length === 0 ? '' : rawBody.split('&').sort().join('&');
    return `${method} ${path}?${pairs}`;
  }

  get(key: string): StoredResponse | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.createdSec + IDEMPOTENCY_TTL_SECONDS <= this.clock.nowSec()) {
      this.entries.delete(key);
      return undefined;
    }
    return hit;
  }

  put(key: string, response: StoredResponse): void {
    this.entries.delete(key);
    this.entries.set(key, response);
    if (this.entries.size > this.capacity) {
      // Maps iterate in insertion order, so the first keys are the oldest.
      const excess = this.entries.size - this.capacity;
      let i = 0;
      for (const k of this.entries.keys()) {
        if (i++ >= excess) break;
        this.entries.delete(k);
      }
    }
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }

  dump(): [string, StoredResponse][] {
    const now = this.clock.nowSec();
    return [...this.entries].filter(([, v]) => v.createdSec + IDEMPOTENCY_TTL_SECONDS > now);
  }

  load(entries: [string, StoredResponse][]): void {
    this.entries = new Map(entries);
  }
}
