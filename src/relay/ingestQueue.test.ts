import { describe, expect, it } from 'vitest';
import { createIngestQueue } from './ingestQueue';
import type { IncomingEvent, IngestOutcome, RelayStore } from './store/types';

/**
 * The batch fill window (issue 17): under load, the batch after a commit waits for the webhooks
 * right behind it, up to its bound, and starts at once when it is full. The clock that decides is
 * the test's own, so nothing here depends on how fast the machine is.
 */
function fakeStore() {
  const batches: string[][] = [];
  let release: (() => void)[] = [];
  let hold = false;
  const store = {
    kind: 'postgres',
    ingest: (events: readonly IncomingEvent[]): Promise<IngestOutcome> => {
      batches.push(events.map((e) => e.id));
      const outcome = { results: events.map((e) => ({ eventId: e.id, duplicate: false, route: null })), deliveries: [] };
      if (!hold) return Promise.resolve(outcome);
      return new Promise((ok) => release.push(() => ok(outcome)));
    },
  } as unknown as RelayStore;
  return {
    store,
    batches,
    /** While held, batches stay "committing" until `commitAll()`. */
    hold: (on: boolean) => {
      hold = on;
    },
    commitAll: () => {
      const fns = release;
      release = [];
      for (const f of fns) f();
    },
  };
}

const event = (id: string): IncomingEvent => ({
  id,
  type: 'payment_intent.succeeded',
  created: 1,
  payload: '{}',
  signature: null,
  hints: { installId: null, paymentIntent: null, locationId: null },
  source: 'webhook',
});

const turn = () => new Promise((r) => setImmediate(r));

describe('ingest queue batch fill window', () => {
  it('a lone webhook never waits, however long the window', async () => {
    const f = fakeStore();
    const q = createIngestQueue(f.store, { maxInFlight: 1, fill: { waitMs: 3_600_000 }, clock: () => 0, onCommitted: () => {} });
    await q.enqueue(event('a'));
    await q.enqueue(event('b')); // follows a batch of one: no wait either
    expect(f.batches).toEqual([['a'], ['b']]);
  });

  it('after a batch under load, later webhooks share one batch until the bound, then it starts', async () => {
    const f = fakeStore();
    let now = 1000;
    const q = createIngestQueue(f.store, { maxInFlight: 1, fill: { waitMs: 5 }, clock: () => now, onCommitted: () => {} });
    await Promise.all([q.enqueue(event('a1')), q.enqueue(event('a2'))]); // a batch of two: "under load"
    const later: Promise<unknown>[] = [];
    for (const id of ['b1', 'b2', 'b3']) {
      later.push(q.enqueue(event(id)));
      await turn(); // each in its own turn: without the window each would be a batch of its own
    }
    expect(f.batches).toEqual([['a1', 'a2']]); // still waiting: the test's clock has not moved
    now += 5; // the bound is reached; the next look (its timer) starts the batch
    await Promise.all(later);
    expect(f.batches).toEqual([['a1', 'a2'], ['b1', 'b2', 'b3']]);
  });

  it('starts at once when the batch is full, before the bound', async () => {
    const f = fakeStore();
    const q = createIngestQueue(f.store, { maxInFlight: 1, maxBatch: 3, fill: { waitMs: 3_600_000 }, clock: () => 0, onCommitted: () => {} });
    await Promise.all([q.enqueue(event('a1')), q.enqueue(event('a2'))]);
    const full: Promise<unknown>[] = [];
    for (const id of ['b1', 'b2', 'b3', 'c1']) {
      full.push(q.enqueue(event(id)));
      await turn();
    }
    await Promise.all(full.slice(0, 3)); // an hour-long window, yet the full batch committed
    expect(f.batches.slice(0, 2)).toEqual([['a1', 'a2'], ['b1', 'b2', 'b3']]);
    q.enqueue(event('c2')).catch(() => {});
    q.enqueue(event('c3')).catch(() => {});
    await Promise.all(full); // c1 waited for c2 and c3 to fill its batch
    expect(f.batches[2]).toEqual(['c1', 'c2', 'c3']);
  });

  it('never waits while a batch is committing if there is no window (SQLite)', async () => {
    const f = fakeStore();
    f.hold(true);
    const q = createIngestQueue(f.store, { maxInFlight: 4, onCommitted: () => {} });
    const all = [q.enqueue(event('a1')), q.enqueue(event('a2'))];
    await turn();
    all.push(q.enqueue(event('b1')));
    await turn();
    expect(f.batches).toEqual([['a1', 'a2'], ['b1']]); // the second started while the first was committing
    f.hold(false);
    f.commitAll();
    await Promise.all(all);
  });
});

describe('ingest queue second batch beside a committing one', () => {
  it('starts only once enough events wait, so a fast store keeps one bigger batch in flight', async () => {
    const f = fakeStore();
    f.hold(true);
    const q = createIngestQueue(f.store, { maxInFlight: 2, concurrentAt: 3, onCommitted: () => {} });
    const all = [q.enqueue(event('a1'))];
    await turn();
    all.push(q.enqueue(event('b1')), q.enqueue(event('b2')));
    await turn();
    expect(f.batches).toEqual([['a1']]); // two waiting: not enough to start beside a1
    all.push(q.enqueue(event('b3')));
    await turn();
    expect(f.batches).toEqual([['a1'], ['b1', 'b2', 'b3']]); // three: a second batch shares a1's wait
    f.hold(false);
    f.commitAll();
    await Promise.all(all);
  });

  it('the events left waiting start as soon as the committing batch is done', async () => {
    const f = fakeStore();
    f.hold(true);
    const q = createIngestQueue(f.store, { maxInFlight: 2, concurrentAt: 5, onCommitted: () => {} });
    const all = [q.enqueue(event('a1'))];
    await turn();
    all.push(q.enqueue(event('b1')));
    await turn();
    expect(f.batches).toEqual([['a1']]);
    f.hold(false);
    f.commitAll();
    await Promise.all(all);
    expect(f.batches).toEqual([['a1'], ['b1']]);
  });
});
