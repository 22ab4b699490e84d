/** One server-sent event, as the EventSource algorithm dispatches it. */
export type SseMessage = {
  event: string;
  data: string;
  id: string | null;
  /** The relay's `sig` (Stripe-Signature) and `enc` fields, when present. */
  sig?: string;
  enc?: string;
};

export type SseParser = {
  /** Feeds decoded text; returns the events completed by it. */
  push(text: string): SseMessage[];
  /** Bytes of an unfinished event held (a guard against a server that never ends a line). */
  readonly buffered: number;
};

/**
 * Incremental parser for the `text/event-stream` format (WHATWG HTML §9.2.6): lines end with
 * CRLF, LF or CR; a blank line dispatches; `data` lines join with LF; comments start with ':'.
 * `id` is reported per event (null when the event had none) rather than carried over, because
 * the caller keeps its own committed cursor.
 */
export function createSseParser(): SseParser {
  let buf = '';
  let event = '';
  let data: string[] = [];
  let id: string | null = null;
  let sig: string | null = null;
  let enc: string | null = null;
  let pendingCr = false;

  const line = (l: string, out: SseMessage[]) => {
    if (l === '') {
      if (data.length > 0) {
        const m: SseMessage = { event: event || 'message', data: data.join('\n'), id };
        if (sig !== null) m.sig = sig;
        if (enc !== null) m.enc = enc;
        out.push(m);
      }
      event = '';
      data = [];
      id = null;
      sig = null;
      enc = null;
      return;
    }
    if (l.charCodeAt(0) === 58) return; // ':' comment
    const colon = l.indexOf(':');
    const field = colon < 0 ? l : l.slice(0, colon);
    let value = colon < 0 ? '' : l.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
    else if (field === 'sig') sig = value;
    else if (field === 'enc') enc = value;
    // 'retry' and unknown fields are ignored: the client has its own backoff.
  };

  return {
    push(text) {
      const out: SseMessage[] = [];
      const s = buf + text;
      let start = 0;
      if (pendingCr && s.charCodeAt(0) === 10) start = 1; // the LF of a CRLF split across chunks
      pendingCr = false;
      if (s.indexOf('\r', start) < 0) {
        // Fast path (what the relay sends): LF-only lines, found with indexOf.
        for (let nl = s.indexOf('\n', start); nl >= 0; nl = s.indexOf('\n', start)) {
          line(s.slice(start, nl), out);
          start = nl + 1;
        }
      } else {
        for (let i = start; i < s.length; i++) {
          const c = s.charCodeAt(i);
          if (c !== 10 && c !== 13) continue;
          line(s.slice(start, i), out);
          if (c === 13) {
            if (i + 1 < s.length) {
              if (s.charCodeAt(i + 1) === 10) i++;
            } else pendingCr = true;
          }
          start = i + 1;
        }
      }
      buf = s.slice(start);
      return out;
    },
    get buffered() {
      return buf.length;
    },
  };
}
