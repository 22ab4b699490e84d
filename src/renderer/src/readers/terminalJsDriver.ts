import type { ExposedError, Reader, StripeTerminal, Terminal } from '@stripe/terminal-js';
import { emitter } from './readerDriver';
import type { CollectOutcome, DriverReader, DriverResult, ReaderDriver, ReaderEvent, ReaderState } from './readerDriver';

/**
 * The `terminal-js` driver: the renderer drives a smart reader on the shop's network through
 * Stripe's Terminal JS SDK (`window.StripeTerminal`, loaded by `loadTerminalSdk`). Connection
 * tokens come from main (single use, scoped to the location), never cached here. Every SDK
 * call answers `X | { error }` rather than throwing, so every answer is checked for `error`;
 * a throw is still caught, because a broken script must not leave the Charge panel spinning.
 */

/** The part of the SDK this driver uses; a test can hand in an object of this shape. */
export type TerminalSdk = Pick<StripeTerminal, 'create'>;
type SdkTerminal = Pick<
  Terminal,
  'discoverReaders' | 'connectReader' | 'disconnectReader' | 'collectPaymentMethod' | 'processPayment' | 'cancelCollectPaymentMethod' | 'getConnectedReader'
>;

export type TerminalJsOptions = {
  sdk: TerminalSdk;
  /** Asks main for a fresh connection token (`readers.connectionToken`). */
  fetchConnectionToken(): Promise<DriverResult<string>>;
  /** Stripe Terminal location (`tml_…`) the readers belong to; null to discover the SDK's simulated reader. */
  location: string | null;
};

/** Card errors the clerk can fix with another card; anything else is a failure whose outcome main must check. */
const CARD_CODES = new Set(['card_declined', 'expired_card', 'incorrect_cvc', 'incorrect_pin', 'processing_error', 'insufficient_funds', 'pin_try_exceeded', 'card_not_supported']);
const CANCEL_CODES = new Set(['canceled', 'canceled_by_customer']);

function hasError(r: unknown): r is { error: ExposedError } {
  return typeof r === 'object' && r !== null && 'error' in r && (r as { error: unknown }).error != null;
}

function problem(e: ExposedError | undefined, fallback: string): { code: string; message: string } {
  return { code: e?.code ?? 'reader_error', message: e?.message?.trim() || fallback };
}

function stateOf(r: Reader): ReaderState {
  return r.status === 'online' ? 'online' : 'offline';
}

function view(r: Reader, simulated: boolean): DriverReader {
  return { id: r.id, label: r.label ?? r.serial_number ?? r.id, state: stateOf(r), simulated };
}

export function createTerminalJsDriver(opts: TerminalJsOptions): ReaderDriver {
  const events = emitter<ReaderEvent>();
  const simulated = opts.location === null;
  let terminal: SdkTerminal | null = null;
  let found: Reader[] = [];
  let stage: 'idle' | 'collecting' | 'processing' = 'idle';

  function sdkTerminal(): SdkTerminal {
    terminal ??= opts.sdk.create({
      onFetchConnectionToken: async () => {
        const r = await opts.fetchConnectionToken();
        // The SDK only understands a rejected promise here; it reports it as a connect error.
        if (!r.ok) throw new Error(r.error.message);
        return r.value;
      },
      onUnexpectedReaderDisconnect: (e) => events.emit({ type: 'disconnected', message: e.error?.message ?? 'The card reader disconnected.' }),
      onConnectionStatusChange: (e) => {
        const s = String(e.status);
        events.emit({ type: 'connection', state: s === 'connected' ? 'online' : s === 'connecting' ? 'connecting' : 'offline' });
      },
      onPaymentStatusChange: (e) => {
        const s = String(e.status);
        if (s === 'waiting_for_input') events.emit({ type: 'display', text: 'Waiting for the card' });
        else if (s === 'processing') events.emit({ type: 'display', text: 'Processing' });
      },
    });
    return terminal;
  }

  async function guard<T>(what: string, run: () => Promise<T>): Promise<T | { error: ExposedError }> {
    try {
      return await run();
    } catch (e) {
      return { error: { code: 'sdk_threw', message: e instanceof Error && e.message ? e.message : `The card reader software failed while trying to ${what}.` } };
    }
  }

  return {
    kind: 'terminal-js',

    async discover() {
      const r = await guard('find readers', () => sdkTerminal().discoverReaders(simulated ? { simulated: true } : { location: opts.location ?? undefined }));
      if (hasError(r)) return { ok: false, error: problem(r.error, 'Keydesk could not look for card readers.') };
      found = r.discoveredReaders;
      return { ok: true, value: found.map((x) => view(x, simulated)) };
    },

    async connect(readerId) {
      const reader = found.find((x) => x.id === readerId);
      if (!reader) return { ok: false, error: { code: 'reader_not_found', message: 'That card reader was not found. Look for readers again.' } };
      // fail_if_in_use: never take over a reader another till is collecting on.
      const r = await guard('connect', () => sdkTerminal().connectReader(reader, { fail_if_in_use: true }));
      if (hasError(r)) {
        const p = problem(r.error, 'Keydesk could not connect to the card reader.');
        if (/in[_ ]use/i.test(`${p.code} ${p.message}`)) return { ok: false, error: { code: 'reader_in_use', message: 'This card reader is in use at another till. Wait for it, or pick another reader.' } };
        return { ok: false, error: p };
      }
      const v = view(r.reader, simulated);
      events.emit({ type: 'connection', state: v.state });
      return { ok: true, value: v };
    },

    async collectAndProcess(request): Promise<CollectOutcome> {
      if (!request.clientSecret) return { kind: 'failed', code: 'no_client_secret', message: 'Keydesk did not get the payment details for the reader. Try again.' };
      const secret = request.clientSecret;
      stage = 'collecting';
      try {
        events.emit({ type: 'display', text: 'Present the card on the reader' });
        const collected = await guard('read the card', () => sdkTerminal().collectPaymentMethod(secret));
        if (hasError(collected)) return outcomeOf(collected.error, false);
        stage = 'processing';
        events.emit({ type: 'display', text: 'Processing' });
        const processed = await guard('charge the card', () => sdkTerminal().processPayment(collected.paymentIntent));
        if (hasError(processed)) return outcomeOf(processed.error, true);
        return { kind: 'processed', paymentIntentId: processed.paymentIntent.id };
      } finally {
        stage = 'idle';
      }
    },

    async cancel() {
      // Only collection can be cancelled safely; once processing, Stripe decides and main reconciles.
      if (stage !== 'collecting') return { ok: true, value: null };
      const r = await guard('cancel', () => sdkTerminal().cancelCollectPaymentMethod());
      if (hasError(r)) return { ok: false, error: problem(r.error, 'The card reader did not cancel. Ask the customer to remove the card.') };
      return { ok: true, value: null };
    },

    async disconnect() {
      if (!terminal) return;
      await guard('disconnect', () => sdkTerminal().disconnectReader());
      events.emit({ type: 'connection', state: 'offline' });
    },

    on: events.on,
  };
}

/** An SDK error as the Charge panel's outcome. After processing started, only a card decline is certain. */
export function outcomeOf(e: ExposedError, processing: boolean): CollectOutcome {
  const code = e.code ?? '';
  if (CANCEL_CODES.has(code)) return { kind: 'canceled' };
  if (e.decline_code || CARD_CODES.has(code)) {
    return { kind: 'declined', code: code || 'card_declined', declineCode: e.decline_code ?? null, message: e.message };
  }
  return {
    kind: 'failed',
    code: code || 'reader_error',
    message: processing ? 'The reader lost track of the payment. Keydesk is checking with Stripe before anything is retried.' : e.message || 'The card reader failed.',
  };
}

/**
 * Loads the Terminal SDK script once per page; unlike `loadStripeTerminal`, a failed load is
 * not cached, so the clerk can try again once the network is back.
 */
let loading: Promise<TerminalSdk> | null = null;
export function loadTerminalSdk(src: string): Promise<TerminalSdk> {
  const ready = (window as { StripeTerminal?: TerminalSdk }).StripeTerminal;
  if (ready) return Promise.resolve(ready);
  loading ??= new Promise<TerminalSdk>((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.async = true;
    s.onload = () => {
      const sdk = (window as { StripeTerminal?: TerminalSdk }).StripeTerminal;
      if (sdk) resolve(sdk);
      else reject(new Error('The card reader software loaded but did not start.'));
    };
    s.onerror = () => {
      s.remove();
      reject(new Error('The card reader software could not be loaded. Check the network.'));
    };
    document.head.appendChild(s);
  }).catch((e: unknown) => {
    loading = null;
    throw e;
  });
  return loading;
}
