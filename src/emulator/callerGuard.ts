import type { IncomingMessage } from 'node:http';

/**
 * Who may talk to the emulator: the app's rules for a loopback server. A web page can make the
 * browser send requests to 127.0.0.1; these checks keep such a page from reading or changing
 * anything (the webhook secret in /_emulator/webhook_endpoints, the faults, the state):
 * - the Host header must name this server on loopback, so a DNS-rebinding name
 *   (`evil.example` resolving to 127.0.0.1) is refused;
 * - an Origin other than this server's own is refused, so a cross-site POST (even a "simple"
 *   text/plain one that needs no preflight) is not obeyed, and Sec-Fetch-Site: cross-site is
 *   refused on the API and admin routes;
 * - admin POSTs with a body must be JSON, which a page cannot send cross-site without a
 *   preflight that this server never grants.
 * The fake Terminal SDK (`/terminal-js/`) is meant to be called from the app's page, another
 * origin: it allows any Origin, and its calls need a session got with a single-use connection token.
 */
export type Refusal = { status: number; message: string };

export function allowedHosts(host: string, port: number): Set<string> {
  const set = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  set.add(host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);
  return set;
}

export function isTerminalJsPath(path: string): boolean {
  return path === '/terminal-js/v1' || path.startsWith('/terminal-js/');
}

export function checkCaller(req: IncomingMessage, path: string, hosts: ReadonlySet<string>): Refusal | null {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!hosts.has(host)) return { status: 403, message: `Unknown host ${JSON.stringify(host.slice(0, 100))}: the emulator answers only on its loopback address.` };
  if (isTerminalJsPath(path)) return null;
  const origin = req.headers.origin;
  if (origin !== undefined && !hosts.has(originHost(origin))) {
    return { status: 403, message: 'Requests from other sites are refused.' };
  }
  const api = path.startsWith('/v1/') || (path.startsWith('/_emulator/') && !path.startsWith('/_emulator/3ds/'));
  if (api && req.headers['sec-fetch-site'] === 'cross-site') return { status: 403, message: 'Requests from other sites are refused.' };
  if (path.startsWith('/_emulator/') && !path.startsWith('/_emulator/3ds/') && req.method === 'POST' && hasBody(req)) {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') return { status: 415, message: 'Admin routes take JSON: send Content-Type: application/json.' };
  }
  return null;
}

function originHost(origin: string): string {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' ? url.host.toLowerCase() : '';
  } catch {
    return '';
  }
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
