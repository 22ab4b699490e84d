import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A tiny load balancer for tests: forwards to one relay instance at a time and can switch
 * targets, go down (reset every connection), refuse a path (a proxy that breaks SSE), or
 * stall (accept, forward nothing) to imitate a dead link.
 */
export type SwitchProxy = {
  url: string;
  setTarget(url: string): void;
  setDown(down: boolean): void;
  setStalled(stalled: boolean): void;
  failPath(prefix: string | null, status?: number): void;
  /** Cuts every open connection (clients see a reset and reconnect). */
  dropAll(): void;
  /** Stops forwarding on the open connections without closing them (a dead link); new ones work. */
  freezeOpen(): void;
  close(): Promise<void>;
};

export async function startSwitchProxy(initialTarget: string): Promise<SwitchProxy> {
  let target = new URL(initialTarget);
  let down = false;
  let stalled = false;
  let failing: { prefix: string; status: number } | null = null;
  const sockets = new Set<Socket>();
  const upstreams = new Set<IncomingMessage>();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (down) return req.socket.destroy();
    if (stalled) return; // keep the socket open, say nothing
    if (failing && req.url?.startsWith(failing.prefix)) {
      res.writeHead(failing.status, { 'content-type': 'text/html' });
      return res.end('<html>Bad Gateway</html>');
    }
    const up = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (upRes) => {
        upstreams.add(upRes);
        upRes.on('close', () => upstreams.delete(upRes));
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    res.on('close', () => up.destroy());
    req.pipe(up);
  });
  server.on('connection', (s) => {
    if (down) return s.destroy();
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const dropAll = () => {
    for (const s of sockets) s.destroy();
    for (const u of upstreams) u.destroy();
  };
  const frozen: IncomingMessage[] = [];
  return {
    url: `http://127.0.0.1:${port}`,
    freezeOpen() {
      for (const u of upstreams) {
        u.unpipe();
        u.pause();
        frozen.push(u);
      }
    },
    setTarget(url) {
      target = new URL(url);
    },
    setDown(d) {
      down = d;
      if (d) dropAll();
    },
    setStalled(s) {
      stalled = s;
    },
    failPath(prefix, status = 502) {
      failing = prefix === null ? null : { prefix, status };
    },
    dropAll,
    close: () =>
      new Promise<void>((r) => {
        dropAll();
        server.close(() => r());
      }),
  };
}
