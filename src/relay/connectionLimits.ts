import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Slow clients must not starve the relay of file descriptors (issue 10 #3: 1,100 slow-body POSTs
 * under a 1,024-file limit made every webhook fail and /healthz unreachable). Three bounds:
 * - headers must arrive within `headersTimeoutMs`, a whole request body within `requestTimeoutMs`
 *   (1 MiB at 20 KiB/s takes under a minute; Stripe sends a few KB at once);
 * - at most `perAddress` open connections per client address (0: no cap, for a relay behind a
 *   proxy where every connection comes from the proxy's address: cap there instead);
 * - at most `bodiesPerAddress` webhook bodies being received at once per address: the rest are
 *   answered 503 at once (Stripe retries) and closed, so a slow-body flood holds few descriptors
 *   and /healthz keeps answering.
 */
export type ConnectionLimits = {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  perAddress: number;
  bodiesPerAddress: number;
};

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  perAddress: 256,
  bodiesPerAddress: 32,
};

export type ConnectionGate = {
  /** Called when a webhook body starts; false: refuse it now. Call the returned release when done. */
  beginBody(req: IncomingMessage): (() => void) | null;
  refused: { perAddress: number; bodies: number };
};

export function applyConnectionLimits(server: Server, limits: ConnectionLimits): ConnectionGate {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  const conns = new Map<string, number>();
  const bodies = new Map<string, number>();
  const refused = { perAddress: 0, bodies: 0 };
  if (limits.perAddress > 0) {
    server.on('connection', (socket: Socket) => {
      const addr = socket.remoteAddress ?? '?';
      const n = (conns.get(addr) ?? 0) + 1;
      if (n > limits.perAddress) {
        refused.perAddress += 1;
        socket.destroy();
        return;
      }
      conns.set(addr, n);
      socket.once('close', () => {
        const left = (conns.get(addr) ?? 1) - 1;
        if (left <= 0) conns.delete(addr);
        else conns.set(addr, left);
      });
    });
  }
  return {
    refused,
    beginBody(req) {
      if (limits.bodiesPerAddress <= 0) return () => {};
      const addr = req.socket.remoteAddress ?? '?';
      const n = (bodies.get(addr) ?? 0) + 1;
      if (n > limits.bodiesPerAddress) {
        refused.bodies += 1;
        return null;
      }
      bodies.set(addr, n);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (bodies.get(addr) ?? 1) - 1;
        if (left <= 0) bodies.delete(addr);
        else bodies.set(addr, left);
      };
    },
  };
}
