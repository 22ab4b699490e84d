import { backoffDelay } from '../../core/backoff';
import type { BackoffOptions } from '../../core/backoff';
import type { Job } from '../../core/module';
import type { StripeGateway } from '../../stripe/stripeGateway';
import { applyStripeRefund } from './stripeRefundSync';
import type { SyncDeps } from './stripeRefundSync';

/**
 * Refunds Stripe answered `pending` (or `requires_action`) move on through the relay's
 * `refund.updated`; with the relay down they would wait forever. This job asks Stripe about
 * each one itself, with a backoff per refund (a bank can take days, so the gap grows to the
 * cap and stays there), and applies the answer through `applyStripeRefund`, the one writer of
 * refund rows: succeeded, failed (with Stripe's reason, money counted as not given back) or
 * canceled, once. The gaps live in memory: after a restart every pending refund is asked at once.
 */

export type PendingPollOptions = {
  /** How often the job looks for refunds that are due a look. Default 30 s. */
  tickMs?: number;
  /** The gap before asking Stripe again about one refund. Default 1 min doubling to 1 h. */
  backoff?: BackoffOptions;
};

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 60_000, maxMs: 3_600_000, factor: 2 };

export function createPendingRefundPoller(deps: SyncDeps & { client: () => StripeGateway | null; onChange: (ids: string[]) => void }, opts: PendingPollOptions = {}) {
  const backoff = opts.backoff ?? DEFAULT_BACKOFF;
  const tickMs = opts.tickMs ?? 30_000;
  /** Refund id → how often Stripe was asked and when it may be asked again (ms since epoch, the shop's clock). */
  const asked = new Map<string, { tries: number; nextAt: number }>();
  let running: Promise<PollResult> | null = null;

  type PollResult = { checked: number; settled: number; failed: number };

  /** One pass over the pending refunds that are due; `all` ignores the gaps (reconcile on demand). */
  function poll(all = false): Promise<PollResult> {
    // One pass at a time: the timer and a manual call must not ask Stripe twice for the same refund.
    running ??= pass(all).finally(() => {
      running = null;
    });
    return running;
  }

  async function pass(all: boolean): Promise<PollResult> {
    const out: PollResult = { checked: 0, settled: 0, failed: 0 };
    const client = deps.client();
    if (!client) return out;
    const pending = deps.repo.pendingAtStripe(deps.installId);
    const live = new Set(pending.map((r) => r.id));
    for (const id of asked.keys()) if (!live.has(id)) asked.delete(id);
    const now = deps.now().getTime();
    for (const r of pending) {
      const seen = asked.get(r.id);
      if (!all && seen && seen.nextAt > now) continue;
      out.checked++;
      const tries = (seen?.tries ?? 0) + 1;
      asked.set(r.id, { tries, nextAt: now + backoffDelay(tries, backoff) });
      try {
        const refund = await client.refunds.retrieve(r.stripe_refund_id as string);
        const touched = deps.db.transaction(() => applyStripeRefund(deps, refund as unknown as Record<string, unknown>, 'poll'))();
        const after = touched ? deps.repo.get(touched) : undefined;
        if (after && after.status !== 'pending') {
          out.settled++;
          asked.delete(r.id);
          deps.onChange([after.id]);
        }
      } catch {
        // Stripe unreachable or the refund unknown to it: asked again after the gap.
        out.failed++;
      }
    }
    return out;
  }

  let timer: NodeJS.Timeout | null = null;
  const job: Job = {
    name: 'refunds.pending',
    start(report) {
      const run = async () => {
        const out = await poll();
        const waiting = deps.repo.pendingAtStripe(deps.installId).length;
        if (out.failed > 0) report('degraded', `${out.failed} refund(s) pending at Stripe could not be checked; asking again later.`);
        else report('ok', waiting > 0 ? `${waiting} refund(s) pending at Stripe; checked with a growing gap.` : undefined);
      };
      const safe = () => run().catch((err: unknown) => report('degraded', `Refunds pending at Stripe could not be checked: ${err instanceof Error ? err.message : String(err)}`));
      void safe();
      timer = setInterval(() => void safe(), tickMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };

  return { poll, job };
}

export type PendingRefundPoller = ReturnType<typeof createPendingRefundPoller>;
