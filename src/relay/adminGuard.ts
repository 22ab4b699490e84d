import type { IncomingMessage } from 'node:http';

/**
 * The app's Host/Origin rules for the relay's admin routes (DNS rebinding): a web page the
 * operator has open cannot reach them through a name that resolves to the relay. The Host must
 * be a loopback name or one of the configured admin hosts (any port); an Origin, when a browser
 * sends one, must be that same host.
 */
export type AdminGuard = (req: IncomingMessage) => { ok: true } | { ok: false; error: 'unknown_host' | 'cross_site' };

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** `host[:port]` → lower-case host without the port; null when it is not a plain host. */
export function hostName(hostHeader: string | undefined): string | null {
  if (!hostHeader) return null;
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(hostHeader.trim());
  return m ? m[1]!.toLowerCase() : null;
}

export function createAdminGuard(adminHosts: readonly string[]): AdminGuard {
  const allowed = new Set([...LOOPBACK, ...adminHosts.map((h) => h.trim().toLowerCase()).filter(Boolean)]);
  return (req) => {
    const hostHeader = req.headers.host;
    const host = hostName(hostHeader);
    if (!host || !allowed.has(host)) return { ok: false, error: 'unknown_host' };
    const origin = req.headers.origin;
    if (origin !== undefined) {
      let same = false;
      try {
        const u = new URL(origin);
        same = (u.protocol === 'http:' || u.protocol === 'https:') && u.host.toLowerCase() === hostHeader!.trim().toLowerCase();
      } catch {
        same = false; // "null" and other opaque origins are cross-site
      }
      if (!same) return { ok: false, error: 'cross_site' };
    }
    // A browser's cross-site fetch says so even without an Origin on some paths.
    if (req.headers['sec-fetch-site'] === 'cross-site') return { ok: false, error: 'cross_site' };
    return { ok: true };
  };
}
