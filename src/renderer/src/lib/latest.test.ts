import { afterEach, describe, expect, it, vi } from 'vitest';
import { debouncer, latestOnly } from './latest';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('latestOnly', () => {
  it('drops an older answer that arrives after a newer one', async () => {
    const run = latestOnly();
    const slow = deferred<string>();
    const fast = deferred<string>();
    const first = run(() => slow.promise);
    const second = run(() => fast.promise);
    fast.resolve('smi');
    slow.resolve('s');
    expect(await second).toEqual({ stale: false, value: 'smi' });
    expect(await first).toEqual({ stale: true });
  });

  it('drops answers still on their way after invalidate', async () => {
    const run = latestOnly();
    const slow = deferred<string>();
    const pending = run(() => slow.promise);
    run.invalidate();
    slow.resolve('old form');
    expect(await pending).toEqual({ stale: true });
  });

  it('keeps a single answer', async () => {
    const run = latestOnly();
    expect(await run(() => Promise.resolve(1))).toEqual({ stale: false, value: 1 });
  });
});

describe('debouncer', () => {
  afterEach(() => vi.useRealTimers());

  it('runs once after quiet, with the last call', () => {
    vi.useFakeTimers();
    const d = debouncer(120);
    const seen: string[] = [];
    d.schedule(() => seen.push('s'));
    vi.advanceTimersByTime(100);
    d.schedule(() => seen.push('sm'));
    vi.advanceTimersByTime(100);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(20);
    expect(seen).toEqual(['sm']);
    expect(d.pending()).toBe(false);
  });

  it('flush runs the pending call at once, and only once', () => {
    vi.useFakeTimers();
    const d = debouncer(120);
    const seen: string[] = [];
    d.schedule(() => seen.push('smi'));
    d.flush();
    vi.advanceTimersByTime(500);
    expect(seen).toEqual(['smi']);
    d.flush();
    expect(seen).toEqual(['smi']);
  });
});
