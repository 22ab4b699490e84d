import type { BackoffOptions } from '../../core/backoff';
import type { EventTrust } from './verifyRelayedEvent';

/** The sync stream client's public shapes (kept apart so streamClient.ts holds only the client). */

export type SyncState = 'off' | 'connecting' | 'live' | 'offline' | 'error';

/** A Stripe event as the relay stored it, with this install's sequence number. */
export type RelayEvent = {
  seq: number;
  event: { id: string; type: string } & Record<string, unknown>;
  /** Verified with Stripe's signature (the till holds the endpoint secret) or trusted as the authenticated stream's. */
  trust?: EventTrust;
  /** The exact bytes Stripe sent, when the relay streamed them (SSE, or long-poll with raw=1). */
  raw?: string;
  /** Stripe's `Stripe-Signature` header for `raw` (null: backfilled, unsigned). */
  signature?: string | null;
};

export type StreamStatus = {
  state: SyncState;
  transport: 'sse' | 'long-poll' | null;
  /** The last seq the app committed (what `apply` recorded). */
  committedSeq: number;
  /** The relay's newest seq for this install, as last heard. */
  headSeq: number | null;
  /** Events the relay holds that are not committed here yet. */
  lag: number | null;
  /** When the last event was committed (unix ms). */
  lastEventAt: number | null;
  /** Why the state is 'error' or 'offline' (e.g. 'token_revoked', 'HTTP 503', 'connect ECONNREFUSED'). */
  error: string | null;
};

export type StreamClientOptions = {
  /** The relay, e.g. https://relay.shop.example (no trailing path). */
  baseUrl: string;
  /** This install's token (`npm run relay -- install add`). */
  token: string;
  /**
   * Applies a batch in ONE transaction together with recording `upToSeq` as the cursor, and
   * ignores events already applied. Resolves after commit; throwing leaves the cursor where it was.
   */
  apply: (batch: readonly RelayEvent[], upToSeq: number) => void | Promise<void>;
  /** The last committed seq (0 when none), read at start and after a failed apply. */
  loadCursor: () => number | Promise<number>;
  onState?: (status: StreamStatus) => void;
  fetchImpl?: typeof fetch;
  backoff?: Partial<BackoffOptions>;
  /**
   * The webhook endpoint secrets (whsec_…), when this till holds them: every signed event is then
   * verified against Stripe's signature, and one that fails stops the stream (apply never sees it).
   * Without them the authenticated stream is trusted (see src/relay/README.md).
   */
  endpointSecrets?: readonly string[];
  /** Give up on a silent stream after this long; default three heartbeats (from the relay's hello), else 45 s. */
  staleAfterMs?: number;
  /** Acknowledge committed events at most this often (batched acks). */
  ackEveryMs?: number;
  /** Most events handed to one `apply`. */
  maxBatch?: number;
  /** Consecutive SSE failures (with the relay reachable) before switching to long-poll. */
  sseFailuresBeforeLongPoll?: number;
  /** In long-poll mode, try SSE again after this long. */
  retrySseAfterMs?: number;
  longPollWaitSec?: number;
  /** Progress (lag, lastEventAt) is reported at most this often; state changes at once. */
  stateEveryMs?: number;
  random?: () => number;
  now?: () => number;
};

export type StreamClient = {
  start(): void;
  /** Ends the stream, waits for an apply in progress, sends the last ack (bounded), reports 'off'. */
  stop(): Promise<void>;
  readonly state: StreamStatus;
};
