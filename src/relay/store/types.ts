import type { RouteHints, RouteKind } from '../route';

export type EventSource = 'webhook' | 'backfill';

/**
 * A verified Stripe event on its way into the store. `payload` is the exact body Stripe sent
 * (as UTF-8 text, never re-serialised), `signature` its `Stripe-Signature` header (null when the
 * event came from backfill, where Stripe signs nothing).
 */
export type IncomingEvent = {
  id: string;
  type: string;
  /** Stripe's `created`, unix seconds. */
  created: number;
  payload: string;
  signature: string | null;
  hints: RouteHints;
  source: EventSource;
};

export type StoredDelivery = {
  installId: string;
  seq: number;
  eventId: string;
  /** Unacknowledged events for this install right after this delivery. */
  unacked: number;
};

export type IngestResult = {
  eventId: string;
  duplicate: boolean;
  route: RouteKind | null;
};

export type IngestOutcome = {
  results: IngestResult[];
  /** Every delivery written by the batch, including earlier unassigned events it claimed. */
  deliveries: StoredDelivery[];
};

export type InstallRow = {
  id: string;
  name: string;
  locationId: string | null;
  createdAt: number;
  revokedAt: number | null;
  lastSeq: number;
  ackedSeq: number;
};

export type InstallStats = InstallRow & {
  /** `received_at` (unix ms) of the oldest unacknowledged delivery, if any. */
  oldestUnackedAt: number | null;
};

export type DeliveryRow = { seq: number; eventId: string; payload: string; signature: string | null };

export type UnassignedRow = {
  eventId: string;
  type: string;
  created: number;
  receivedAt: number;
  paymentIntent: string | null;
  locationId: string | null;
};

export type AssignResult =
  | { ok: true; deliveries: StoredDelivery[] }
  | { ok: false; reason: 'not_unassigned' | 'unknown_install' };

export type PruneResult = { deliveries: number; events: number };

/** What changed in the store behind this process's back (another relay, or the admin CLI). */
export type StoreChange = { kind: 'deliveries'; installIds: string[] } | { kind: 'revoked'; installId: string } | { kind: 'unknown' };

/** One contract for the SQLite and PostgreSQL stores. All times are unix ms unless named otherwise. */
export type RelayStore = {
  readonly kind: 'sqlite' | 'postgres';
  /** Stores a batch in one transaction: dedupes by event id, routes, gives per-install seqs. */
  ingest(events: readonly IncomingEvent[], now: number): Promise<IngestOutcome>;
  readAfter(installId: string, afterSeq: number, limit: number): Promise<DeliveryRow[]>;
  /** Raises the install's acknowledged seq (never lowers it, never past its last seq); returns it. */
  ack(installId: string, upTo: number): Promise<number>;
  installForTokenHash(tokenHash: string): Promise<InstallRow | undefined>;
  getInstall(id: string): Promise<InstallRow | undefined>;
  addInstall(input: { id: string; name: string; locationId: string | null; tokenHash: string; now: number }): Promise<void>;
  listInstalls(): Promise<InstallStats[]>;
  /** Active installs with more than `cap` unacknowledged events (one cheap scan: /healthz with 10,000 tills). */
  installsOverCap(cap: number): Promise<{ id: string; name: string; unacked: number }[]>;
  revokeInstall(id: string, now: number): Promise<boolean>;
  addAdmin(input: { id: string; name: string; tokenHash: string; now: number }): Promise<void>;
  adminForTokenHash(tokenHash: string): Promise<{ id: string; name: string } | undefined>;
  listUnassigned(limit: number): Promise<UnassignedRow[]>;
  countUnassigned(): Promise<number>;
  assign(eventId: string, installId: string, now: number): Promise<AssignResult>;
  /** Which of these event ids are already stored (backfill skips them). */
  knownEventIds(ids: readonly string[]): Promise<Set<string>>;
  /** Deletes deliveries that are acknowledged AND older than `cutoff`, then events nobody needs. */
  prune(cutoff: number, maxRows: number): Promise<PruneResult>;
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;
  ping(): Promise<void>;
  /** Calls back when another process changed the store; returns an unsubscribe. */
  watch(onChange: (change: StoreChange) => void): () => void;
  /** fsyncs of its write-ahead log this process made (SQLite); PostgreSQL's own are in pg_stat_wal. */
  walSyncs?(): number;
  close(): Promise<void>;
};
