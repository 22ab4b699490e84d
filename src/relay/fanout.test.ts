import { request, type ClientRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTestInstall, startTestRelay, TEST_SECRET, type TestRelay } from './testing/testRelay';
import { waitFor } from '../../test/support/waitFor';
import { makeEvent, signatureHeader } from './testing/webhooks';
import { sseFrames } from './testing/sseReader';

/**
 * Issue 17 #1 at CI size: 2,000 open streams, heartbeats every 150 ms (so hundreds of them fall
 * due while webhooks are being delivered). Before, one timer wrote every stream's heartbeat and
 * pumped every stream in one go, and deliveries waited behind it. Now each stream has its own
 * timer and due heartbeats are written at most 64 per event-loop turn; the test counts frames,
 * never milliseconds.
 */
const STREAMS = 2000;
const INSTALLS = 20;
const EVENTS = 100;

type Conn = { req: ClientRequest; stripe: string[]; beats: number; hello: boolean };

function openRawStream(url: string, token: string): Conn {
  const conn: Conn = { req: null as unknown as ClientRequest, stripe: [], beats: 0, hello: false };
  conn.req = request(`${url}/v1/stream`, { agent: false, headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } }, (res) => {
    res.setEncoding('utf8');
    res.on(
      'data',
      sseFrames((frame) => {
        if (frame.includes('\nevent: stripe\n')) conn.stripe.push(/^id: (\d+)/.exec(frame)![1]!);
        else if (frame.startsWith('event: heartbeat')) conn.beats += 1;
        else if (frame.includes('event: hello')) conn.hello = true;
      }),
    );
  });
  conn.req.on('error', () => {});
  conn.req.end();
  return conn;
}

describe('fan-out to 2,000 streams with heartbeats falling due throughout', () => {
  let t: TestRelay;
  const conns: Conn[] = [];
  let installs: { id: string; token: string }[] = [];

  beforeAll(async () => {
    t = await startTestRelay({ heartbeatMs: 150, limits: { perAddress: 0 } });
    installs = [];
    for (let i = 0; i < INSTALLS; i++) installs.push(await addTestInstall(t.store, `Till ${i}`));
  });
  afterAll(async () => {
    for (const c of conns) c.req.destroy();
    await t.cleanup();
  });

  it('delivers every event to every stream of its till, in order, and never writes heartbeats in a burst', async () => {
    for (let i = 0; i < STREAMS; i++) conns.push(openRawStream(t.url, installs[i % INSTALLS]!.token));
    await waitFor(() => t.relay.metrics.streamsOpen() === STREAMS && conns.every((c) => c.hello), 60_000, 'all streams open');
    const beatsBefore = t.relay.heartbeats().sent;

    // 100 webhooks, 8 in flight, spread over the tills.
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < EVENTS) {
          const n = next++;
          const body = JSON.stringify(makeEvent({ id: `evt_fan_${String(n).padStart(3, '0')}`, installId: installs[n % INSTALLS]!.id }), null, 2);
          const res = await fetch(`${t.url}/stripe/webhook`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'stripe-signature': signatureHeader(body, TEST_SECRET) },
            body,
          });
          expect(res.status).toBe(200);
        }
      }),
    );
    const perInstall = EVENTS / INSTALLS;
    const want = Array.from({ length: perInstall }, (_, i) => String(i + 1));
    await waitFor(() => conns.every((c) => c.stripe.length >= perInstall), 60_000, 'every stream got its till’s events');
    // Heartbeats kept falling due while the events went out (every stream idles 150 ms between its events).
    await waitFor(() => t.relay.heartbeats().sent - beatsBefore >= STREAMS, 60_000, 'a round of heartbeats');

    for (const c of conns) expect(c.stripe).toEqual(want);
    expect(t.relay.metrics.streamsOpen()).toBe(STREAMS);
    // The old heartbeat wrote all 2,000 in one turn of the event loop; now never more than 64.
    const hb = t.relay.heartbeats();
    expect(hb.maxPerTurn).toBeGreaterThan(0);
    expect(hb.maxPerTurn).toBeLessThanOrEqual(64);
    expect(conns.reduce((n, c) => n + c.beats, 0)).toBeGreaterThanOrEqual(STREAMS);
  }, 120_000);
});
