import type { ServerResponse } from 'node:http';
import type { RelayLogger } from './log';
import { countDelivered, type RelayMetrics } from './metrics';
import type { DeliveryRow, InstallRow, RelayStore } from './store/types';

export type DeliveryHub = {
  /** Takes over `res` as an SSE stream for the install, starting after `afterSeq`. */
  openStream(install: InstallRow, res: ServerResponse, afterSeq: number): void;
  /** Long-poll: resolves when the install may have something new, or after `ms`. */
  wait(installId: string, ms: number): Promise<void>;
  wake(installIds: Iterable<string>): void;
  /**
   * Just-stored deliveries (durable, in seq order per install) with their payloads: a stream that
   * is caught up gets them written at once, without reading them back; any other case pumps.
   */
  push(items: readonly { installId: string; seq: number; payload: string | null }[]): void;
  wakeAll(): void;
  /** The install's token was revoked: end its streams and release its long-polls now. */
  closeInstall(installId: string): void;
  /** Heartbeats every stream, re-reads each install (revocation elsewhere) and pumps (a missed wake). */
  tick(): Promise<void>;
  streamsOpen(): number;
  close(): void;
};

type Stream = {
  installId: string;
  res: ServerResponse;
  cursor: number;
  pumping: boolean;
  again: boolean;
  closed: boolean;
};

const PAGE = 500;
/** Per wake, at most this many pages before yielding to other streams. */
const MAX_PAGES_PER_PUMP = 40;

/** SSE frames for a page of events, written with one `write` (coalescing). Payloads are one-line JSON. */
export function sseFrames(rows: readonly DeliveryRow[]): string {
  let out = '';
  for (const r of rows) out += `id: ${r.seq}\nevent: stripe\ndata: ${r.payload}\n\n`;
  return out;
}

export function createDeliveryHub(store: RelayStore, metrics: RelayMetrics, opts: { heartbeatMs: number; logger: RelayLogger }): DeliveryHub {
  const streams = new Map<string, Set<Stream>>();
  const waiters = new Map<string, Set<() => void>>();
  let open = 0;

  const drop = (s: Stream) => {
    if (s.closed) return;
    s.closed = true;
    open -= 1;
    const set = streams.get(s.installId);
    set?.delete(s);
    if (set && set.size === 0) streams.delete(s.installId);
  };

  const waitDrain = (s: Stream) =>
    new Promise<void>((resolve) => {
      const done = () => {
        s.res.off('drain', done);
        s.res.off('close', done);
        resolve();
      };
      s.res.on('drain', done);
      s.res.on('close', done);
    });

  const pump = async (s: Stream): Promise<void> => {
    if (s.pumping) {
      s.again = true;
      return;
    }
    s.pumping = true;
    try {
      for (let page = 0; page < MAX_PAGES_PER_PUMP && !s.closed; page++) {
        s.again = false;
        const rows = await store.readAfter(s.installId, s.cursor, PAGE);
        if (s.closed) return;
        if (rows.length > 0) {
          s.cursor = rows[rows.length - 1]!.seq;
          countDelivered(metrics, s.installId, rows.length);
          // Backpressure: a slow till holds at most one page in our memory.
          if (!s.res.write(sseFrames(rows))) await waitDrain(s);
        }
        if (rows.length < PAGE && !s.again) return;
      }
      // Still more: continue on the next turn so other streams get their share.
      if (!s.closed) setImmediate(() => void pump(s));
    } catch (err) {
      opts.logger.warn('relay.stream.pump_failed', { installId: s.installId, message: (err as Error).message });
      s.res.destroy();
    } finally {
      s.pumping = false;
    }
  };

  const wakeOne = (installId: string) => {
    const set = streams.get(installId);
    if (set) for (const s of set) void pump(s);
    const w = waiters.get(installId);
    if (w) {
      waiters.delete(installId);
      for (const f of w) f();
    }
  };

  const writeOrPump = (s: Stream, items: readonly { seq: number; payload: string | null }[]) => {
    if (s.closed) return;
    if (s.pumping) {
      s.again = true;
      return;
    }
    let frames = '';
    let n = 0;
    let gap = false;
    for (const it of items) {
      if (it.seq <= s.cursor) continue;
      if (it.seq !== s.cursor + 1 || it.payload === null) {
        gap = true; // behind, or not in hand: read the rest from the store
        break;
      }
      frames += `id: ${it.seq}\nevent: stripe\ndata: ${it.payload}\n\n`;
      s.cursor = it.seq;
      n += 1;
    }
    if (n > 0) {
      countDelivered(metrics, s.installId, n);
      if (!s.res.write(frames)) {
        // Backpressure: the pump continues once the socket drains.
        s.pumping = true;
        void waitDrain(s).then(() => {
          s.pumping = false;
          void pump(s);
        });
        return;
      }
    }
    if (gap) void pump(s);
  };

  const hub: DeliveryHub = {
    openStream(install, res, afterSeq) {
      const s: Stream = { installId: install.id, res, cursor: afterSeq, pumping: false, again: false, closed: false };
      let set = streams.get(install.id);
      if (!set) streams.set(install.id, (set = new Set()));
      set.add(s);
      open += 1;
      res.on('close', () => drop(s));
      res.socket?.setNoDelay(true);
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no', // nginx: do not buffer the stream
      });
      const hello = { installId: install.id, head: install.lastSeq, acked: install.ackedSeq, after: afterSeq, heartbeatMs: opts.heartbeatMs };
      res.write(`retry: 2000\nevent: hello\ndata: ${JSON.stringify(hello)}\n\n`);
      void pump(s);
    },
    wait(installId, ms) {
      return new Promise<void>((resolve) => {
        let set = waiters.get(installId);
        if (!set) waiters.set(installId, (set = new Set()));
        const done = () => {
          clearTimeout(timer);
          waiters.get(installId)?.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        set.add(done);
      });
    },
    wake(installIds) {
      for (const id of installIds) wakeOne(id);
    },
    push(items) {
      const byInstall = new Map<string, { seq: number; payload: string | null }[]>();
      for (const it of items) {
        let list = byInstall.get(it.installId);
        if (!list) byInstall.set(it.installId, (list = []));
        list.push(it);
      }
      for (const [installId, list] of byInstall) {
        list.sort((a, b) => a.seq - b.seq);
        const set = streams.get(installId);
        if (set) for (const s of set) writeOrPump(s, list);
        const w = waiters.get(installId);
        if (w) {
          waiters.delete(installId);
          for (const f of w) f();
        }
      }
    },
    wakeAll() {
      for (const id of [...streams.keys(), ...waiters.keys()]) wakeOne(id);
    },
    closeInstall(installId) {
      const set = streams.get(installId);
      if (set) for (const s of [...set]) {
        drop(s);
        s.res.end();
      }
      wakeOne(installId);
    },
    async tick() {
      for (const installId of [...streams.keys()]) {
        let install: InstallRow | undefined;
        try {
          install = await store.getInstall(installId);
        } catch (err) {
          opts.logger.warn('relay.stream.tick_failed', { installId, message: (err as Error).message });
          continue;
        }
        if (!install || install.revokedAt !== null) {
          hub.closeInstall(installId);
          continue;
        }
        const beat = `event: heartbeat\ndata: {"head":${install.lastSeq},"t":${Date.now()}}\n\n`;
        for (const s of streams.get(installId) ?? []) {
          s.res.write(beat);
          void pump(s);
        }
      }
    },
    streamsOpen: () => open,
    close() {
      for (const set of [...streams.values()]) for (const s of [...set]) {
        drop(s);
        s.res.end();
      }
      for (const id of [...waiters.keys()]) wakeOne(id);
    },
  };
  return hub;
}
