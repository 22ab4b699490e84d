import type { Db } from '../../db/connection';
import type { Link, RelayLink } from '../../core/links';
import type { Module } from '../../core/module';
import { createStripeEventApplier } from './stripeEventApplier';
import type { ApplierHooks } from './stripeEventApplier';
import { streamJob } from './streamJob';

export { SYNC_STREAM_JOB } from './streamJob';
export { createStripeEventApplier } from './stripeEventApplier';
export type { ApplierHooks, StripeEventApplier } from './stripeEventApplier';
export type { RelayEvent, StreamStatus, SyncState } from './streamClient';

/** Stripe's events from the office relay: the stream, the parser and the applier, run as one job. */
export function createSyncModule(deps: {
  db: Db;
  installId: string;
  now: () => Date;
  relay: () => Link<RelayLink>;
  log: { warn(event: string, data?: Record<string, unknown>): void };
  onBookingsChanged: (ids: string[]) => void;
  /** The capabilities that own payment and refund rows apply Stripe's news about them. */
  hooks?: ApplierHooks;
}): Module {
  const applier = createStripeEventApplier(deps.db, deps.installId, deps.now, deps.hooks);
  return {
    name: 'sync',
    handlers: {},
    jobs: [streamJob({ relay: deps.relay, applier, log: deps.log, onBookingsChanged: deps.onBookingsChanged })],
  };
}
