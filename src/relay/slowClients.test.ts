import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from './store/sqlite';
import { spawnRelay, type SpawnedRelay } from './testing/spawnRelay';
import { freePort } from './testing/tempPostgres';
import { addTestInstall, TEST_SECRET } from './testing/testRelay';
import { waitFor } from './testing/waitFor';
import { makeEvent, signatureHeader } from './testing/webhooks';

/**
 * Issue 10 #3: slow-body connections must not starve the relay. The relay runs in its own
 * process under a 256-file limit; 300 POSTs announce 100,000 bytes and send one. Before, they
 * took every descriptor and /healthz stopped answering. Now at most 32 bodies per address are
 * received at once (the rest get 503 and are closed), so a till elsewhere and Stripe get through.
 */
const FLOOD = 300;

/** A request from another loopback address (127.0.0.2: the attacker's cap does not apply to it). */
function fromElsewhere(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, localAddress: '127.0.0.2', agent: false, timeout: 10_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 10 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

describe('slow-body flood against a relay with a low file limit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relay-slow-'));
  const sockets: Socket[] = [];
  let relay: SpawnedRelay | null = null;
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    if (relay) {
      relay.kill('SIGKILL');
      await relay.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps /healthz answering and webhooks flowing while 300 slow bodies are held open', async () => {
    const setup = openSqliteStore({ path: join(dir, 'relay.sqlite') });
    const till = await addTestInstall(setup, 'Counter 1');
    await setup.close();
    const port = await freePort();
    relay = await spawnRelay(
      { RELAY_PORT: String(port), RELAY_DATA_DIR: dir, RELAY_WEBHOOK_SECRETS: TEST_SECRET, RELAY_MAX_CONNECTIONS_PER_ADDRESS: '100' },
      20_000,
      { fileLimit: 256 },
    );

    let closedByRelay = 0;
    for (let i = 0; i < FLOOD; i++) {
      const s = connect({ host: '127.0.0.1', port });
      s.on('error', () => {});
      s.on('close', () => (closedByRelay += 1));
      s.on('data', () => {});
      s.write(`POST /stripe/webhook HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\nStripe-Signature: t=1,v1=00\r\n\r\n{`);
      sockets.push(s);
    }
    // The relay sheds all but the 32 bodies it lets one address send at once.
    await waitFor(() => closedByRelay >= FLOOD - 32, 30_000, 'the relay to close the excess slow connections');

    const health = await fromElsewhere(port, 'GET', '/healthz');
    expect(health.status).toBe(200);
    const body = JSON.stringify(makeEvent({ id: 'evt_during_flood', installId: till.id }), null, 2);
    const hook = await fromElsewhere(port, 'POST', '/stripe/webhook', { 'content-type': 'application/json', 'stripe-signature': signatureHeader(body, TEST_SECRET) }, body);
    expect(hook).toEqual({ status: 200, body: '{"received":true}' });
    const metrics = await fromElsewhere(port, 'GET', '/metrics');
    const refused = [...metrics.body.matchAll(/^relay_connections_refused_total\{reason="[a-z_]+"\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
    expect(refused).toBeGreaterThanOrEqual(FLOOD - 32);
    // The 32 it kept are still open and waiting (their time runs out after the request timeout).
    expect(sockets.filter((s) => !s.destroyed).length).toBeLessThanOrEqual(32);
  }, 60_000);
});
