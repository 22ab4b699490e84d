import { createServer, type Server } from 'node:http';
import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addTestInstall, startTestRelay, TEST_SECRET, type TestRelay } from './testing/testRelay';
import { makeEvent, postWebhook } from './testing/webhooks';

/** A stand-in for Stripe's `GET /v1/events`: newest first, `created[gte|lte]`, `limit`, `starting_after`. */
async function startEventsApi(events: Record<string, unknown>[]) {
  const queries: URLSearchParams[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method !== 'GET' || url.pathname !== '/v1/events') {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: { type: 'invalid_request_error', message: 'no such route' } }));
    }
    queries.push(url.searchParams);
    const q = url.searchParams;
    const gte = Number(q.get('created[gte]') ?? 0);
    const lte = Number(q.get('created[lte]') ?? Infinity);
    const limit = Number(q.get('limit') ?? 10);
    let list = events.filter((e) => (e.created as number) >= gte && (e.created as number) <= lte).sort((a, b) => (b.created as number) - (a.created as number));
    const after = q.get('starting_after');
    if (after) list = list.slice(list.findIndex((e) => e.id === after) + 1);
    const page = list.slice(0, limit);
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_test' });
    res.end(JSON.stringify({ object: 'list', url: '/v1/events', has_more: list.length > limit, data: page }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { port, queries, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('backfill from GET /v1/events', () => {
  const now = Math.floor(Date.now() / 1000);
  let api: Awaited<ReturnType<typeof startEventsApi>>;
  let t: TestRelay;
  let install: { id: string };
  const all: Record<string, unknown>[] = [];

  beforeAll(async () => {
    api = await startEventsApi(all);
  });
  afterAll(() => api.close());
  afterEach(() => t?.cleanup());

  const relayWithBackfill = async (maxEvents?: number) => {
    const stripe = new Stripe('rk_test_backfill', { host: '127.0.0.1', port: api.port, protocol: 'http', maxNetworkRetries: 0 });
    t = await startTestRelay({ backfill: { stripe, everyMs: 3_600_000, overlapSec: 60, ...(maxEvents && { maxEvents }) } });
    install = await addTestInstall(t.store, 'Counter 1');
  };

  it('stores the events webhooks missed, oldest first, routed like webhooks, without duplicating those received', async () => {
    await relayWithBackfill();
    all.length = 0;
    // A payment and its charges; the relay was down for some of them.
    all.push(makeEvent({ id: 'evt_b1', installId: install.id, paymentIntent: 'pi_b', created: now - 500 }));
    all.push(makeEvent({ id: 'evt_b2', type: 'charge.succeeded', paymentIntent: 'pi_b', created: now - 400 }));
    all.push(makeEvent({ id: 'evt_b3', type: 'charge.refunded', paymentIntent: 'pi_b', created: now - 300 }));
    all.push(makeEvent({ id: 'evt_b4', installId: install.id, created: now - 200 }));
    for (const e of [all[1]!, all[3]!]) expect((await postWebhook(t.url, JSON.stringify(e), { secret: TEST_SECRET })).status).toBe(200);

    const r = await t.relay.backfillNow();
    expect(r).toMatchObject({ listed: 4, stored: 2, truncated: false });
    const ids = (await t.store.readAfter(install.id, 0, 100)).map((d) => d.eventId);
    // evt_b2 arrived first (before its PI's owner was known) and waited; evt_b1 released it.
    expect(ids.sort()).toEqual(['evt_b1', 'evt_b2', 'evt_b3', 'evt_b4']);
    expect(await t.store.countUnassigned()).toBe(0);

    // The next run starts from the cursor (minus the overlap), and finds nothing new.
    const again = await t.relay.backfillNow();
    expect(again).toMatchObject({ stored: 0 });
    expect(Number(api.queries.at(-1)!.get('created[gte]'))).toBeGreaterThanOrEqual(now - 61);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/relay_events_stored_total\{source="backfill"\} 2/);
    expect(metrics).toMatch(/relay_backfill_runs_total 2/);
  });

  it('paginates, and a run cut short by its bound continues below where it stopped until caught up', async () => {
    await relayWithBackfill(120);
    all.length = 0;
    for (let i = 0; i < 250; i++) all.push(makeEvent({ id: `evt_p${String(i).padStart(3, '0')}`, installId: install.id, created: now - 1000 + i }));
    api.queries.length = 0;
    const first = await t.relay.backfillNow();
    expect(first).toMatchObject({ truncated: true, stored: 120 });
    expect(api.queries.some((q) => q.get('starting_after'))).toBe(true);
    let runs = 1;
    while (runs < 5) {
      runs += 1;
      if (!(await t.relay.backfillNow())?.truncated) break;
    }
    expect(runs).toBe(3); // 120 newest, then 120 below them, then the last 10 (+1 overlap)
    const stored = (await t.store.readAfter(install.id, 0, 1000)).map((d) => d.eventId);
    expect(new Set(stored).size).toBe(250);
    expect(stored.length).toBe(250);
  });

  it('reports a failing Stripe in /healthz without taking the relay down', async () => {
    const stripe = new Stripe('rk_test_backfill', { host: '127.0.0.1', port: 1, protocol: 'http', maxNetworkRetries: 0, timeout: 2000 });
    t = await startTestRelay({ backfill: { stripe, everyMs: 3_600_000 } });
    await expect(t.relay.backfillNow()).rejects.toThrow();
    expect(await (await fetch(`${t.url}/healthz`)).json()).toMatchObject({ status: 'degraded', reasons: ['backfill_failing'] });
  });
});
