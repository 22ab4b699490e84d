import type { Link, RelayLink } from '../../core/links';
import type { Job, JobHealth } from '../../core/module';
import type { StripeEventApplier } from './stripeEventApplier';
import { createStreamClient } from './streamClient';
import type { StreamClient, StreamClientOptions, SyncState } from './streamClient';

export const SYNC_STREAM_JOB = 'sync.stream';

const HEALTH: Record<SyncState, JobHealth> = { off: 'stopped', connecting: 'starting', live: 'ok', offline: 'degraded', error: 'failed' };

const DETAIL: Record<SyncState, string> = {
  off: 'Live updates from Stripe are off.',
  connecting: 'Connecting to the office relay…',
  live: 'Receiving Stripe’s updates live.',
  offline: 'The office relay cannot be reached; updates will catch up when it returns.',
  error: 'The office relay refused this counter. Call the office.',
};

type Log = { warn(event: string, data?: Record<string, unknown>): void };

/**
 * Holds the office relay's stream open and applies Stripe's events (each batch in one
 * transaction with its cursor). Without a relay link it reports 'stopped' and says why.
 */
export function streamJob(deps: {
  relay: () => Link<RelayLink>;
  applier: StripeEventApplier;
  log: Log;
  onBookingsChanged: (ids: string[]) => void;
  client?: Partial<StreamClientOptions>;
  /** Every state change, for the catch-up after a long outage. */
  onState?: (state: SyncState) => void;
}): Job {
  let client: StreamClient | null = null;
  return {
    name: SYNC_STREAM_JOB,
    start(report) {
      const link = deps.relay();
      if (!link.ok) {
        report(link.failed ? 'failed' : 'stopped', link.why);
        return;
      }
      client = createStreamClient({
        baseUrl: link.value.url,
        token: link.value.token,
        apply: (batch, upToSeq) => {
          const out = deps.applier.apply('relay', batch, upToSeq);
          if (out.rejected > 0) deps.log.warn('sync.rejected_events', { rejected: out.rejected, upToSeq });
          // Committed: tell open screens which bookings Stripe's news changed.
          if (out.bookingIds.length > 0) deps.onBookingsChanged(out.bookingIds.slice(0, 1000));
        },
        loadCursor: () => deps.applier.cursor('relay'),
        onState: (s) => {
          report(HEALTH[s.state], DETAIL[s.state] + (s.error && s.state !== 'live' ? ` (${s.error})` : ''));
          deps.onState?.(s.state);
        },
        ...deps.client,
      });
      client.start();
    },
    async stop() {
      const c = client;
      client = null;
      await c?.stop();
    },
  };
}
