import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryRelayLogger } from './log';
import { addTestAdmin, addTestInstall, startTestRelay, type TestRelay } from './testing/testRelay';

/** Issue 10 #7 and #14, and strict Last-Event-ID. */
type Raw = { status: number; body: string };
function raw(url: string, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Raw> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers ?? {}, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      // An SSE stream never ends: the status and first bytes are enough.
      if ((res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
        res.destroy();
        return resolve({ status: res.statusCode ?? 0, body: '' });
      }
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('relay hardening', () => {
  let t: TestRelay;
  let till: { id: string; token: string };
  let admin: string;
  let clock = 1_900_000_000_000;
  const logger = memoryRelayLogger();

  beforeAll(async () => {
    t = await startTestRelay({ logger, now: () => clock });
    till = await addTestInstall(t.store, 'Counter 1');
    admin = await addTestAdmin(t.store);
  });
  afterAll(() => t.cleanup());
  const port = () => new URL(t.url).port;

  it('Last-Event-ID and ?after= accept decimal integers only: 1e3, 0x10, -1, 5.0, +5 are refused with 400, not read as numbers', async () => {
    const auth = { authorization: `Bearer ${till.token}` };
    for (const bad of ['1e3', '0x10', '-1', '5.0', '+5', '1_0', '99999999999999999999']) {
      const h = await raw(t.url, { path: '/v1/stream', headers: { ...auth, 'last-event-id': bad } });
      expect([bad, h.status, h.body]).toEqual([bad, 400, '{"error":"bad_last_event_id"}']);
      const q = await raw(t.url, { path: `/v1/stream?after=${encodeURIComponent(bad)}`, headers: auth });
      expect([bad, q.status]).toEqual([bad, 400]);
      const lp = await raw(t.url, { path: `/v1/events?after=${encodeURIComponent(bad)}`, headers: auth });
      expect([bad, lp.status]).toEqual([bad, 400]);
    }
    // In a query the space is part of the value: refused. (In a header, HTTP itself drops the space around a value.)
    expect((await raw(t.url, { path: '/v1/stream?after=%205', headers: auth })).status).toBe(400);
    expect((await raw(t.url, { path: '/v1/stream', headers: { ...auth, 'last-event-id': '0' } })).status).toBe(200);
    // Empty means absent: start after what the install acknowledged.
    expect((await raw(t.url, { path: '/v1/stream', headers: { ...auth, 'last-event-id': '' } })).status).toBe(200);
  });

  it('relay.stream.cursor_ahead is logged once per install per hour, and counted every time', async () => {
    const auth = { authorization: `Bearer ${till.token}` };
    const lines = () => logger.records.filter((r) => r.event === 'relay.stream.cursor_ahead').length;
    for (let i = 0; i < 5; i++) expect((await raw(t.url, { path: '/v1/stream', headers: { ...auth, 'last-event-id': '77' } })).status).toBe(200);
    expect(lines()).toBe(1);
    expect(t.relay.metrics.cursorAhead).toBe(5);
    clock += 3_600_000;
    await raw(t.url, { path: '/v1/stream', headers: { ...auth, 'last-event-id': '77' } });
    expect(lines()).toBe(2);
    const metrics = await raw(t.url, { path: '/metrics' });
    expect(metrics.body).toMatch(/^relay_stream_cursor_ahead_total 6$/m);
  });

  it('admin routes refuse a foreign Host (DNS rebinding) and a cross-site text/plain POST, and answer the operator', async () => {
    const auth = { authorization: `Bearer ${admin}` };
    const evil = await raw(t.url, { path: '/v1/admin/installs', headers: { ...auth, host: 'evil.example' } });
    expect(evil).toEqual({ status: 403, body: '{"error":"unknown_host"}' });
    const rebound = await raw(t.url, { path: '/v1/admin/installs', headers: { ...auth, host: `evil.example:${port()}` } });
    expect(rebound.status).toBe(403);
    const crossSite = await raw(t.url, {
      method: 'POST',
      path: '/v1/admin/assign',
      headers: { ...auth, host: `127.0.0.1:${port()}`, origin: 'https://evil.example', 'content-type': 'text/plain' },
      body: JSON.stringify({ eventId: 'evt_x', installId: till.id }),
    });
    expect(crossSite).toEqual({ status: 403, body: '{"error":"cross_site"}' });
    const nullOrigin = await raw(t.url, { path: '/v1/admin/installs', headers: { ...auth, host: `localhost:${port()}`, origin: 'null' } });
    expect(nullOrigin.status).toBe(403);
    expect(logger.records.some((r) => r.event === 'relay.admin.refused')).toBe(true);
    // The operator on the box, with or without a same-origin browser.
    const ok = await raw(t.url, { path: '/v1/admin/installs', headers: { ...auth, host: `127.0.0.1:${port()}` } });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).installs.map((i: { id: string }) => i.id)).toContain(till.id);
    const same = await raw(t.url, { path: '/v1/admin/installs', headers: { ...auth, host: `localhost:${port()}`, origin: `http://localhost:${port()}` } });
    expect(same.status).toBe(200);
  });

  it('a configured admin host is allowed, others still refused', async () => {
    const t2 = await startTestRelay({ adminHosts: ['relay.shop.example'] });
    try {
      const token = await addTestAdmin(t2.store);
      const auth = { authorization: `Bearer ${token}` };
      expect((await raw(t2.url, { path: '/v1/admin/installs', headers: { ...auth, host: 'relay.shop.example' } })).status).toBe(200);
      expect((await raw(t2.url, { path: '/v1/admin/installs', headers: { ...auth, host: 'relay.shop.example.evil.example' } })).status).toBe(403);
    } finally {
      await t2.cleanup();
    }
  });
});
