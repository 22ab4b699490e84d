import type { StripeGateway } from '../stripe/stripeGateway';
import { backoffDelay } from '../core/backoff';
import type { BackoffOptions } from '../core/backoff';
import { newId } from '../core/ids';
import type { Job, JobReporter } from '../core/module';
import type { Db } from '../db/connection';
import { classifyStripeError } from './classify';
import { createOutboxRepo } from './outboxRepo';
import type { OutboxRow } from './outboxRepo';
import { createPacer } from './pacer';

/**
 * The durable queue of Stripe calls (DESIGN §5). A caller writes its record and `enqueue`s the
 * call in ONE transaction; the worker job sends due items when Stripe answers, paced under the
 * account's rate limit, with exponential backoff and jitter, and stops on permanent errors
 * (they wait on the "needs attention" list for a person). Generic: each `kind` brings its own
 * send, look-up and what to write when it is done; the queue knows nothing about refunds.
 */

/** Stripe forgets idempotency keys after 24 h: past this, look the call up before sending again. */
export const LOOKUP_AFTER_MS = 23 * 3600_000;

export type OutboxItem = {
  id: string;
  kind: string;
  entityType: string;
  entityId: string;
  payload: unknown;
  idempotencyKey: string;
  attempts: number;
  firstSentAt: string | null;
  createdAt: string;
};

export type Attention = { reason: string; action: string; code: string };

/** What one kind of call does; every `on…` runs inside the outbox's own transaction. */
export type OutboxKind = {
  readonly kind: string;
  /** False when the call is no longer wanted (Stripe already told us by event): the item is done unsent. */
  stillWanted?(item: OutboxItem): boolean;
  send(item: OutboxItem, client: StripeGateway): Promise<unknown>;
  /** Did an earlier send take effect at Stripe? The result, or null when Stripe has no trace of it. */
  lookup?(item: OutboxItem, client: StripeGateway): Promise<unknown>;
  onSending?(item: OutboxItem): void;
  onDone(item: OutboxItem, result: unknown): void;
  onRetry?(item: OutboxItem, nextAttemptAt: string, message: string): void;
  onFailed(item: OutboxItem, attention: Attention): void;
  onCanceled?(item: OutboxItem): void;
  /** After a permanent failure, outside the transaction (e.g. learn what another till did). */
  afterFailed?(item: OutboxItem, client: StripeGateway): Promise<void>;
};

export type OutboxSummary = { online: boolean | null; waiting: number; attention: number; nextTryAt: string | null };

export type OutboxOptions = {
  db: Db;
  installId: string;
  now: () => Date;
  kinds: readonly OutboxKind[];
  /** The Stripe client once the counter has one (demo: the emulator); null = nothing is sent. */
  client: () => StripeGateway | null;
  /** Stripe's per-account limit: 25/s in test mode, 100/s live. The worker stays under it. */
  perSecond?: number;
  concurrency?: number;
  backoff?: BackoffOptions;
  /** How long the whole queue pauses after consecutive 429s (the limit is per account). */
  ratePause?: BackoffOptions;
  /** How often to try the cheap probe while offline. */
  probeEveryMs?: number;
  probe?: (client: StripeGateway) => Promise<boolean>;
  onChange?: (s: OutboxSummary) => void;
  onError?: (what: string, err: unknown) => void;
};

export type EnqueueInput = { kind: string; entityType: string; entityId: string; payload: unknown; idempotencyKey: string };

export type Outbox = {
  /** Call inside the transaction that writes the record; the worker is woken after it commits. */
  enqueue(input: EnqueueInput): string;
  /** Cancels an item not yet sent (also one on the attention list); false when it is sending or sent. */
  cancel(entityType: string, entityId: string): 'canceled' | 'sending' | 'sent' | 'missing';
  /** Puts an item from the attention list back in the queue, due now. */
  retry(entityType: string, entityId: string): boolean;
  item(entityType: string, entityId: string): OutboxRow | undefined;
  attention(limit?: number): OutboxRow[];
  summary(): OutboxSummary;
  online(): boolean | null;
  /** Runs one pass: sends every item due now, waiting for each; for tests and the bench. */
  wake(): void;
  /** Resolves when nothing is waiting or in flight (bounded by `timeoutMs`); true when drained. */
  drained(timeoutMs: number): Promise<boolean>;
  readonly job: Job;
};

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 5 * 60_000, factor: 2 };
const DEFAULT_RATE_PAUSE: BackoffOptions = { initialMs: 250, maxMs: 4_000, factor: 2 };

export function createOutbox(opts: OutboxOptions): Outbox {
  const { db, now } = opts;
  const repo = createOutboxRepo(db);
  const kinds = new Map(opts.kinds.map((k) => [k.kind, k]));
  const backoff = opts.backoff ?? DEFAULT_BACKOFF;
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const probeEveryMs = opts.probeEveryMs ?? 5_000;
  const pacer = createPacer(opts.perSecond ?? 25);
  let online: boolean | null = null;
  let running = false;
  let stopping = false;
  let inFlight = 0;
  let loopDone: Promise<void> | null = null;
  let wakeUp: (() => void) | null = null;
  let rateStrikes = 0;
  let report: JobReporter = () => {};
  let lastSummary = '';

  const iso = (ms?: number) => (ms === undefined ? now() : new Date(now().getTime() + ms)).toISOString();
  const toItem = (r: OutboxRow): OutboxItem => ({
    id: r.id,
    kind: r.kind,
    entityType: r.entity_type,
    entityId: r.entity_id,
    payload: JSON.parse(r.payload_json) as unknown,
    idempotencyKey: r.idempotency_key,
    attempts: r.attempts,
    firstSentAt: r.first_sent_at,
    createdAt: r.created_at,
  });

  function summary(): OutboxSummary {
    return { online, waiting: repo.waiting(), attention: repo.attentionCount(), nextTryAt: repo.earliest() };
  }
  function changed(): void {
    const s = summary();
    const key = JSON.stringify(s);
    if (key === lastSummary) return;
    lastSummary = key;
    opts.onChange?.(s);
  }
  function setOnline(next: boolean): void {
    if (online === next) return;
    online = next;
    report(next ? 'ok' : 'degraded', next ? 'Stripe answers; the queue is sent as it fills.' : 'Stripe cannot be reached; refunds wait in the queue.');
    // Back online: everything waiting on a network backoff is due now.
    if (next) db.transaction(() => repo.pullForward(iso()))();
    changed();
  }
  function wake(): void {
    const w = wakeUp;
    wakeUp = null;
    w?.();
  }
  function idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, Math.max(1, ms));
      function done() {
        clearTimeout(t);
        if (wakeUp === done) wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });
  }

  /** Takes the next due item and marks it in flight (and its record "sending") in one transaction. */
  const claimNext = db.transaction((): { item: OutboxItem; kind: OutboxKind } | 'skipped' | null => {
    const row = repo.nextDue(iso());
    if (!row) return null;
    const kind = kinds.get(row.kind);
    const at = iso();
    if (!repo.claim(row.id, at)) return 'skipped';
    const item = toItem({ ...row, attempts: row.attempts + 1, first_sent_at: row.first_sent_at ?? at });
    if (!kind) {
      repo.fail(row.id, `No sender for ${row.kind}`, 'This counter’s Keydesk does not know how to send this item.', 'Update Keydesk, then retry it.', at);
      return 'skipped';
    }
    if (kind.stillWanted && !kind.stillWanted(item)) {
      repo.done(row.id, { skipped: 'already known at Stripe' }, at);
      return 'skipped';
    }
    kind.onSending?.(item);
    return { item, kind };
  });

  function finish(item: OutboxItem, kind: OutboxKind, result: unknown): void {
    db.transaction(() => {
      if (repo.done(item.id, result, iso())) kind.onDone(item, result);
    })();
  }

  async function process(item: OutboxItem, kind: OutboxKind, client: StripeGateway): Promise<void> {
    try {
      if (kind.lookup && item.firstSentAt && now().getTime() - Date.parse(item.firstSentAt) > LOOKUP_AFTER_MS) {
        const found = await kind.lookup(item, client);
        if (found) {
          setOnline(true);
          finish(item, kind, found);
          return;
        }
        // Not at Stripe: this send opens a new 24-hour idempotency window.
        db.transaction(() => repo.restartWindow(item.id, iso()))();
      }
      const result = await kind.send(item, client);
      rateStrikes = 0;
      setOnline(true);
      finish(item, kind, result);
    } catch (err) {
      const c = classifyStripeError(err);
      if (c.kind === 'retry') {
        setOnline(!c.offline);
        if (c.rateLimited) {
          rateStrikes++;
          pacer.pause(backoffDelay(rateStrikes, opts.ratePause ?? DEFAULT_RATE_PAUSE));
        }
        const delay = backoffDelay(item.attempts, backoff);
        const next = iso(delay);
        db.transaction(() => {
          if (repo.retry(item.id, next, c.message, iso())) kind.onRetry?.(item, next, c.message);
        })();
      } else {
        setOnline(true);
        const attention: Attention = { reason: c.message, action: c.action, code: c.code };
        db.transaction(() => {
          if (repo.fail(item.id, c.message, c.message, c.action, iso())) kind.onFailed(item, attention);
        })();
        if (kind.afterFailed) await kind.afterFailed(item, client).catch((e: unknown) => opts.onError?.('outbox.after_failed', e));
      }
    } finally {
      changed();
    }
  }

  async function loop(): Promise<void> {
    const pending = new Set<Promise<void>>();
    let lastProbe = 0;
    while (!stopping) {
      const client = opts.client();
      if (!client) {
        await idle(1_000);
        continue;
      }
      if (online === false) {
        // Offline: a cheap probe, not the queue, finds out when Stripe is back.
        const wait = lastProbe + probeEveryMs - Date.now();
        if (wait > 0) {
          await idle(wait);
          continue;
        }
        lastProbe = Date.now();
        const ok = await (opts.probe ?? defaultProbe)(client).catch(() => false);
        if (!ok) continue;
        setOnline(true);
      }
      if (inFlight >= concurrency) {
        await Promise.race(pending);
        continue;
      }
      await pacer.take();
      if (stopping) break;
      let claimed: ReturnType<typeof claimNext>;
      try {
        claimed = claimNext();
      } catch (err) {
        opts.onError?.('outbox.claim', err);
        await idle(1_000);
        continue;
      }
      if (claimed === 'skipped') {
        changed();
        continue;
      }
      if (!claimed) {
        pacer.refund();
        const earliest = repo.earliest();
        const ms = earliest ? Date.parse(earliest) - now().getTime() : 1_000;
        await idle(Math.min(Math.max(ms, 5), 1_000));
        continue;
      }
      changed();
      inFlight++;
      const p = process(claimed.item, claimed.kind, client).finally(() => {
        inFlight--;
        pending.delete(p);
      });
      pending.add(p);
    }
    await Promise.allSettled([...pending]);
  }

  const job: Job = {
    name: 'outbox.worker',
    start(r) {
      if (running) return;
      running = true;
      stopping = false;
      report = r;
      report('starting');
      // A crash between send and commit leaves items in flight: send them again with the same key.
      const recovered = db.transaction(() => repo.recover(iso()))();
      if (recovered > 0) report('starting', `${recovered} item(s) were being sent when Keydesk stopped; they are sent again safely.`);
      loopDone = loop().catch((err: unknown) => {
        opts.onError?.('outbox.loop', err);
        report('failed', 'The refund queue stopped; restart Keydesk.');
      });
      changed();
    },
    async stop() {
      stopping = true;
      wake();
      pacer.cancel();
      await loopDone;
      running = false;
      report('stopped');
    },
  };

  return {
    enqueue(input) {
      const id = newId(now().getTime());
      repo.insert({
        id,
        kind: input.kind,
        entity_type: input.entityType,
        entity_id: input.entityId,
        payload_json: JSON.stringify(input.payload),
        idempotency_key: input.idempotencyKey,
        install_id: opts.installId,
        at: iso(),
      });
      queueMicrotask(() => {
        changed();
        wake();
      });
      return id;
    },
    cancel(entityType, entityId) {
      const out = db.transaction(() => {
        const row = repo.byEntity(entityType, entityId);
        if (!row) return 'missing' as const;
        if (row.status === 'in_flight') return 'sending' as const;
        if (row.status === 'done') return 'sent' as const;
        if (row.status === 'canceled') return 'canceled' as const;
        if (!repo.cancel(row.id, iso())) return 'sending' as const;
        kinds.get(row.kind)?.onCanceled?.(toItem(row));
        return 'canceled' as const;
      })();
      changed();
      return out;
    },
    retry(entityType, entityId) {
      const ok = db.transaction(() => {
        const row = repo.byEntity(entityType, entityId);
        if (!row || !repo.requeue(row.id, iso())) return false;
        kinds.get(row.kind)?.onRetry?.(toItem(row), iso(), 'Retried by a manager.');
        return true;
      })();
      changed();
      wake();
      return ok;
    },
    item: (t, id) => repo.byEntity(t, id),
    attention: (limit = 200) => repo.attention(limit),
    summary,
    online: () => online,
    wake,
    async drained(timeoutMs) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        if (repo.waiting() === 0 && inFlight === 0) return true;
        await new Promise((r) => setTimeout(r, 20));
      }
      return false;
    },
    job,
  };
}

async function defaultProbe(client: StripeGateway): Promise<boolean> {
  try {
    await client.events.list({ limit: 1 });
    return true;
  } catch (err) {
    // Any answer from Stripe (even a 401) means the network is there.
    return classifyStripeError(err).kind !== 'retry' || !(classifyStripeError(err) as { offline?: boolean }).offline;
  }
}
