import type { ServerResponse } from 'node:http';
import type { RelayLogger } from './log';
import { countDelivered, type RelayMetrics } from './metrics';
import type { DeliveryRow, InstallRow, RelayStore } from './store/types';

export type PushItem = { installId: string; seq: number; payload: string | null; signature: string | null };

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
  push(items: readonly PushItem[]): void;
  wakeAll(): void;
  /** The install's token was revoked: end its streams and release its long-polls now. */
  closeInstall(installId: string): void;
  /**
   * Something changed behind this process's back (the admin CLI): re-reads the installs that have
   * open streams, a few per turn, and closes revoked ones. Never on a timer.
   */
  recheckInstalls(): Promise<void>;
  streamsOpen(): number;
  /** Most heartbeat frames written in one event-loop turn since start (at most 64: never a burst). */
  readonly maxHeartbeatsPerTurn: number;
  readonly heartbeatsSent: number;
  close(): void;
};

type Stream = {
  installId: string;
  res: ServerResponse;
  cursor: number;
  pumping: boolean;
  again: boolean;
  closed: boolean;
  /** performance-free clock (Date.now) of the last write: a heartbeat goes only to idle streams. */
  lastWrite: number;
  beat: NodeJS.Timeout | null;
};

const PAGE = 500;
/** Per wake, at most this many pages before yielding to other streams. */
const MAX_PAGES_PER_PUMP = 40;
/** Heartbeat frames written per event-loop turn at most. */
const BEATS_PER_TURN = 64;
/** recheckInstalls reads this many installs per event-loop turn. */
const RECHECK_PER_TURN = 50;

/**
 * One SSE frame carrying Stripe's exact body. SSE data cannot hold a line break, so each line of
 * the body goes in its own `data:` line (the EventSource algorithm joins them with LF, giving the
 * same bytes back); the `sig` field carries the `Stripe-Signature` header. A body with a CR
 * (JSON allows it as whitespace; Stripe never sends one) would not survive line splitting, so it
 * goes base64 with `enc: base64` instead.
 */
export function sseFrame(seq: number, payload: string, signature: string | null): string {
  let f = signature ? `id: ${seq}\nevent: stripe\nsig: ${signature}\n` : `id: ${seq}\nevent: stripe\n`;
  if (payload.indexOf('\r') >= 0) return f + `enc: base64\ndata: ${Buffer.from(payload, 'utf8').toString('base64')}\n\n`;
  f += 'data: ';
  f += payload.indexOf('\n') >= 0 ? payload.replaceAll('\n', '\ndata: ') : payload;
  return f + '\n\n';
}

/** SSE frames for a page of events, written with one `write` (coalescing). */
export function sseFrames(rows: readonly DeliveryRow[]): string {
  let out = '';
  for (const r of rows) out += sseFrame(r.seq, r.payload, r.signature);
  return out;
}

/**
 * Holds the open SSE streams. Heartbeats cost O(1) per timer on the event loop: every stream has
 * its own timer, started at a random point of the interval (so 10,000 streams do not beat in the
 * same millisecond), a stream that was written to within the interval gets no heartbeat at all,
 * and due heartbeats are written at most 64 per event-loop turn. Nothing reads the store per heartbeat: the head it reports is kept in memory from pushes
 * and reads.
 */
export function createDeliveryHub(store: RelayStore, metrics: RelayMetrics, opts: { heartbeatMs: number; logger: RelayLogger; random?: () => number }): DeliveryHub {
  const streams = new Map<string, Set<Stream>>();
  const waiters = new Map<string, Set<() => void>>();
  /** Newest seq known per install with open streams (hello, pushes, reads). */
  const heads = new Map<string, number>();
  const random = opts.random ?? Math.random;
  let open = 0;
  let closedHub = false;

  // Due heartbeats wait in a queue; each turn of the event loop writes at most BEATS_PER_TURN of
  // them, then yields (setImmediate) so deliveries and I/O go first. However late the timers fire
  // (a busy machine), a delivery never waits behind a burst of heartbeats.
  const due: Stream[] = [];
  let draining = false;
  let maxBeats = 0;
  let beatsTotal = 0;
  const drainBeats = () => {
    draining = false;
    let n = 0;
    while (n < BEATS_PER_TURN && due.length > 0) {
      const s = due.shift()!;
      if (beatNow(s)) n += 1;
    }
    beatsTotal += n;
    if (n > maxBeats) maxBeats = n;
    if (due.length > 0) {
      draining = true;
      setImmediate(drainBeats);
    }
  };
  const enqueueBeat = (s: Stream) => {
    due.push(s);
    if (!draining) {
      draining = true;
      setImmediate(drainBeats);
    }
  };

  const raiseHead = (installId: string, seq: number) => {
    if ((heads.get(installId) ?? 0) < seq) heads.set(installId, seq);
  };

  const drop = (s: Stream) => {
    if (s.closed) return;
    s.closed = true;
    if (s.beat) clearTimeout(s.beat);
    s.beat = null;
    open -= 1;
    const set = streams.get(s.installId);
    set?.delete(s);
    if (set && set.size === 0) {
      streams.delete(s.installId);
      heads.delete(s.installId);
    }
  };

  const write = (s: Stream, text: string): boolean => {
    s.lastWrite = Date.now();
    return s.res.write(text);
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
          raiseHead(s.installId, s.cursor);
          countDelivered(metrics, s.installId, rows.length);
          // Backpressure: a slow till holds at most one page in our memory.
          if (!write(s, sseFrames(rows))) await waitDrain(s);
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

  /** One stream's heartbeat, when it is idle; also catches up a stream that missed a wake. True: a beat was written. */
  const beatNow = (s: Stream): boolean => {
    if (s.closed || closedHub) return false;
    const idle = Date.now() - s.lastWrite;
    // Written to recently: that write proved the connection alive; look again when it goes idle.
    if (idle < opts.heartbeatMs * 0.9) {
      schedule(s, opts.heartbeatMs - idle);
      return false;
    }
    const head = heads.get(s.installId) ?? s.cursor;
    write(s, `event: heartbeat\ndata: {"head":${head},"t":${Date.now()}}\n\n`);
    if (head > s.cursor && !s.pumping) void pump(s);
    schedule(s, opts.heartbeatMs);
    return true;
  };
  const heartbeat = (s: Stream) => {
    s.beat = null;
    if (!s.closed && !closedHub) enqueueBeat(s);
  };
  const schedule = (s: Stream, ms: number) => {
    s.beat = setTimeout(heartbeat, Math.max(1, Math.round(ms)), s);
    s.beat.unref();
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

  /** `frames[i]` is the frame of `items[i]`, built once however many streams get it. */
  const writeOrPump = (s: Stream, items: readonly PushItem[], frames: (string | null)[]) => {
    if (s.closed) return;
    if (s.pumping) {
      s.again = true;
      return;
    }
    let out = '';
    let n = 0;
    let gap = false;
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      if (it.seq <= s.cursor) continue;
      if (it.seq !== s.cursor + 1 || it.payload === null) {
        gap = true; // behind, or not in hand: read the rest from the store
        break;
      }
      out += frames[i] ??= sseFrame(it.seq, it.payload, it.signature);
      s.cursor = it.seq;
      n += 1;
    }
    if (n > 0) {
      countDelivered(metrics, s.installId, n);
      if (!write(s, out)) {
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
      const s: Stream = { installId: install.id, res, cursor: afterSeq, pumping: false, again: false, closed: false, lastWrite: 0, beat: null };
      let set = streams.get(install.id);
      if (!set) streams.set(install.id, (set = new Set()));
      set.add(s);
      open += 1;
      raiseHead(install.id, install.lastSeq);
      res.on('close', () => drop(s));
      res.socket?.setNoDelay(true);
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no', // nginx: do not buffer the stream
      });
      const hello = { installId: install.id, head: install.lastSeq, acked: install.ackedSeq, after: afterSeq, heartbeatMs: opts.heartbeatMs };
      write(s, `retry: 2000\nevent: hello\ndata: ${JSON.stringify(hello)}\n\n`);
      // First beat at a random point of the interval: streams opened together do not beat together.
      schedule(s, opts.heartbeatMs * (0.5 + 0.5 * random()));
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
      const byInstall = new Map<string, PushItem[]>();
      for (const it of items) {
        let list = byInstall.get(it.installId);
        if (!list) byInstall.set(it.installId, (list = []));
        list.push(it);
      }
      // An event routed to several installs (by location) has one frame per seq, so per list.
      for (const [installId, list] of byInstall) {
        list.sort((a, b) => a.seq - b.seq);
        const set = streams.get(installId);
        if (set) {
          raiseHead(installId, list[list.length - 1]!.seq);
          const frames: (string | null)[] = new Array<string | null>(list.length).fill(null);
          for (const s of set) writeOrPump(s, list, frames);
        }
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
      if (set)
        for (const s of [...set]) {
          drop(s);
          s.res.end();
        }
      wakeOne(installId);
    },
    async recheckInstalls() {
      const ids = [...streams.keys()];
      for (let i = 0; i < ids.length; i++) {
        if (closedHub) return;
        if (i > 0 && i % RECHECK_PER_TURN === 0) await new Promise((r) => setImmediate(r));
        const installId = ids[i]!;
        if (!streams.has(installId)) continue;
        let install: InstallRow | undefined;
        try {
          install = await store.getInstall(installId);
        } catch (err) {
          opts.logger.warn('relay.stream.recheck_failed', { installId, message: (err as Error).message });
          continue;
        }
        if (!install || install.revokedAt !== null) hub.closeInstall(installId);
        else {
          raiseHead(installId, install.lastSeq);
          wakeOne(installId);
        }
      }
    },
    streamsOpen: () => open,
    get maxHeartbeatsPerTurn() {
      return maxBeats;
    },
    get heartbeatsSent() {
      return beatsTotal;
    },
    close() {
      closedHub = true;
      for (const set of [...streams.values()])
        for (const s of [...set]) {
          drop(s);
          s.res.end();
        }
      for (const id of [...waiters.keys()]) wakeOne(id);
    },
  };
  return hub;
}
