import { contract, events } from '../../../shared/contract';
import type { EventName, EventPayload, Input, MethodName, Output } from '../../../shared/contract';
import { DEFAULT_MESSAGES } from '../../../shared/errors';
import type { Result } from '../../../shared/errors';

/**
 * The renderer's only way to reach main. Inside Electron it uses `window.pos` (IPC); in a
 * browser it uses the loopback HTTP transport with this launch's token. Either way the answer
 * is a Result, checked against the contract here too, so a screen never sees an unexpected shape.
 */
export type Transport = {
  call(method: string, input: unknown): Promise<Result<unknown>>;
  on(event: string, listener: (payload: unknown) => void): () => void;
};

const TOKEN_KEY = 'keydesk.token';

/** Reads `#token=…` once, keeps it for reloads in this tab, and takes it out of the address bar. */
function takeHttpToken(): string {
  const m = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (m?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function httpTransport(): Transport {
  const token = takeHttpToken();
  let source: EventSource | null = null;
  return {
    async call(method, input) {
      let res: Response;
      try {
        res = await fetch(`/rpc/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify({ input }),
        });
      } catch {
        return { ok: false, error: { code: 'unavailable', message: 'Keydesk is not answering. Is it still running?', retryable: true } };
      }
      try {
        return (await res.json()) as Result<unknown>;
      } catch {
        return { ok: false, error: { code: 'invalid_output', message: DEFAULT_MESSAGES.invalid_output } };
      }
    },
    on(event, listener) {
      // One stream per page, shared by every listener.
      source ??= new EventSource(`/events?token=${encodeURIComponent(token)}`);
      const es = source;
      const handler = (e: MessageEvent<string>) => listener(JSON.parse(e.data) as unknown);
      es.addEventListener(event, handler);
      return () => es.removeEventListener(event, handler);
    },
  };
}

function ipcTransport(bridge: NonNullable<Window['pos']>): Transport {
  return {
    call: (method, input) => (bridge.call as (m: string, i: unknown) => Promise<Result<unknown>>)(method, input),
    on: (event, listener) => (bridge.on as (e: string, l: (p: unknown) => void) => () => void)(event, listener),
  };
}

let transport: Transport | null = null;
function current(): Transport {
  transport ??= window.pos ? ipcTransport(window.pos) : httpTransport();
  return transport;
}

/** For tests in a browser page: swap the transport. */
export function setTransport(t: Transport): void {
  transport = t;
}

export async function call<M extends MethodName>(method: M, input: Input<M>): Promise<Result<Output<M>>> {
  let result: Result<unknown>;
  try {
    result = await current().call(method, input);
  } catch {
    return { ok: false, error: { code: 'unavailable', message: DEFAULT_MESSAGES.unavailable, retryable: true } };
  }
  if (!result.ok) return result;
  const parsed = contract[method].output.safeParse(result.value);
  if (!parsed.success) return { ok: false, error: { code: 'invalid_output', message: DEFAULT_MESSAGES.invalid_output } };
  return { ok: true, value: parsed.data as Output<M> };
}

export function on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return current().on(event, (payload) => {
    const parsed = events[event].safeParse(payload);
    if (parsed.success) listener(parsed.data as EventPayload<E>);
  });
}
