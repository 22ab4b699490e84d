import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export type Checkpointer = {
  /** WAL frames at the last background checkpoint. */
  walFrames(): number;
  stop(): Promise<void>;
};

// CommonJS source for the worker, evaluated as a string so it runs the same under tsx, vitest
// and the bundled build (no separate worker file to locate).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 2000');
const timer = setInterval(() => {
  try {
    const r = db.pragma('wal_checkpoint(PASSIVE)')[0];
    parentPort.postMessage({ log: r.log, checkpointed: r.checkpointed });
  } catch (err) { parentPort.postMessage({ error: String(err && err.message || err) }); }
}, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.postMessage({ stopped: true });
});
`;

/**
 * Copies the WAL back into the database file from a worker thread, so the writer never pays for
 * a checkpoint (SQLite's automatic one runs inside whichever commit crosses 1,000 pages: a
 * multi-millisecond stall on the event loop, every few thousand webhooks). PASSIVE never blocks
 * the writer or readers. Under steady writes it never quite catches up, so the WAL would only
 * grow: the store then finishes the last few frames itself (see sqlite.ts) and the WAL restarts.
 */
export function startCheckpointer(path: string, everyMs: number, onError: (message: string) => void): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver, everyMs } });
  worker.unref();
  let frames = 0;
  worker.on('message', (m: { error?: string; log?: number }) => {
    if (m.error) onError(m.error);
    if (typeof m.log === 'number') frames = m.log;
  });
  worker.on('error', (err) => onError(err.message));
  return {
    walFrames: () => frames,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          void worker.terminate().then(() => resolve());
        };
        const t = setTimeout(done, 2000);
        worker.once('message', done);
        worker.once('exit', done);
        worker.postMessage('stop');
      }),
  };
}
