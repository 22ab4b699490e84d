import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../backend';
import type { Backend } from '../backend';
import { memoryLogger } from '../log';
import { startHttpTransport } from './httpTransport';
import type { HttpTransport } from './httpTransport';

let backend: Backend;
let http: HttpTransport;
let base: string;
const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuv';

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kd-http-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Keydesk</title>');
  writeFileSync(join(dir, 'secret.txt'), 'outside the renderer');
  backend = createBackend({ dataDir: dir, dbPath: ':memory:', version: '1.2.3', transport: 'http', log: memoryLogger() });
  http = await startHttpTransport({ backend, rendererDir, token: TOKEN, bodyLimit: 64 * 1024, heartbeatMs: 50 });
  base = http.url.replace(/\/$/, '');
});

afterAll(async () => {
  await http.close();
  backend.close();
});

type Raw = { status: number; body: string; headers: Record<string, string | string[] | undefined> };

/** A raw request, so the test controls Host, Origin and body size exactly as an attacker could. */
function raw(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Raw> {
  const url = new URL(base + path);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      // The server may close the socket after answering 413 while we are still sending.
      if (err.code === 'EPIPE' || err.code === 'ECONNRESET') resolve({ status: -1, body: '', headers: {} });
      else reject(err);
    });
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

function rpc(method: string, input: unknown, headers: Record<string, string> = {}) {
  return raw(`/rpc/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers },
    body: JSON.stringify({ input }),
  });
}

describe('HTTP transport', () => {
  it('answers a call that carries the token', async () => {
    const res = await rpc('app.info', {});
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, value: { version: '1.2.3', transport: 'http' } });
  });

  it('answers 401 without the token or with a wrong one', async () => {
    const none = await raw('/rpc/app.info', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    const wrong = await rpc('app.info', {}, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    const events = await raw('/events?token=nope');
    expect(events.status).toBe(401);
  });

  it('answers 403 to another Origin even with the token', async () => {
    const res = await rpc('app.info', {}, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    const sameOrigin = await rpc('app.info', {}, { origin: base });
    expect(sameOrigin.status).toBe(200);
  });

  it('answers 403 to a foreign Host header (DNS rebinding)', async () => {
    const res = await rpc('app.info', {}, { host: 'attacker.example:80' });
    expect(res.status).toBe(403);
  });

  it('answers 413 to an oversized body, declared or streamed', async () => {
    const big = JSON.stringify({ input: { receiptFooter: 'x'.repeat(100 * 1024) } });
    const declared = await raw('/rpc/settings.update', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, 'content-length': String(Buffer.byteLength(big)) },
      body: big,
    });
    expect(declared.status).toBe(413);
    const chunked = await raw('/rpc/settings.update', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, 'transfer-encoding': 'chunked' },
      body: big,
    });
    expect(chunked.status).toBe(413);
    // Whatever happened to the socket, the server is still answering and nothing was saved.
    const settings = JSON.parse((await rpc('settings.get', {})).body) as { value: { receiptFooter: string } };
    expect(settings.value.receiptFooter).not.toMatch(/^x+$/);
  });

  it('answers 400 to a body that is not JSON, and 415 to another content type', async () => {
    const bad = await raw('/rpc/app.info', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: '{nope' });
    expect(bad.status).toBe(400);
    const form = await raw('/rpc/app.info', { method: 'POST', headers: { 'content-type': 'text/plain', authorization: `Bearer ${TOKEN}` }, body: '{}' });
    expect(form.status).toBe(415);
  });

  it('passes dispatch errors through as results', async () => {
    const res = await rpc('nope.nothing', {});
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
  });

  it('serves the renderer with a CSP and never a file outside it', async () => {
    const index = await raw('/');
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toMatch(/default-src 'self'/);
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%5csecret.txt']) {
      const res = await raw(path);
      expect(res.body).not.toMatch(/outside the renderer/);
      expect(res.status).toBe(404);
    }
  });

  it('pushes events over SSE to a paired page', async () => {
    const url = new URL(`${base}/events?token=${TOKEN}`);
    const got = await new Promise<string>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search }, (res) => {
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          buf += c;
          if (buf.includes('event: status.changed')) {
            req.destroy();
            resolve(buf);
          }
        });
        // Once the stream is open, a status change in main must reach it.
        setTimeout(() => backend.status.setJobs([{ name: 'app.connectivity', health: 'ok', detail: 'Stripe is reachable.', since: new Date().toISOString() }]), 50);
      });
      req.on('error', reject);
      req.end();
    });
    expect(got).toMatch(/event: status.changed\ndata: \{.*"online":true/);
  });
});
