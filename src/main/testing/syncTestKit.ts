import { expect } from 'vitest';
import { postWebhook } from '../../relay/testing/webhooks';
import type { TestApplier } from './testApplier';
import type { StreamStatus, SyncState } from '../services/sync/streamClient';

/** Posts signed events with a few in flight at once, as Stripe does; every one must be accepted. */
export async function postAll(baseUrl: string, events: Record<string, unknown>[], secret: string, concurrency = 16): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < events.length) {
      const e = events[next++]!;
      const r = await postWebhook(baseUrl, JSON.stringify(e), { secret });
      if (r.status !== 200) throw new Error(`webhook ${String(e.id)} answered ${r.status} ${r.body}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * The invariant every scenario ends with: the app was handed each expected event exactly once,
 * nothing else, with seqs 1, 2, 3… in order (the relay's commit order for this install).
 */
export function expectExactlyOnceInOrder(applier: TestApplier, expectedIds: readonly string[], relayOrder?: readonly string[]): void {
  const log = applier.log();
  expect(log.map((l) => l.seq)).toEqual(Array.from({ length: expectedIds.length }, (_, i) => i + 1));
  expect([...log.map((l) => l.eventId)].sort()).toEqual([...expectedIds].sort());
  if (relayOrder) expect(log.map((l) => l.eventId)).toEqual(relayOrder);
  expect(applier.count()).toBe(expectedIds.length);
}

/** Records the states a client went through (deduplicated runs). */
export function stateRecorder() {
  const states: SyncState[] = [];
  const all: StreamStatus[] = [];
  return {
    states,
    all,
    onState: (s: StreamStatus) => {
      all.push(s);
      if (states.at(-1) !== s.state) states.push(s.state);
    },
  };
}
