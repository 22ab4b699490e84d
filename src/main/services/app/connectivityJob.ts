import { intervalJob } from '../../core/jobs';
import type { Link, StripeLink } from '../../core/links';
import type { Job } from '../../core/module';
import { createStripeClient, pingStripe } from '../../stripe/gateway';

export const CONNECTIVITY_JOB = 'app.connectivity';

/**
 * Asks Stripe (or demo mode's emulator) a cheap question now and every `everyMs`: the title
 * bar's connection badge. Without a Stripe link it reports 'stopped' and says why.
 */
export function connectivityJob(deps: { stripe: () => Link<StripeLink>; demo: boolean; everyMs?: number }): Job {
  return intervalJob({
    name: CONNECTIVITY_JOB,
    everyMs: deps.everyMs ?? 15_000,
    unavailable: () => {
      // Not set up: nothing to probe. Set up but broken (demo stack down): the runs report it as failed.
      const link = deps.stripe();
      return link.ok || link.failed ? null : link.why;
    },
    run: async () => {
      const link = deps.stripe();
      if (!link.ok) return { health: link.failed ? 'failed' : 'stopped', detail: link.why };
      const online = await pingStripe(createStripeClient(link.value, { maxNetworkRetries: 0 }));
      if (online) return { health: 'ok', detail: deps.demo ? 'Stripe is reachable (demo emulator on this computer).' : 'Stripe is reachable.' };
      return { health: 'degraded', detail: 'Stripe cannot be reached; payments wait until it answers.' };
    },
  });
}
