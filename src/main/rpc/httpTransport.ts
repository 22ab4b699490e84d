import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { EventName } from '../../shared/contract';
import { DEFAULT_MESSAGES } from '../../shared/errors';
import type { ErrorCode, Result } from '../../shared/errors';
import type { Backend } from '../backend';
import { resolveInside } from './staticPath';

export const RENDERER_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

export type HttpTransportOptions = {
  backend: Backend;
  /** Built renderer folder (index.html and assets); omitted → API only. */
  rendererDir?: string;
  port?: number;
  /** Request bodies above this many bytes get 413. */
  bodyLimit?: number;
  /** Fixed token for tests; by default a random one per launch. */
  token?: string;
  heartbeatMs?: number;
};

export type HttpTransport = {
  readonly url: string;
  /** URL with the token in its fragment: what a person opens. The fragment never reaches a server log. */
  readonly launchUrl: string;
  readonly token: string;
  readonly server: Server;
  close(): Promise<void>;
};

/**
 * The loopback HTTP transport over the same dispatch as Electron's IPC. Only a page served by
 * this server, holding this launch's token, can call it: a wrong Host (DNS rebinding) or a
 * foreign Origin gets 403, a missing or wrong token 401.
 */
export async function startHttpTransport(opts: HttpTransportOptions): Promise<HttpTransport> {
  const { backend } = opts;
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const tokenBuf = Buffer.from(token);
  const bodyLimit = opts.bodyLimit ?? 1024 * 1024;
  const sseClients = new Set<ServerResponse>();
  let origin = '';
  let allowedHosts = new Set<string>();

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      backend.log.error('http.unhandled', { error: err instanceof Error ? err.message : String(err) });
      if (!res.headersSent) sendResult(res, 500, failure('internal'));
      else res.destroy();
    });
  });

  function tokenOk(candidate: string | null): boolean {
    if (!candidate) return false;
    const buf = Buffer.from(candidate);
    return buf.length === tokenBuf.length && timingSafeEqual(buf, tokenBuf);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const host = req.headers.host ?? '';
    if (!allowedHosts.has(host)) return sendResult(res, 403, failure('forbidden', 'Unknown host.'));
    const reqOrigin = req.headers.origin;
    if (reqOrigin !== undefined && reqOrigin !== origin) return sendResult(res, 403, failure('forbidden', 'Requests from other sites are refused.'));

    const url = new URL(req.url ?? '/', origin);
    if (url.pathname.startsWith('/rpc/')) {
      let method: string;
      try {
        method = decodeURIComponent(url.pathname.slice(5));
      } catch {
        return sendResult(res, 400, failure('unknown_method', 'That address is not a Keydesk method (it is not valid URL encoding).'));
      }
      return handleRpc(req, res, method);
    }
    if (url.pathname === '/events') return handleEvents(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendResult(res, 405, failure('unknown_method', 'Method not allowed.'));
    return serveStatic(res, url.pathname);
  }

  function bearer(req: IncomingMessage): string | null {
    const h = req.headers.authorization;
    return h?.startsWith('Bearer ') ? h.slice(7) : null;
  }

  async function handleRpc(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST') return sendResult(res, 405, failure('unknown_method', 'Use POST.'));
    if (!tokenOk(bearer(req))) return sendResult(res, 401, failure('not_signed_in', 'This page is not paired with the running Keydesk. Open the address Keydesk printed.'));
    const ctype = req.headers['content-type'] ?? '';
    if (!ctype.startsWith('application/json')) return sendResult(res, 415, failure('invalid_input', 'Requests must be JSON.'));
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > bodyLimit) {
      res.setHeader('Connection', 'close');
      return sendResult(res, 413, failure('invalid_input', 'That request is too large.'));
    }
    const body = await readBody(req, bodyLimit);
    if (body === 'too_large') {
      res.setHeader('Connection', 'close');
      return sendResult(res, 413, failure('invalid_input', 'That request is too large.'));
    }
    let input: unknown;
    try {
      input = body.length === 0 ? {} : (JSON.parse(body.toString('utf8')) as { input?: unknown }).input;
    } catch {
      return sendResult(res, 400, failure('invalid_input', 'The request could not be read.'));
    }
    const result = await backend.call(backend.session.context('http'), method, input);
    sendResult(res, 200, result);
  }

  function handleEvents(req: IncomingMessage, res: ServerResponse, url: URL): void {
    // EventSource cannot send headers, so the token rides in the query of this one GET.
    if (!tokenOk(url.searchParams.get('token') ?? bearer(req))) return sendResult(res, 401, failure('not_signed_in'));
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write('retry: 2000\n\n');
    sseClients.add(res);
    req.on('close', () => sseClients.delete(res));
  }

  const unsubscribe = backend.events.subscribe((name: EventName, payload: unknown) => {
    const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const c of sseClients) c.write(frame);
  });
  const heartbeat = setInterval(() => {
    for (const c of sseClients) c.write(': ping\n\n');
  }, opts.heartbeatMs ?? 15_000);
  heartbeat.unref();

  async function serveStatic(res: ServerResponse, pathname: string): Promise<void> {
    if (!opts.rendererDir) return sendResult(res, 404, failure('not_found'));
    const rel = pathname === '/' ? 'index.html' : pathname;
    const file = resolveInside(opts.rendererDir, rel);
    if (!file) return sendResult(res, 404, failure('not_found'));
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch {
      return sendResult(res, 404, failure('not_found'));
    }
    res.writeHead(200, {
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': RENDERER_CSP,
      'Cache-Control': 'no-cache',
    });
    res.end(data);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  return {
    url: origin + '/',
    launchUrl: `${origin}/#token=${token}`,
    token,
    server,
    async close() {
      unsubscribe();
      clearInterval(heartbeat);
      for (const c of sseClients) c.end();
      sseClients.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function failure(code: ErrorCode, message = DEFAULT_MESSAGES[code]): Result<never> {
  return { ok: false, error: { code, message } };
}

function sendResult(res: ServerResponse, status: number, result: Result<unknown>): void {
  const body = JSON.stringify(result);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(body);
}

/** Reads at most `limit` bytes; stops reading (and reports) as soon as the body is larger. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        req.resume();
        resolve('too_large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}
