/**
 * Spaces requests evenly under a per-second limit (Stripe counts per account, so one till's
 * queue must not burst past it), without drift: each slot is one interval after the last, or
 * now if the queue was idle. A 429 pushes the next slot back.
 */
export type Pacer = {
  take(): Promise<void>;
  /** The slot just taken was not used. */
  refund(): void;
  pause(ms: number): void;
  /** Releases a waiting `take` at shutdown. */
  cancel(): void;
};

export function createPacer(perSecond: number): Pacer {
  const interval = perSecond > 0 ? 1000 / perSecond : 0;
  let nextAt = 0;
  let timer: NodeJS.Timeout | null = null;
  let release: (() => void) | null = null;
  return {
    take() {
      const t = Date.now();
      const slot = Math.max(t, nextAt);
      nextAt = slot + interval;
      const wait = slot - t;
      if (wait <= 0) return Promise.resolve();
      return new Promise((resolve) => {
        release = () => {
          if (timer) clearTimeout(timer);
          timer = null;
          release = null;
          resolve();
        };
        timer = setTimeout(release, wait);
      });
    },
    refund() {
      nextAt = Math.max(Date.now(), nextAt - interval);
    },
    pause(ms) {
      nextAt = Math.max(nextAt, Date.now() + ms);
    },
    cancel() {
      release?.();
    },
  };
}
