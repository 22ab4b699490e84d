import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const opts = { initialMs: 500, maxMs: 30_000, factor: 2 };
  it('grows exponentially, never below half the step, never above the cap', () => {
    expect(backoffDelay(1, opts, () => 0)).toBe(250);
    expect(backoffDelay(1, opts, () => 1)).toBe(500);
    expect(backoffDelay(4, opts, () => 0)).toBe(2000);
    expect(backoffDelay(4, opts, () => 1)).toBe(4000);
    for (const attempt of [7, 20, 1000]) {
      expect(backoffDelay(attempt, opts, () => 1)).toBe(30_000);
      expect(backoffDelay(attempt, opts, () => 0)).toBe(15_000);
    }
  });
  it('spreads tills apart (jitter) rather than retrying in lockstep', () => {
    const seen = new Set(Array.from({ length: 20 }, (_, i) => backoffDelay(5, opts, () => i / 20)));
    expect(seen.size).toBe(20);
  });
});
