import type { Db } from '../../db/connection';
import type { Link, RelayLink, StripeLink } from '../../core/links';
import type { Module } from '../../core/module';
import { createStripeEventApplier } from './stripeEventApplier';
import type { ApplierHooks } from './stripeEventApplier';
import { streamJob } from './streamJob';
import { backfillFromStripe, outageWatcher } from './stripeBackfill';

export { SYNC_STREAM_JOB } from './streamJob';
export { createStripeEventApplier } from './stripeEventApplier';
export { forgetPersonalInStripeEvents } from './forgetPersonal';
export type { ApplierHooks, StripeEventApplier } from './stripeEventApplier';
export type { RelayEvent, StreamStatus, SyncState } from './streamClient';

/** Stripe's events from the office relay: the stream, the parser and the applier, run as one job. */
export function createSyncModule(deps: {
  db: Db;
  installId: string;
  now: () => Date;
  relay: () => Link<RelayLink>;
  /** For the catch-up from Stripe's events list after a long relay outage; omitted → no catch-up. */
  stripe?: () => Link<StripeLink>;
  log: { warn(event: string, data?: Record<string, unknown>): void };
  onBookingsChanged: (ids: string[]) => void;
  /** The capabilities that own payment and refund rows apply Stripe's news about them (the only writers of those rows). */
  hooks: ApplierHooks;
}): Module {
  const applier = createStripeEventApplier(deps.db, deps.installId, deps.now, deps.hooks);
  let catchingUp: Promise<void> | null = null;
  let stopped = false;
  const catchUp = (sinceMs: number) => {
    const stripe = deps.stripe;
    if (!stripe || catchingUp || stopped) return;
    // Five minutes of overlap: events are deduped by id, a gap would be a lost refund.
    catchingUp = backfillFromStripe({ stripe: stripe(), applier, sinceSec: sinceMs / 1000 - 300 })
      .then((out) => {
        if (out.bookingIds.length > 0) deps.onBookingsChanged(out.bookingIds.slice(0, 1000));
      })
      .catch((err: unknown) => deps.log.warn('sync.backfill_failed', { error: err instanceof Error ? err.message : String(err) }))
      .finally(() => {
        catchingUp = null;
      });
  };
  const stream = streamJob({ relay: deps.relay, applier, log: deps.log, onBookingsChanged: deps.onBookingsChanged, onState: outageWatcher({ now: () => deps.now().getTime(), onLongOutageOver: catchUp }) });
  return {
    name: 'sync',
    handlers: {},
    jobs: [
      {
        ...stream,
        start: (report) => {
          stopped = false;
          return stream.start(report);
        },
        async stop() {
          stopped = true;
          await stream.stop();
          await catchingUp;
        },
      },
    ],
  };
}
