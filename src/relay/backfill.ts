import type Stripe from 'stripe';
import type { RelayLogger } from './log';
import { routeHints } from './route';
import type { IncomingEvent, IngestResult, RelayStore } from './store/types';

export type BackfillResult = { listed: number; stored: number; duplicates: number; truncated: boolean; from: number; to: number | null };

export type BackfillDeps = {
  stripe: Stripe;
  store: RelayStore;
  /** The relay's group-commit queue, so backfilled events are routed and deduped like webhooks. */
  ingest: (event: IncomingEvent) => Promise<IngestResult>;
  logger: RelayLogger;
  now?: () => number;
  /** First run with no cursor looks back this far (Stripe retries webhooks for 3 days). */
  initialWindowSec?: number;
  /** Re-list this much before the cursor: an event can appear in the list a little after its `created`. */
  overlapSec?: number;
  /** Bound per run; the next run continues where this one stopped. */
  maxEvents?: number;
};

const CURSOR = 'backfill.cursor'; // unix s: everything created before it has been listed
const UPPER = 'backfill.upper'; // unix s: a truncated run's oldest seen `created`, to continue below it
const PENDING = 'backfill.pending'; // unix s: start of the truncated run, becomes the cursor when caught up

/** Stripe lists events of the last 30 days only. */
const STRIPE_EVENT_WINDOW_SEC = 30 * 86_400;

/**
 * Lists Stripe events created since the cursor (newest first, paginated) and stores the ones
 * the relay has not seen, oldest first, so a PaymentIntent's events can teach routing before
 * its refunds arrive. Webhooks missed while the relay was down, or still being retried by
 * Stripe, arrive this way; duplicates are dropped by the store.
 */
export async function runBackfill(d: BackfillDeps): Promise<BackfillResult> {
  const now = d.now ?? Date.now;
  const startedSec = Math.floor(now() / 1000);
  const overlap = d.overlapSec ?? 600;
  const maxEvents = d.maxEvents ?? 5000;
  const cursorText = await d.store.getMeta(CURSOR);
  const upperText = await d.store.getMeta(UPPER);
  const floor = startedSec - STRIPE_EVENT_WINDOW_SEC + 60;
  const from = Math.max(floor, cursorText ? Number(cursorText) : startedSec - (d.initialWindowSec ?? 3 * 86_400));
  const upper = upperText ? Number(upperText) : null;

  const created: Stripe.RangeQueryParam = upper === null ? { gte: from } : { gte: from, lte: upper };
  const seen: Stripe.Event[] = [];
  let truncated = false;
  for await (const ev of d.stripe.events.list({ created, limit: 100 })) {
    if (seen.length >= maxEvents) {
      truncated = true;
      break;
    }
    seen.push(ev);
  }
  // Newest first from Stripe; store oldest first (stable for equal `created`).
  const chronological = seen.map((ev, i) => ({ ev, i })).sort((a, b) => a.ev.created - b.ev.created || b.i - a.i);
  const known = await d.store.knownEventIds(seen.map((e) => e.id));
  const missing = chronological.filter(({ ev }) => !known.has(ev.id));
  const results = await Promise.all(
    missing.map(({ ev }) =>
      d.ingest({ id: ev.id, type: ev.type, created: ev.created, payload: JSON.stringify(ev), signature: null, hints: routeHints(ev), source: 'backfill' }),
    ),
  );
  const stored = results.filter((r) => !r.duplicate).length;

  let to: number | null = null;
  if (truncated) {
    // Continue below the oldest event we saw; the cursor moves only once the gap is closed.
    const oldest = chronological[0]?.ev.created ?? from;
    await d.store.setMeta(UPPER, String(oldest));
    if (upper === null) await d.store.setMeta(PENDING, String(startedSec));
  } else {
    const pending = await d.store.getMeta(PENDING);
    const reached = (pending ? Number(pending) : startedSec) - overlap;
    to = Math.max(from, reached);
    await d.store.setMeta(CURSOR, String(to));
    if (upper !== null) await d.store.setMeta(UPPER, '');
    if (pending) await d.store.setMeta(PENDING, '');
  }
  d.logger.info('relay.backfill.done', { listed: seen.length, stored, duplicates: results.length - stored, truncated, from, to });
  return { listed: seen.length, stored, duplicates: seen.length - stored, truncated, from, to };
}
