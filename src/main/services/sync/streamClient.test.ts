import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSwitchProxy, type SwitchProxy } from '../../../relay/testing/switchProxy';
import { addTestAdmin, addTestInstall, startTestRelay, TEST_SECRET, type TestRelay } from '../../../relay/testing/testRelay';
import { makeEvent } from '../../../relay/testing/webhooks';
import { createStreamClient, type StreamClient, type StreamClientOptions } from './streamClient';
import { expectExactlyOnceInOrder, postAll, stateRecorder } from '../../testing/syncTestKit';
import { waitFor } from '../../../../test/support/waitFor';
import { createTestApplier, type TestApplier } from '../../testing/testApplier';

const fast = { initialMs: 20, maxMs: 200, factor: 2 };

describe('stream client against a real relay', () => {
  let t: TestRelay;
  let proxy: SwitchProxy;
  const clients: StreamClient[] = [];
  const appliers: TestApplier[] = [];

  beforeAll(async () => {
    t = await startTestRelay({ heartbeatMs: 100 });
    proxy = await startSwitchProxy(t.url);
  });
  afterAll(async () => {
    await proxy.close();
    await t.cleanup();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.stop()));
    for (const a of appliers.splice(0)) a.close();
    proxy.setDown(false);
    proxy.failPath(null);
  });

  const client = (token: string, extra: Partial<StreamClientOptions> = {}) => {
    const applier = createTestApplier();
    appliers.push(applier);
    const rec = stateRecorder();
    const c = createStreamClient({
      baseUrl: proxy.url,
      token,
      apply: applier.apply,
      loadCursor: applier.loadCursor,
      onState: rec.onState,
      backoff: fast,
      ackEveryMs: 20,
      ...extra,
    });
    clients.push(c);
    return { c, applier, rec };
  };
  const events = (prefix: string, n: number, installId: string) => Array.from({ length: n }, (_, i) => makeEvent({ id: `evt_${prefix}${i}`, installId }));
  const relayOrder = async (installId: string) => (await t.store.readAfter(installId, 0, 100_000)).map((r) => r.eventId);

  it('applies each install its own events once, in order, acknowledges them and reports live with lag 0', async () => {
    const a = await addTestInstall(t.store, 'A');
    const b = await addTestInstall(t.store, 'B');
    const ca = client(a.token);
    const cb = client(b.token);
    ca.c.start();
    cb.c.start();
    await waitFor(() => ca.c.state.state === 'live' && cb.c.state.state === 'live', 5000, 'both live');
    const ea = events('h_a', 60, a.id);
    const eb = events('h_b', 40, b.id);
    await postAll(t.url, [...ea, ...eb].sort(() => Math.random() - 0.5), TEST_SECRET);
    await waitFor(() => ca.applier.count() === 60 && cb.applier.count() === 40, 10_000, 'all applied');
    expectExactlyOnceInOrder(ca.applier, ea.map((e) => e.id as string), await relayOrder(a.id));
    expectExactlyOnceInOrder(cb.applier, eb.map((e) => e.id as string), await relayOrder(b.id));
    await waitFor(async () => (await t.store.getInstall(a.id))?.ackedSeq === 60, 3000, 'acks reach the relay');
    await waitFor(() => ca.c.state.lag === 0, 2000, 'lag 0');
    expect(ca.c.state).toMatchObject({ state: 'live', transport: 'sse', committedSeq: 60, headSeq: 60, lag: 0, error: null });
    expect(ca.c.state.lastEventAt).toBeGreaterThan(Date.now() - 10_000);
    expect(ca.rec.states.slice(0, 2)).toEqual(['connecting', 'live']);
    await ca.c.stop();
    expect(ca.c.state.state).toBe('off');
  });

  it('offline for 1,000 events, then back: catches up, each once and in order', async () => {
    const a = await addTestInstall(t.store, 'Offline till');
    const { c, applier, rec } = client(a.token);
    c.start();
    const before = events('o_pre', 5, a.id);
    await waitFor(() => c.state.state === 'live', 5000, 'live');
    await postAll(t.url, before, TEST_SECRET);
    await waitFor(() => applier.count() === 5, 5000, 'first five');
    proxy.setDown(true);
    await waitFor(() => c.state.state === 'offline', 5000, 'offline');
    const during = events('o_', 1000, a.id);
    await postAll(t.url, during, TEST_SECRET, 32);
    expect(applier.count()).toBe(5);
    proxy.setDown(false);
    await waitFor(() => applier.count() === 1005, 20_000, 'caught up');
    expectExactlyOnceInOrder(applier, [...before, ...during].map((e) => e.id as string), await relayOrder(a.id));
    expect(rec.states).toEqual(expect.arrayContaining(['live', 'offline', 'connecting']));
    expect(rec.states.at(-1)).toBe('live');
  });

  it('a revoked token: the stream is closed, the client reports the error and receives nothing more', async () => {
    const a = await addTestInstall(t.store, 'Stolen till');
    // Every answer the relay gives this client, so the test can see it ask again after the revoke.
    const refused: number[] = [];
    const countingFetch: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (res.status === 401 || res.status === 403) refused.push(res.status);
      return res;
    };
    const { c, applier } = client(a.token, { fetchImpl: countingFetch });
    c.start();
    await waitFor(() => c.state.state === 'live', 5000, 'live');
    await postAll(t.url, events('r_pre', 3, a.id), TEST_SECRET);
    await waitFor(() => applier.count() === 3, 5000, 'applied');
    const admin = await addTestAdmin(t.store);
    const r = await fetch(`${t.url}/v1/admin/installs/${a.id}/revoke`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    expect(r.status).toBe(200);
    await waitFor(() => c.state.state === 'error', 5000, 'error state');
    expect(c.state.error).toBe('token_revoked');
    await postAll(t.url, events('r_post', 3, a.id), TEST_SECRET);
    // The client keeps asking with the revoked token; wait until it has asked twice more since
    // the new events were stored and been refused each time: only then is "nothing more" proven.
    const refusedBefore = refused.length;
    await waitFor(() => refused.length >= refusedBefore + 2, 10_000, 'the client to ask again and be refused');
    expect(applier.count()).toBe(3);
    expect(c.state).toMatchObject({ state: 'error', error: 'token_revoked' });
  });

  it('falls back to long-poll when SSE keeps failing behind a proxy, then returns to SSE', async () => {
    const a = await addTestInstall(t.store, 'Behind a bad proxy');
    proxy.failPath('/v1/stream', 502);
    const { c, applier } = client(a.token, { sseFailuresBeforeLongPoll: 3, longPollWaitSec: 1, retrySseAfterMs: 1500 });
    c.start();
    await waitFor(() => c.state.state === 'live' && c.state.transport === 'long-poll', 5000, 'live on long-poll');
    const first = events('lp_', 30, a.id);
    await postAll(t.url, first, TEST_SECRET);
    await waitFor(() => applier.count() === 30, 5000, 'applied over long-poll');
    proxy.failPath(null);
    await waitFor(() => c.state.transport === 'sse' && c.state.state === 'live', 5000, 'back on SSE');
    const second = events('lp2_', 10, a.id);
    await postAll(t.url, second, TEST_SECRET);
    await waitFor(() => applier.count() === 40, 5000, 'applied over SSE');
    expectExactlyOnceInOrder(applier, [...first, ...second].map((e) => e.id as string), await relayOrder(a.id));
  });

  it('drops a stream that went silent (dead link) and resumes on a new one', async () => {
    const a = await addTestInstall(t.store, 'Dead link');
    const { c, applier } = client(a.token, { staleAfterMs: 400 });
    c.start();
    await waitFor(() => c.state.state === 'live', 5000, 'live');
    proxy.freezeOpen();
    const evs = events('st_', 10, a.id);
    await postAll(t.url, evs, TEST_SECRET);
    await waitFor(() => applier.count() === 10, 5000, 'applied after reconnect');
    expectExactlyOnceInOrder(applier, evs.map((e) => e.id as string));
  });

  it('a failing apply leaves the cursor alone; after backoff the batch comes again and is applied once', async () => {
    const a = await addTestInstall(t.store, 'Flaky disk');
    const applier = createTestApplier();
    appliers.push(applier);
    let failures = 0;
    const rec = stateRecorder();
    const c = createStreamClient({
      baseUrl: proxy.url,
      token: a.token,
      loadCursor: applier.loadCursor,
      apply: (batch, upTo) => {
        if (batch.some((e) => e.event.id === 'evt_f_5') && failures < 2) {
          failures += 1;
          throw new Error('SQLITE_FULL');
        }
        applier.apply(batch, upTo);
      },
      onState: rec.onState,
      backoff: fast,
    });
    clients.push(c);
    c.start();
    const evs = events('f_', 10, a.id);
    await postAll(t.url, evs, TEST_SECRET, 1);
    await waitFor(() => applier.count() === 10, 5000, 'applied despite failures');
    expect(failures).toBe(2);
    expect(rec.all.some((s) => s.state === 'error' && s.error?.includes('SQLITE_FULL'))).toBe(true);
    expectExactlyOnceInOrder(applier, evs.map((e) => e.id as string));
  });

  it('stop() sends the final ack and ends quietly even while offline', async () => {
    const a = await addTestInstall(t.store, 'Closing time');
    const { c, applier } = client(a.token, { ackEveryMs: 60_000 });
    c.start();
    await waitFor(() => c.state.state === 'live', 5000, 'live');
    await postAll(t.url, events('s_', 7, a.id), TEST_SECRET);
    await waitFor(() => applier.count() === 7, 5000, 'applied');
    expect((await t.store.getInstall(a.id))?.ackedSeq).toBe(0);
    await c.stop();
    expect((await t.store.getInstall(a.id))?.ackedSeq).toBe(7);
    proxy.setDown(true);
    const { c: c2 } = client(a.token);
    c2.start();
    await waitFor(() => c2.state.state === 'offline', 5000, 'offline');
    const t0 = Date.now();
    await c2.stop();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(c2.state.state).toBe('off');
  });
});
