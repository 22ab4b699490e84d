import type { IncomingEvent, IngestOutcome, IngestResult, RelayStore } from './store/types';

export type IngestQueue = {
  /** Resolves once the event is durably stored (or found to be a duplicate). */
  enqueue(event: IncomingEvent): Promise<IngestResult>;
  /** Waits for everything queued so far (bounded). */
  drain(): Promise<void>;
  readonly pending: number;
};

type Waiter = { event: IncomingEvent; resolve: (r: IngestResult) => void; reject: (e: unknown) => void };

/**
 * Filling a batch under load: right after a batch of at least two events committed, a free slot
 * waits until `waitMs` after that commit (or until `maxBatch` events are queued) before starting
 * the next one, so the webhooks that arrive right behind it share one batch instead of making
 * small ones of their own. A
 * store whose cost is mostly per batch (PostgreSQL: a round trip, a statement, a commit) then
 * commits fewer, bigger batches. Bounded: an event waits at most `waitMs` longer. A lone webhook
 * never waits (its batch follows a batch of one, or nothing recent).
 */
export type BatchFill = { waitMs: number };

/**
 * Group commit: webhooks parsed in the same event-loop turn share one transaction, and up to
 * `maxInFlight` transactions may wait for their fsync at once (the SQLite store commits at call
 * time and only awaits the disk; PostgreSQL runs them on separate connections). A lone webhook
 * commits on the next turn, so latency stays low; under load the batches grow by themselves.
 */
export function createIngestQueue(
  store: RelayStore,
  opts: {
    maxBatch?: number;
    maxInFlight?: number;
    now?: () => number;
    fill?: BatchFill | null;
    /** Events that must wait before a batch starts beside one already committing (default 1). */
    concurrentAt?: number;
    /** The clock the fill window is measured on (tests pass their own). */
    clock?: () => number;
    onCommitted: (outcome: IngestOutcome, events: readonly IncomingEvent[]) => void;
  },
): IngestQueue {
  const maxBatch = opts.maxBatch ?? 500;
  const maxInFlight = opts.maxInFlight ?? 4;
  const now = opts.now ?? Date.now;
  const queue: Waiter[] = [];
  let inFlight = 0;
  let scheduled = false;
  let idle: (() => void)[] = [];
  const fill = opts.fill && opts.fill.waitMs > 0 ? opts.fill : null;
  const clock = opts.clock ?? (() => performance.now());
  let fillTimer: NodeJS.Timeout | null = null;
  let lastEnd = -Infinity;
  let lastSize = 0;
  /** Set when a slot starts waiting; never moved by later commits, so the wait stays bounded. */
  let fillUntil: number | null = null;
  /** Milliseconds a free slot should still wait for the batch to fill, or 0 to start now. */
  const waitFor = (): number => {
    if (!fill || lastSize < 2 || queue.length >= maxBatch) return 0;
    fillUntil ??= lastEnd + fill.waitMs;
    return Math.max(0, fillUntil - clock());
  };

  const settleIdle = () => {
    if (inFlight > 0 || queue.length > 0) return;
    const fns = idle;
    idle = [];
    for (const f of fns) f();
  };

  // Another batch beside one that is committing only once this many events wait: a slow commit
  // (a loaded disk) lets the queue grow and a second batch share its flush; a fast one keeps a
  // single, bigger batch in flight (less CPU per event).
  const concurrentAt = opts.concurrentAt ?? 1;
  const mayStart = () => queue.length > 0 && inFlight < maxInFlight && (inFlight === 0 || queue.length >= concurrentAt);
  const kick = () => {
    if (scheduled || !mayStart()) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      if (!mayStart()) return;
      const wait = waitFor();
      if (wait > 0) {
        // Every enqueue looks again (maxBatch reached); the timer ends the wait.
        if (!fillTimer)
          fillTimer = setTimeout(() => {
            fillTimer = null;
            kick();
          }, Math.ceil(wait));
        return;
      }
      fillUntil = null;
      if (fillTimer) {
        clearTimeout(fillTimer);
        fillTimer = null;
      }
      const batch = queue.splice(0, maxBatch);
      inFlight += 1;
      const events = batch.map((w) => w.event);
      store
        .ingest(events, now())
        .then(
          (outcome) => {
            opts.onCommitted(outcome, events);
            batch.forEach((w, i) => w.resolve(outcome.results[i]!));
          },
          (err: unknown) => batch.forEach((w) => w.reject(err)),
        )
        .finally(() => {
          lastEnd = clock();
          lastSize = batch.length;
          inFlight -= 1;
          kick();
          settleIdle();
        });
      kick();
    });
  };

  return {
    enqueue: (event) =>
      new Promise<IngestResult>((resolve, reject) => {
        queue.push({ event, resolve, reject });
        kick();
      }),
    drain: () =>
      new Promise<void>((resolve) => {
        if (inFlight === 0 && queue.length === 0) return resolve();
        const t = setTimeout(resolve, 30_000); // never hang a shutdown on a stuck store
        idle.push(() => {
          clearTimeout(t);
          resolve();
        });
      }),
    get pending() {
      return queue.length;
    },
  };
}
