/**
 * One interface for every way the counter can take a card (DESIGN §3). A screen never knows
 * which driver it has: it discovers, connects, asks for one payment and may cancel it.
 *
 * Whatever a driver reports, main asks Stripe for the PaymentIntent before it marks anything
 * paid: `collectAndProcess` only says what the reader saw, and the screen then reloads the
 * payment from main. So a driver result never settles money by itself.
 */

export type ReaderDriverKind = 'server-driven' | 'simulated' | 'terminal-js';

/** What the clerk sees about a reader: online and free, busy with our payment, in use at another till, offline. */
export type ReaderState = 'online' | 'busy' | 'in_use' | 'offline' | 'connecting';

export type DriverReader = {
  id: string;
  label: string;
  state: ReaderState;
  simulated: boolean;
};

/** One payment to collect: main's payment id, and the PaymentIntent's client secret where the driver needs it (terminal-js). */
export type CollectRequest = { paymentId: string; clientSecret: string | null };

export type CollectOutcome =
  /** The reader finished; main must now be asked what Stripe says (the payment id is all we keep). */
  | { kind: 'processed'; paymentIntentId: string | null }
  /** The card was refused on the reader; the same payment may be retried with another card. */
  | { kind: 'declined'; code: string; declineCode: string | null; message: string }
  /** The clerk or customer cancelled before the card was charged. */
  | { kind: 'canceled' }
  /** Something between us and the reader failed; whether money moved is unknown until main reconciles. */
  | { kind: 'failed'; code: string; message: string };

export type DriverProblem = { code: string; message: string };
export type DriverResult<T> = { ok: true; value: T } | { ok: false; error: DriverProblem };

/** What the reader is doing, for the progress line on the Charge panel. */
export type ReaderEvent =
  | { type: 'connection'; state: ReaderState }
  | { type: 'display'; text: string }
  | { type: 'disconnected'; message: string };

export type ReaderDriver = {
  readonly kind: ReaderDriverKind;
  discover(): Promise<DriverResult<DriverReader[]>>;
  connect(readerId: string): Promise<DriverResult<DriverReader>>;
  collectAndProcess(request: CollectRequest): Promise<CollectOutcome>;
  /** Cancels the reader's current action; harmless when there is none. */
  cancel(): Promise<DriverResult<null>>;
  disconnect(): Promise<void>;
  on(listener: (e: ReaderEvent) => void): () => void;
};

/** A tiny listener set for drivers. */
export function emitter<E>(): { emit(e: E): void; on(l: (e: E) => void): () => void } {
  const listeners = new Set<(e: E) => void>();
  return {
    emit(e) {
      for (const l of [...listeners]) l(e);
    },
    on(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}
