/**
 * Relay at scale, for bench/relay.bench.ts (issue 17): fan-out latency with 1,000 and 10,000
 * open streams at 100 events/s and the memory each stream costs, and the helpers the intake
 * comparison (relayIntake.ts) shares. Every phase has a deadline; every relay it starts is killed.
 */
import { openDatabase } from '../src/main/db/connection';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ulid } from 'ulid';
import { openSqliteStore } from '../src/relay/store/sqlite';
import { spawnRelay, type SpawnedRelay } from '../src/relay/testing/spawnRelay';
import { sseFrames } from '../src/relay/testing/sseReader';
import { freePort } from '../test/support/freePort';
import { TEST_SECRET } from '../src/relay/testing/testRelay';
import { makeEvent, signatureHeader } from '../src/relay/testing/webhooks';
import { hashToken, newToken } from '../src/relay/tokens';

const agent = new Agent({ keepAlive: true, maxSockets: 128 });
export const round = (x: number) => Math.round(x * 10) / 10;
export const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 100) / 100;
};

export async function until(pred: () => boolean, ms: number, what: string) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A keep-alive socket the relay closed while idle (between interleaved runs) is retried once: the webhook is idempotent. */
export async function post(port: number, body: string, sig: string): Promise<number> {
  try {
    return await postOnce(port, body, sig);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') throw err;
    return postOnce(port, body, sig);
  }
}

function postOnce(port: number, body: string, sig: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/stripe/webhook', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'stripe-signature': sig } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function gauge(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const m = new RegExp(`^${name} ([0-9.e+]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : -1;
}

let counter = 0;
export const signed = (installId: string) => {
  const id = `evt_scale_${(counter++).toString(36).padStart(8, '0')}`;
  const body = JSON.stringify(makeEvent({ id, installId, padTo: 1500 }), null, 2);
  return { id, body, sig: signatureHeader(body, TEST_SECRET) };
};

/** N installs written straight into a new relay database in one transaction (setup, not measured). */
export async function seedInstalls(dir: string, n: number): Promise<{ id: string; token: string }[]> {
  const path = join(dir, 'relay.sqlite');
  await openSqliteStore({ path }).close(); // migrate
  const db = openDatabase(path);
  const insert = db.prepare('INSERT INTO installs (id, name, location_id, token_hash, created_at) VALUES (?, ?, NULL, ?, ?)');
  const out: { id: string; token: string }[] = [];
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const id = ulid();
      const token = newToken('install');
      insert.run(id, `Till ${i}`, hashToken(token), Date.now());
      out.push({ id, token });
    }
  })();
  db.close();
  return out;
}

type Stream = { req: ClientRequest; hello: boolean };

/**
 * One relay (SQLite), `n` tills each holding a stream, 100 events/s for `seconds` to random tills
 * (long enough to cover a full heartbeat interval). Latency: POST sent → frame read off the stream.
 */
export async function fanOut(n: number, seconds: number): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'relay-fan-'));
  let relay: SpawnedRelay | null = null;
  const streams: Stream[] = [];
  try {
    const tills = await seedInstalls(dir, n);
    const port = await freePort();
    relay = await spawnRelay({ RELAY_PORT: String(port), RELAY_DATA_DIR: dir, RELAY_WEBHOOK_SECRETS: TEST_SECRET, RELAY_MAX_CONNECTIONS_PER_ADDRESS: '0' }, 30_000);
    const rss0 = await gauge(port, 'process_resident_memory_bytes');
    const sentAt = new Map<string, number>();
    const lat: number[] = [];
    let beats = 0;
    const open = (till: { token: string }) => {
      const s: Stream = { req: null as unknown as ClientRequest, hello: false };
      s.req = request({ host: '127.0.0.1', port, path: '/v1/stream', agent: false, headers: { authorization: `Bearer ${till.token}`, accept: 'text/event-stream' } }, (res) => {
        res.setEncoding('utf8');
        res.on(
          'data',
          sseFrames((frame) => {
            if (frame.startsWith('event: heartbeat')) beats += 1;
            else if (frame.includes('event: hello')) s.hello = true;
            else {
              const m = /"id": "(evt_scale_[0-9a-z]+)"/.exec(frame);
              const t0 = m ? sentAt.get(m[1]!) : undefined;
              if (t0 !== undefined) lat.push(performance.now() - t0);
            }
          }),
        );
      });
      s.req.on('error', () => {});
      s.req.end();
      streams.push(s);
    };
    // Open in slices so the accept queue is not flooded.
    for (let i = 0; i < n; i += 500) {
      for (const t of tills.slice(i, i + 500)) open(t);
      await until(() => streams.every((s) => s.hello), 60_000, `${streams.length} streams open`);
    }
    const held = await gauge(port, 'relay_streams_open');
    const rss1 = await gauge(port, 'process_resident_memory_bytes');
    const cpu0 = await gauge(port, 'process_cpu_seconds_total');
    const total = 100 * seconds;
    const t0 = performance.now();
    const sends: Promise<number>[] = [];
    for (let i = 0; i < total; i++) {
      const wait = t0 + i * 10 - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const e = signed(tills[Math.floor(Math.random() * n)]!.id);
      sentAt.set(e.id, performance.now());
      sends.push(post(port, e.body, e.sig));
    }
    await Promise.all(sends);
    await until(() => lat.length >= total, 30_000, 'fan-out events read');
    const cpu = (await gauge(port, 'process_cpu_seconds_total')) - cpu0;
    return {
      streams_held: held,
      events: total,
      p50_ms: pct(lat, 50),
      p99_ms: pct(lat, 99),
      max_ms: pct(lat, 100),
      heartbeats_read: beats,
      relay_rss_mb: round(rss1 / 1024 / 1024),
      rss_kb_per_stream: round((rss1 - rss0) / 1024 / n),
      relay_cpu_pct: Math.round((cpu / seconds) * 100),
    };
  } finally {
    for (const s of streams) s.req.destroy();
    if (relay) {
      relay.kill('SIGKILL');
      await relay.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

