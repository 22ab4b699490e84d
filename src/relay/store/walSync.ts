import { closeSync, fsync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

export type WalSyncer = {
  /** Resolves once everything committed before the call is on disk. */
  sync(): Promise<void>;
  /** fsyncs of the WAL done so far (the bench reports them per event). */
  syncs(): number;
  close(): Promise<void>;
};

/**
 * Group commit without blocking the event loop. SQLite runs with `synchronous = NORMAL` (a
 * commit is a write() into the WAL, no fsync), and the store awaits this: one fsync of the WAL
 * file on libuv's thread pool covers every commit made before it started, so a burst of
 * webhooks shares one fsync while the loop keeps parsing requests. Callers answer Stripe (and
 * let streams see the events) only after `sync()` resolves: as durable as `synchronous = FULL`.
 */
export function createWalSyncer(dbPath: string): WalSyncer {
  const walPath = `${dbPath}-wal`;
  let fd: number | null = null;
  let requested = 0;
  let done = 0;
  let running: Promise<void> | null = null;
  let syncs = 0;
  const waiters: { gen: number; resolve: () => void; reject: (e: Error) => void }[] = [];

  // Waiters are in request order; resolving them in that order keeps batches' results in commit order.
  const settle = (upTo: number, err: Error | null) => {
    let n = 0;
    while (n < waiters.length && waiters[n]!.gen <= upTo) n += 1;
    for (const w of waiters.splice(0, n)) {
      if (err) w.reject(err);
      else w.resolve();
    }
  };

  const run = () => {
    if (running || done >= requested) return;
    if (fd === null) {
      try {
        fd = openSync(walPath, 'r');
        // The WAL file was created since the last directory sync: make its name durable too.
        const dirFd = openSync(dirname(walPath), 'r');
        try {
          fsyncSync(dirFd);
        } finally {
          closeSync(dirFd);
        }
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return settle(requested, err as Error);
        // No WAL yet: nothing was written outside the database file, which SQLite synced itself.
        done = requested;
        return settle(done, null);
      }
    }
    const target = requested;
    const handle = fd;
    running = new Promise<void>((resolve) => {
      fsync(handle, (err) => {
        running = null;
        syncs += 1;
        if (!err) done = target;
        settle(target, err);
        resolve();
        run();
      });
    });
  };

  return {
    sync() {
      const gen = ++requested;
      return new Promise<void>((resolve, reject) => {
        waiters.push({ gen, resolve, reject });
        run();
      });
    },
    syncs: () => syncs,
    async close() {
      // Bounded: each round either finishes an fsync or finds nothing left to do.
      for (let i = 0; i < 100 && running; i++) await running;
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
