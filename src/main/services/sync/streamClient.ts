import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from '../../core/backoff';
import type { RelayEvent, StreamClient, StreamClientOptions, StreamStatus, SyncState } from './streamTypes';
import { createSseParser } from './sseParser';
import { verifyRelayedEvent } from './verifyRelayedEvent';

export type { RelayEvent, StreamClient, StreamClientOptions, StreamStatus, SyncState } from './streamTypes';

class AuthError extends Error {}
class ApplyError extends Error {}
/** The relay answered, but not with a usable stream: counts towards the long-poll fallback. */
class SseUnusable extends Error {}
class HttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

const MAX_PENDING_TEXT = 16 * 1024 * 1024;

const describe = (err: unknown): string => {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  if (e?.cause?.code) return `${e.message ?? 'fetch failed'}: ${e.cause.code}`;
  return e?.message ?? String(err);
};

/**
 * The transport half of the sync client: holds the relay's SSE stream open (long-poll when SSE
 * keeps failing), hands events to `apply` in seq order, acknowledges what was committed,
 * reconnects with capped, jittered backoff and resumes from the last committed seq.
 *
 *   const client = createStreamClient({
 *     baseUrl: settings.relayUrl, token: settings.relayToken,
 *     apply: (batch, upToSeq) => db.transaction(() => { applyEvents(batch); setCursor(upToSeq); })(),
 *     loadCursor: () => getCursor(),
 *     onState: (s) => events.emit('sync.state', s),
 *   });
 *   client.start(); … await client.stop();
 *
 * Delivery is at-least-once across crashes of the till (an event applied but not yet recorded
 * is sent again), so `apply` must ignore event ids it already has; with the cursor written in
 * the same transaction, each event takes effect exactly once.
 */
export function createStreamClient(opts: StreamClientOptions): StreamClient {
  const fetchImpl = opts.fetchImpl ?? fetch;
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const backoff: BackoffOptions = { ...DEFAULT_BACKOFF, ...opts.backoff };
  const base = opts.baseUrl.replace(/\/+$/, '');
  const auth = `Bearer ${opts.token}`;
  const maxBatch = opts.maxBatch ?? 500;
  const ackEveryMs = opts.ackEveryMs ?? 200;
  const sseThreshold = opts.sseFailuresBeforeLongPoll ?? 3;
  const retrySseAfterMs = opts.retrySseAfterMs ?? 5 * 60_000;
  const waitSec = opts.longPollWaitSec ?? 25;
  const stateEveryMs = opts.stateEveryMs ?? 250;

  let running = false;
  let stopping = false;
  let loop: Promise<void> | null = null;
  let current: AbortController | null = null;
  let wakeSleep: (() => void) | null = null;

  let committed = 0;
  let head: number | null = null;
  let state: SyncState = 'off';
  let transport: StreamStatus['transport'] = null;
  let error: string | null = null;
  let lastEventAt: number | null = null;
  let mode: 'sse' | 'long-poll' = 'sse';
  let sseFailures = 0;
  /** Consecutive failed attempts; 0 once a connection delivered its hello (or a poll answered). */
  let attempt = 0;

  // --- state reporting -------------------------------------------------------------------
  let lastEmitted = '';
  let lastEmitAt = 0;
  let emitTimer: NodeJS.Timeout | null = null;
  const snapshot = (): StreamStatus => ({
    state,
    transport,
    committedSeq: committed,
    headSeq: head,
    lag: head === null ? null : Math.max(0, head - committed),
    lastEventAt,
    error,
  });
  const emitNow = () => {
    if (emitTimer) clearTimeout(emitTimer);
    emitTimer = null;
    lastEmitAt = now();
    const s = snapshot();
    lastEmitted = `${s.state}|${s.transport}|${s.error}`;
    opts.onState?.(s);
  };
  const emit = () => {
    const key = `${state}|${transport}|${error}`;
    if (key !== lastEmitted || now() - lastEmitAt >= stateEveryMs) return emitNow();
    if (!emitTimer) {
      emitTimer = setTimeout(emitNow, Math.max(0, stateEveryMs - (now() - lastEmitAt)));
      emitTimer.unref?.();
    }
  };
  const setState = (s: SyncState, t: StreamStatus['transport'], e: string | null = null) => {
    state = s;
    transport = t;
    error = e;
    emit();
  };

  // --- acknowledgements --------------------------------------------------------------------
  let acked = 0;
  let ackTimer: NodeJS.Timeout | null = null;
  let ackInFlight: Promise<void> | null = null;
  const sendAck = async (): Promise<void> => {
    const upTo = committed;
    if (upTo <= acked) return;
    const ctl = new AbortController();
    const t = setTimeout(() => ctl.abort(), 5000);
    try {
      const res = await fetchImpl(`${base}/v1/ack`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({ upTo }),
        signal: ctl.signal,
      });
      await res.body?.cancel().catch(() => {});
      if (res.ok) acked = Math.max(acked, upTo);
    } catch {
      // The relay keeps unacknowledged events; the next ack covers these too.
    } finally {
      clearTimeout(t);
    }
  };
  const flushAck = async (): Promise<void> => {
    if (ackTimer) clearTimeout(ackTimer);
    ackTimer = null;
    // Bounded: at most two rounds (one in flight, one for what was committed meanwhile).
    for (let i = 0; i < 2 && committed > acked; i++) {
      if (ackInFlight) await ackInFlight;
      else {
        ackInFlight = sendAck().finally(() => {
          ackInFlight = null;
        });
        await ackInFlight;
      }
    }
  };
  const scheduleAck = () => {
    if (ackTimer || stopping) return;
    ackTimer = setTimeout(() => {
      ackTimer = null;
      void flushAck().then(() => {
        if (committed > acked && running && !stopping) scheduleAck();
      });
    }, ackEveryMs);
    ackTimer.unref?.();
  };

  // --- applying ------------------------------------------------------------------------------
  const commit = async (events: RelayEvent[]): Promise<void> => {
    for (let i = 0; i < events.length; i += maxBatch) {
      const chunk = i === 0 && events.length <= maxBatch ? events : events.slice(i, i + maxBatch);
      const upTo = chunk[chunk.length - 1]!.seq;
      try {
        await opts.apply(chunk, upTo);
      } catch (err) {
        throw new ApplyError(`apply failed: ${describe(err)}`);
      }
      committed = upTo;
      lastEventAt = now();
      if (head === null || head < upTo) head = upTo;
      scheduleAck();
      emit();
    }
  };

  const toEvent = (seq: number, value: unknown): RelayEvent => {
    const event = value as RelayEvent['event'] | null;
    if (!event || typeof event !== 'object' || typeof event.id !== 'string' || typeof event.type !== 'string') {
      throw new ApplyError(`relay sent a malformed event at seq ${seq}`);
    }
    return { seq, event };
  };

  const secrets = opts.endpointSecrets ?? [];
  /** Stripe's bytes → the event, verified when the till holds the endpoint secret. */
  const relayed = (seq: number, data: string, sig: string | null, enc: string | null): RelayEvent => {
    let v: ReturnType<typeof verifyRelayedEvent>;
    try {
      v = verifyRelayedEvent(seq, data, { sig, enc }, secrets);
    } catch (err) {
      throw new ApplyError((err as Error).message);
    }
    return { ...toEvent(seq, parseJson(v.body, seq)), trust: v.trust, raw: v.body, signature: sig };
  };

  // --- SSE -------------------------------------------------------------------------------------
  const runSse = async (): Promise<void> => {
    const ctl = new AbortController();
    current = ctl;
    const res = await fetchImpl(`${base}/v1/stream`, {
      headers: { authorization: auth, accept: 'text/event-stream', 'last-event-id': String(committed) },
      signal: ctl.signal,
    });
    if (res.status === 401 || res.status === 403) throw new AuthError(await errorCode(res));
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      throw new SseUnusable(`HTTP ${res.status}`);
    }
    if (!(res.headers.get('content-type') ?? '').startsWith('text/event-stream') || !res.body) {
      await res.body?.cancel().catch(() => {});
      throw new SseUnusable('not an event stream');
    }
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    const parser = createSseParser();
    let staleMs = opts.staleAfterMs ?? 45_000;
    let stale: NodeJS.Timeout | null = null;
    let wentStale = false;
    const armStale = () => {
      if (stale) clearTimeout(stale);
      stale = setTimeout(() => {
        wentStale = true;
        ctl.abort();
      }, staleMs);
      stale.unref?.();
    };
    let hello = false;
    let lastSeen = committed;
    armStale();
    try {
      // Ends when the relay closes the stream, the stream goes silent, or stop() aborts it.
      for (;;) {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch (err) {
          if (wentStale) throw hello ? new Error('stream went silent') : new SseUnusable('no hello from the relay');
          throw err;
        }
        if (chunk.done) break;
        armStale();
        const messages = parser.push(decoder.decode(chunk.value, { stream: true }));
        if (parser.buffered > MAX_PENDING_TEXT) throw new SseUnusable('oversized event');
        const batch: RelayEvent[] = [];
        for (const m of messages) {
          if (m.event === 'stripe') {
            const seq = Number(m.id);
            if (!Number.isSafeInteger(seq) || seq <= lastSeen) continue;
            lastSeen = seq;
            batch.push(relayed(seq, m.data, m.sig ?? null, m.enc ?? null));
          } else if (m.event === 'hello') {
            const h = JSON.parse(m.data) as { head?: number; heartbeatMs?: number };
            hello = true;
            if (typeof h.head === 'number') head = h.head;
            if (opts.staleAfterMs === undefined && typeof h.heartbeatMs === 'number') staleMs = Math.max(3 * h.heartbeatMs, h.heartbeatMs + 2000);
            armStale();
            sseFailures = 0;
            attempt = 0;
            setState('live', 'sse');
          } else if (m.event === 'heartbeat') {
            const h = JSON.parse(m.data) as { head?: number };
            if (typeof h.head === 'number' && (head === null || h.head > head)) head = h.head;
            emit();
          }
        }
        if (batch.length > 0) await commit(batch);
      }
    } finally {
      if (stale) clearTimeout(stale);
      reader.cancel().catch(() => {});
    }
    if (!hello) throw new SseUnusable('stream ended before hello');
  };

  // --- long-poll ---------------------------------------------------------------------------
  const runLongPoll = async (): Promise<void> => {
    const since = now();
    // Bounded by time: after retrySseAfterMs we go back and give SSE another chance.
    while (running && !stopping && now() - since < retrySseAfterMs) {
      const ctl = new AbortController();
      current = ctl;
      const t = setTimeout(() => ctl.abort(), (waitSec + 15) * 1000);
      let body: { events?: { seq: number; event: unknown; raw?: unknown; sig?: string }[]; head?: number };
      try {
        const res = await fetchImpl(`${base}/v1/events?after=${committed}&wait=${waitSec}&limit=${maxBatch}${secrets.length > 0 ? '&raw=1' : ''}`, {
          headers: { authorization: auth, accept: 'application/json' },
          signal: ctl.signal,
        });
        if (res.status === 401 || res.status === 403) throw new AuthError(await errorCode(res));
        if (!res.ok) {
          await res.body?.cancel().catch(() => {});
          throw new HttpError(res.status);
        }
        body = (await res.json()) as typeof body;
      } finally {
        clearTimeout(t);
      }
      attempt = 0;
      if (typeof body.head === 'number') head = body.head;
      setState('live', 'long-poll');
      const batch: RelayEvent[] = [];
      let last = committed;
      for (const e of body.events ?? []) {
        if (!Number.isSafeInteger(e.seq) || e.seq <= last) continue;
        last = e.seq;
        batch.push(typeof e.raw === 'string' ? relayed(e.seq, e.raw, e.sig ?? null, null) : { ...toEvent(e.seq, e.event), trust: 'relay_stream' });
      }
      if (batch.length > 0) await commit(batch);
    }
    mode = 'sse';
    sseFailures = Math.max(0, sseThreshold - 1); // one more SSE failure and we are back here
  };

  // --- the loop ----------------------------------------------------------------------------------
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      t.unref?.();
      function done() {
        clearTimeout(t);
        wakeSleep = null;
        resolve();
      }
      wakeSleep = done;
    });

  const runLoop = async () => {
    let needCursor = true;
    // Runs until stop(); every turn either holds a connection or sleeps a backoff delay.
    while (running && !stopping) {
      try {
        if (needCursor) {
          committed = await opts.loadCursor();
          head = head === null ? null : Math.max(head, committed);
          acked = Math.min(acked, committed);
          needCursor = false;
        }
        setState('connecting', mode === 'sse' ? 'sse' : 'long-poll', error);
        if (mode === 'sse') await runSse();
        else await runLongPoll();
        // A clean end (the relay restarted or closed the stream): reconnect soon, not at once.
        if (!stopping) setState('connecting', transport, null);
      } catch (err) {
        if (stopping) break;
        attempt += 1;
        if (err instanceof AuthError) setState('error', transport, err.message);
        else if (err instanceof ApplyError) {
          needCursor = true;
          setState('error', transport, err.message);
        } else if (err instanceof SseUnusable) {
          sseFailures += 1;
          if (sseFailures >= sseThreshold) mode = 'long-poll';
          setState('offline', transport, err.message);
        } else if (err instanceof HttpError) setState(err.status >= 500 ? 'offline' : 'error', transport, err.message);
        else setState('offline', transport, describe(err));
      }
      if (stopping) break;
      await sleep(attempt === 0 ? Math.round(backoff.initialMs * random()) : backoffDelay(attempt, backoff, random));
    }
  };

  return {
    start() {
      if (running) return;
      running = true;
      stopping = false;
      attempt = 0;
      loop = runLoop().finally(() => {
        running = false;
      });
    },
    async stop() {
      if (!loop) {
        setState('off', null);
        return;
      }
      stopping = true;
      current?.abort();
      wakeSleep?.();
      await loop;
      loop = null;
      await Promise.race([flushAck(), new Promise((r) => setTimeout(r, 2000).unref?.())]);
      if (ackTimer) clearTimeout(ackTimer);
      ackTimer = null;
      setState('off', null);
      emitNow();
      if (emitTimer) clearTimeout(emitTimer);
      emitTimer = null;
    },
    get state() {
      return snapshot();
    },
  };
}

function parseJson(text: string, seq: number): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ApplyError(`relay sent unreadable JSON at seq ${seq}`);
  }
}

async function errorCode(res: Response): Promise<string> {
  try {
    const b = (await res.json()) as { error?: unknown };
    return typeof b.error === 'string' ? b.error : `HTTP ${res.status}`;
  } catch {
    return `HTTP ${res.status}`;
  }
}
