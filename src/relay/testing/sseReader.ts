import { request, type ClientRequest } from 'node:http';

export type RawSseEvent = { event: string; id: string | null; data: string };

/**
 * Test-only raw SSE reader (deliberately not the app's client): collects frames so tests can
 * check ids, heartbeats and the hello, and reports when the relay closes the stream.
 */
export type SseReader = {
  status: number;
  events: RawSseEvent[];
  closed: Promise<void>;
  waitFor(pred: (events: RawSseEvent[]) => boolean, ms?: number): Promise<void>;
  close(): void;
};

/** Splits an SSE byte stream (as text chunks) into frames, the text before each blank line. */
export function sseFrames(onFrame: (frame: string) => void): (chunk: string) => void {
  let buf = '';
  return (chunk) => {
    buf += chunk;
    for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
      const frame = buf.slice(0, i);
      buf = buf.slice(i + 2);
      onFrame(frame);
    }
  };
}

export function openSse(url: string, headers: Record<string, string>): Promise<SseReader> {
  return new Promise((resolve, reject) => {
    const events: RawSseEvent[] = [];
    let onClosed!: () => void;
    const closed = new Promise<void>((r) => (onClosed = r));
    const listeners = new Set<() => void>();
    const req: ClientRequest = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      res.setEncoding('utf8');
      const feed = sseFrames((frame) => {
        const ev: RawSseEvent = { event: 'message', id: null, data: '' };
        const data: string[] = [];
        for (const line of frame.split('\n')) {
          const c = line.indexOf(':');
          if (c === 0) continue;
          const k = c < 0 ? line : line.slice(0, c);
          const v = c < 0 ? '' : line.slice(c + 1).replace(/^ /, '');
          if (k === 'event') ev.event = v;
          else if (k === 'id') ev.id = v;
          else if (k === 'data') data.push(v);
        }
        if (data.length === 0) return;
        ev.data = data.join('\n');
        events.push(ev);
      });
      res.on('data', (chunk: string) => {
        feed(chunk);
        for (const l of listeners) l();
      });
      res.on('close', () => {
        onClosed();
        for (const l of listeners) l();
      });
      resolve({
        status: res.statusCode ?? 0,
        events,
        closed,
        waitFor(pred, ms = 5000) {
          return new Promise<void>((ok, fail) => {
            if (pred(events)) return ok();
            const t = setTimeout(() => {
              listeners.delete(check);
              fail(new Error(`SSE condition not met in ${ms} ms; got ${events.map((e) => e.event + ':' + (e.id ?? '')).join(', ')}`));
            }, ms);
            const check = () => {
              if (!pred(events)) return;
              clearTimeout(t);
              listeners.delete(check);
              ok();
            };
            listeners.add(check);
          });
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}
