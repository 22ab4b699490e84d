import { PosError } from '../../../shared/errors';
import type { StripeGateway, StripeReaderAction } from '../../stripe/stripeGateway';

/**
 * The steps every server-driven card read shares, whoever owns the payment row: the card
 * checkout (payments) and the deposit hold (deposits, through `payments/index.ts`). Each owner
 * keeps its own rows, keys and record of Stripe's answer; these steps only talk to the reader.
 */

/** One operation at a time per key (a watcher, a sweep and the clerk may race on one payment). */
export function createSerialLocks() {
  const locks = new Map<string, Promise<unknown>>();
  function run<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = locks.get(id) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    locks.set(id, tail);
    void tail.then(() => {
      if (locks.get(id) === tail) locks.delete(id);
    });
    return next;
  }
  return { run, has: (id: string) => locks.has(id) };
}

export type SerialLocks = ReturnType<typeof createSerialLocks>;

/** Whether the reader's action is still this PaymentIntent's process step (any status). */
export function isOurAction(action: StripeReaderAction | null | undefined, pi: string): boolean {
  return action?.type === 'process_payment_intent' && action.process_payment_intent?.payment_intent === pi;
}

/**
 * Asks the reader to process the PaymentIntent. A failed call is unclear (the reader may have
 * started after all), so the reader is asked before deciding; the error is thrown only when the
 * reader is not on this PaymentIntent.
 */
export async function processOnReader(g: StripeGateway, readerId: string, pi: string, key: string): Promise<void> {
  try {
    await g.readers.processPaymentIntent(readerId, { payment_intent: pi }, { idempotencyKey: key });
  } catch (err) {
    const reader = await g.readers.retrieve(readerId).catch(() => null);
    if (!isOurAction(reader?.action, pi)) throw err instanceof PosError ? err : new PosError('internal', String(err));
  }
}

/** Stops the reader when it is still waiting for a card on this PaymentIntent; a failure to stop is left to the caller's retrieve. */
export async function cancelReaderActionIfOurs(g: StripeGateway, readerId: string | null, pi: string, key: string): Promise<boolean> {
  if (!readerId) return false;
  const reader = await g.readers.retrieve(readerId).catch(() => null);
  if (!(reader?.action?.status === 'in_progress' && isOurAction(reader.action, pi))) return false;
  await g.readers.cancelAction(reader.id, { idempotencyKey: key }).catch(() => undefined);
  return true;
}

export type ReaderWatch = { readerId: string; wake(): void; stop(): void };

/**
 * Polls the reader until its action on `pi` ends, or main's own timeout (then `onTimeout`, which
 * cancels the action and records it). `onFinished` gets the reader's action when it was ours
 * (null when the reader moved on to something else) and resolves once the outcome is recorded;
 * a rejection (Stripe unreachable) keeps polling until the timeout, after which reconcile takes over.
 * Bounded, in the background; `wake` looks now instead of at the next poll.
 */
export function watchReader(opts: {
  gateway: () => StripeGateway | null;
  readerId: string;
  pi: string;
  timeoutMs: number;
  pollMs: number;
  onFinished(action: StripeReaderAction | null): Promise<unknown>;
  onTimeout(poll: number): Promise<void>;
  onEnd(): void;
}): ReaderWatch {
  const { readerId, pi, timeoutMs, pollMs } = opts;
  let stopped = false;
  let wake: () => void = () => undefined;
  const watch: ReaderWatch = {
    readerId,
    wake: () => wake(),
    stop: () => {
      stopped = true;
      wake();
    },
  };
  const deadline = Date.now() + timeoutMs;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  void (async () => {
    const g = opts.gateway();
    for (let i = 0; !stopped && g && i < Math.ceil(timeoutMs / pollMs) + 2; i++) {
      if (Date.now() >= deadline) {
        await opts.onTimeout(i);
        break;
      }
      const reader = await g.readers.retrieve(readerId).catch(() => null);
      if (stopped) break;
      const action = reader?.action;
      const ours = isOurAction(action, pi);
      if (reader && (!ours || action?.status !== 'in_progress')) {
        if (await opts.onFinished(ours ? (action ?? null) : null).then(() => true, () => false)) break;
      }
      await sleep(Math.min(pollMs, Math.max(0, deadline - Date.now())));
    }
  })()
    .catch(() => undefined)
    .finally(() => opts.onEnd());
  return watch;
}
