/**
 * Search-as-you-type helpers. A slow answer to an old query must never overwrite the answer to
 * the newest one, and a burst of keystrokes should cost one call, not one per key.
 */

export type Latest<T> = { stale: true } | { stale: false; value: T };

export type LatestRunner = {
  <T>(work: () => Promise<T>): Promise<Latest<T>>;
  /** Makes every answer still on its way stale (the form it was for has been reset). */
  invalidate(): void;
};

/** Wraps async work so only the newest call's answer counts; older answers come back `stale`. */
export function latestOnly(): LatestRunner {
  let seq = 0;
  const run = async <T>(work: () => Promise<T>): Promise<Latest<T>> => {
    const mine = ++seq;
    const value = await work();
    return mine === seq ? { stale: false, value } : { stale: true };
  };
  return Object.assign(run, {
    invalidate: () => {
      seq++;
    },
  });
}

export type Debouncer = {
  /** Runs `fn` after `ms` of quiet; a new call replaces the pending one. */
  schedule(fn: () => void): void;
  /** Runs the pending call now, if any. */
  flush(): void;
  cancel(): void;
  pending(): boolean;
};

export function debouncer(ms: number): Debouncer {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let next: (() => void) | null = null;
  const cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    next = null;
  };
  return {
    schedule(fn) {
      cancel();
      next = fn;
      timer = setTimeout(() => {
        const run = next;
        timer = null;
        next = null;
        run?.();
      }, ms);
    },
    flush() {
      const run = next;
      cancel();
      run?.();
    },
    cancel,
    pending: () => next !== null,
  };
}
