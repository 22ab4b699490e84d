import type { Link, StripeLink } from '../../core/links';
import { createStripeClient } from '../../stripe/gateway';
import type { StripeEventApplier } from './stripeEventApplier';
import type { SyncState } from './streamTypes';

/** Stream name under which backfilled events are recorded; its cursor is the newest event's `created` (seconds). */
export const BACKFILL_STREAM = 'stripe-backfill';

/** Longer than this without the relay and the counter asks Stripe itself for what it missed. */
export const LONG_OUTAGE_MS = 10 * 60 * 1000;

/**
 * Catches up from Stripe's own events list (`GET /v1/events`, newest first, 30 days kept):
 * everything created since `sinceSec`, applied oldest first through the same applier as the
 * relay's stream, so an event seen both ways counts once (deduped by event id).
 */
export async function backfillFromStripe(deps: {
  stripe: Link<StripeLink>;
  applier: StripeEventApplier;
  sinceSec: number;
  maxEvents?: number;
}): Promise<{ fetched: number; applied: number; bookingIds: string[] }> {
  if (!deps.stripe.ok) return { fetched: 0, applied: 0, bookingIds: [] };
  const client = createStripeClient(deps.stripe.value, { maxNetworkRetries: 2 });
  const events: { id: string; created: number }[] = [];
  const max = deps.maxEvents ?? 10_000;
  for await (const e of client.events.list({ created: { gte: Math.floor(deps.sinceSec) }, limit: 100 })) {
    events.push(e as unknown as { id: string; created: number });
    if (events.length >= max) break;
  }
  events.sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
  if (events.length === 0) return { fetched: 0, applied: 0, bookingIds: [] };
  const out = deps.applier.apply(
    BACKFILL_STREAM,
    events.map((event) => ({ seq: event.created, event })),
    events.at(-1)?.created,
    'backfill',
  );
  return { fetched: events.length, applied: out.applied, bookingIds: out.bookingIds };
}

/**
 * Watches the stream's states: when the relay comes back after an outage longer than
 * `longOutageMs`, calls `onLongOutageOver` with when the outage began.
 */
export function outageWatcher(deps: { now: () => number; longOutageMs?: number; onLongOutageOver: (sinceMs: number) => void }): (state: SyncState) => void {
  let downSince: number | null = null;
  return (state) => {
    if (state === 'offline' || state === 'error') {
      downSince ??= deps.now();
      return;
    }
    if (state === 'live' && downSince !== null) {
      const since = downSince;
      downSince = null;
      if (deps.now() - since >= (deps.longOutageMs ?? LONG_OUTAGE_MS)) deps.onLongOutageOver(since);
    }
  };
}
