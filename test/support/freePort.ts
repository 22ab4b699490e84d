import { createServer } from 'node:net';

/**
 * The one test copy: a loopback port free right now, for a server whose address a test must
 * know before the server starts (a relay restarted on the same port). Demo mode keeps its own
 * runtime copy in src/main/demo/freePort.ts, which app code may not import from test/.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
