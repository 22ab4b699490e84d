import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCommand } from './admin';
import { openSqliteStore } from './store/sqlite';
import { openSse } from './testing/sseReader';
import { addTestAdmin, addTestInstall, startTestRelay, TEST_SECRET, type TestRelay } from './testing/testRelay';
import { makeEvent, postWebhook } from './testing/webhooks';
import { join } from 'node:path';

const post = (t: TestRelay, e: Record<string, unknown>) => postWebhook(t.url, JSON.stringify(e), { secret: TEST_SECRET });
const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const stripeIds = (events: { event: string; data: string }[]) => events.filter((e) => e.event === 'stripe').map((e) => (JSON.parse(e.data) as { id: string }).id);

describe('delivery: SSE, long-poll, ack', () => {
  let t: TestRelay;
  let a: { id: string; token: string };
  let b: { id: string; token: string };

  beforeAll(async () => {
    t = await startTestRelay({ heartbeatMs: 50, maxUnacked: 3 });
    a = await addTestInstall(t.store, 'Counter A');
    b = await addTestInstall(t.store, 'Counter B');
  });
  afterAll(() => t.cleanup());

  it('streams each install its own events, ids = per-install seq, with a hello and heartbeats', async () => {
    const sa = await openSse(`${t.url}/v1/stream`, auth(a.token));
    const sb = await openSse(`${t.url}/v1/stream`, auth(b.token));
    expect(sa.status).toBe(200);
    for (const [i, who] of ['a', 'b', 'a', 'a'].entries()) await post(t, makeEvent({ id: `evt_s${i}`, installId: who === 'a' ? a.id : b.id }));
    await sa.waitFor((ev) => stripeIds(ev).length === 3);
    await sb.waitFor((ev) => stripeIds(ev).length === 1 && ev.some((e) => e.event === 'heartbeat'));
    expect(sa.events[0]).toMatchObject({ event: 'hello' });
    expect(JSON.parse(sa.events[0]!.data)).toMatchObject({ installId: a.id, heartbeatMs: 50 });
    expect(sa.events.filter((e) => e.event === 'stripe').map((e) => e.id)).toEqual(['1', '2', '3']);
    expect(stripeIds(sa.events)).toEqual(['evt_s0', 'evt_s2', 'evt_s3']);
    expect(stripeIds(sb.events)).toEqual(['evt_s1']);
    await sa.waitFor((ev) => ev.some((e) => e.event === 'heartbeat' && JSON.parse(e.data).head === 3));
    sa.close();
    sb.close();
  });

  it('resumes after Last-Event-ID; without it, after the acknowledged seq', async () => {
    const resumed = await openSse(`${t.url}/v1/stream`, { ...auth(a.token), 'last-event-id': '2' });
    await resumed.waitFor((ev) => stripeIds(ev).length === 1);
    expect(resumed.events.filter((e) => e.event === 'stripe').map((e) => e.id)).toEqual(['3']);
    resumed.close();
    const ack = await fetch(`${t.url}/v1/ack`, { method: 'POST', headers: { ...auth(a.token), 'content-type': 'application/json' }, body: '{"upTo":1}' });
    expect(await ack.json()).toEqual({ acked: 1 });
    const fresh = await openSse(`${t.url}/v1/stream`, auth(a.token));
    await fresh.waitFor((ev) => stripeIds(ev).length === 2);
    expect(fresh.events.filter((e) => e.event === 'stripe').map((e) => e.id)).toEqual(['2', '3']);
    fresh.close();
  });

  it('long-poll: answers at once when events wait, holds the request until one arrives, else times out empty', async () => {
    const get = (q: string) => fetch(`${t.url}/v1/events?${q}`, { headers: auth(b.token) }).then((r) => r.json() as Promise<{ events: { seq: number; event: { id: string } }[]; head: number }>);
    expect(await get('after=0')).toMatchObject({ events: [{ seq: 1, event: { id: 'evt_s1' } }], head: 1 });
    const started = Date.now();
    const pending = get('after=1&wait=5');
    setTimeout(() => void post(t, makeEvent({ id: 'evt_lp', installId: b.id })), 100);
    const got = await pending;
    expect(got.events.map((e) => [e.seq, e.event.id])).toEqual([[2, 'evt_lp']]);
    expect(Date.now() - started).toBeLessThan(3000);
    const empty = await get('after=2&wait=0.2');
    expect(empty).toEqual({ events: [], head: 2 });
    expect((await fetch(`${t.url}/v1/events?after=-1`, { headers: auth(b.token) })).status).toBe(400);
  });

  it('alerts when an install passes the unacknowledged cap, keeps storing, and recovers after acks', async () => {
    for (let i = 0; i < 3; i++) await post(t, makeEvent({ id: `evt_cap${i}`, installId: b.id })); // b now has 5 unacked > cap 3
    const degraded = await (await fetch(`${t.url}/healthz`)).json();
    expect(degraded).toMatchObject({ status: 'degraded', reasons: ['install_over_cap'], overCap: [{ id: b.id, unacked: 5 }] });
    expect((await t.store.readAfter(b.id, 0, 100)).length).toBe(5);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toContain(`relay_install_over_cap{install="${b.id}",name="Counter B"} 1`);
    expect(metrics).toContain(`relay_install_lag_events{install="${b.id}",name="Counter B"} 5`);
    expect(metrics).toMatch(/relay_cap_alerts_total 1/);
    await fetch(`${t.url}/v1/ack`, { method: 'POST', headers: { ...auth(b.token), 'content-type': 'application/json' }, body: '{"upTo":5}' });
    expect(await (await fetch(`${t.url}/healthz`)).json()).toMatchObject({ status: 'ok', overCap: [] });
  });

  it('exposes Prometheus counters for received, stored, duplicates, delivered and lag', async () => {
    await post(t, makeEvent({ id: 'evt_cap0', installId: b.id })); // a duplicate
    const text = await (await fetch(`${t.url}/metrics`)).text();
    expect(text).toMatch(/^# TYPE relay_webhooks_received_total counter$/m);
    expect(text).toMatch(/^relay_events_stored_total\{source="webhook"\} 8$/m);
    expect(text).toMatch(/^relay_events_duplicate_total 1$/m);
    expect(text).toMatch(new RegExp(`^relay_events_delivered_total\\{install="${a.id}",name="Counter A"\\} [1-9]`, 'm'));
    expect(text).toMatch(new RegExp(`^relay_install_lag_events\\{install="${a.id}",name="Counter A"\\} 2$`, 'm'));
  });

  it('refuses a stream without a valid token', async () => {
    expect((await fetch(`${t.url}/v1/stream`)).status).toBe(401);
    expect((await fetch(`${t.url}/v1/stream`, { headers: auth('kdr_nope') })).status).toBe(401);
    expect((await fetch(`${t.url}/v1/ack`, { method: 'POST', headers: { ...auth('kdr_nope'), 'content-type': 'application/json' }, body: '{"upTo":1}' })).status).toBe(401);
  });
});

describe('installs and admin', () => {
  let t: TestRelay;
  let admin: string;
  beforeAll(async () => {
    t = await startTestRelay({ heartbeatMs: 5000 });
    admin = await addTestAdmin(t.store);
  });
  afterAll(() => t.cleanup());

  it('revoking over HTTP closes the open stream at once and refuses the token from then on', async () => {
    const c = await addTestInstall(t.store, 'Counter C');
    const s = await openSse(`${t.url}/v1/stream`, auth(c.token));
    await s.waitFor((ev) => ev.some((e) => e.event === 'hello'));
    const started = Date.now();
    const r = await fetch(`${t.url}/v1/admin/installs/${c.id}/revoke`, { method: 'POST', headers: auth(admin) });
    expect(await r.json()).toEqual({ revoked: true });
    await s.closed;
    expect(Date.now() - started).toBeLessThan(1000);
    const again = await fetch(`${t.url}/v1/stream`, { headers: auth(c.token) });
    expect([again.status, await again.json()]).toEqual([401, { error: 'token_revoked' }]);
    expect((await fetch(`${t.url}/v1/events?after=0`, { headers: auth(c.token) })).status).toBe(401);
  });

  it('revoking from the admin CLI (another process on the same file) closes streams within the watch interval', async () => {
    const d = await addTestInstall(t.store, 'Counter D');
    const s = await openSse(`${t.url}/v1/stream`, auth(d.token));
    await s.waitFor((ev) => ev.some((e) => e.event === 'hello'));
    const cli = openSqliteStore({ path: join(t.dir, 'relay.sqlite') });
    const out: string[] = [];
    expect(await runAdminCommand(cli, ['install', 'revoke', d.id], { out: (l) => out.push(l), err: (l) => out.push(l) })).toBe(0);
    await cli.close();
    const started = Date.now();
    await s.closed;
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await fetch(`${t.url}/v1/stream`, { headers: auth(d.token) })).status).toBe(401);
  });

  it('lists unassigned events to admins only, and an assignment reaches the install', async () => {
    const e = await addTestInstall(t.store, 'Counter E');
    await post(t, makeEvent({ id: 'evt_orphan', type: 'charge.succeeded', paymentIntent: 'pi_orphan' }));
    await post(t, makeEvent({ id: 'evt_orphan2', type: 'charge.refunded', paymentIntent: 'pi_orphan' }));
    expect((await fetch(`${t.url}/v1/admin/unassigned`)).status).toBe(401);
    expect((await fetch(`${t.url}/v1/admin/unassigned`, { headers: auth(e.token) })).status).toBe(401); // an install token is not an admin token
    const list = (await (await fetch(`${t.url}/v1/admin/unassigned`, { headers: auth(admin) })).json()) as { events: { eventId: string }[]; total: number };
    expect(list.events.map((u) => u.eventId)).toEqual(['evt_orphan', 'evt_orphan2']);
    const s = await openSse(`${t.url}/v1/stream`, auth(e.token));
    const r = await fetch(`${t.url}/v1/admin/assign`, {
      method: 'POST',
      headers: { ...auth(admin), 'content-type': 'application/json' },
      body: JSON.stringify({ eventId: 'evt_orphan', installId: e.id }),
    });
    expect(await r.json()).toEqual({ deliveries: [{ eventId: 'evt_orphan', seq: 1 }, { eventId: 'evt_orphan2', seq: 2 }] });
    await s.waitFor((ev) => stripeIds(ev).length === 2);
    expect(stripeIds(s.events)).toEqual(['evt_orphan', 'evt_orphan2']);
    s.close();
    const again = await fetch(`${t.url}/v1/admin/assign`, {
      method: 'POST',
      headers: { ...auth(admin), 'content-type': 'application/json' },
      body: JSON.stringify({ eventId: 'evt_orphan', installId: e.id }),
    });
    expect(again.status).toBe(409);
  });

  it('the admin CLI creates installs with a token shown once and stored hashed', async () => {
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    expect(await runAdminCommand(t.store, ['install', 'add', 'Front', 'desk', '--location', 'airport'], io)).toBe(0);
    const token = /token .*: (kdr_\S+)/.exec(out.join('\n'))?.[1];
    expect(token).toMatch(/^kdr_[A-Za-z0-9_-]{43}$/);
    expect((await fetch(`${t.url}/v1/events?after=0`, { headers: auth(token!) })).status).toBe(200);
    const listed: string[] = [];
    await runAdminCommand(t.store, ['install', 'list'], { out: (l) => listed.push(l), err: () => {} });
    expect(listed.join('\n')).toContain('Front desk  location=airport');
    expect(listed.join('\n')).not.toContain(token!);
    expect(await runAdminCommand(t.store, ['bogus'], { out: () => {}, err: () => {} })).toBe(2);
  });
});
