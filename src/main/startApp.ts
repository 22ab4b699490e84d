import { createBackend } from './backend';
import type { Backend, BackendOptions } from './backend';
import { startDemoStack } from './demo/demoStack';
import type { DemoStack } from './demo/demoStack';
import { createStripeEventApplier } from './services/sync/stripeEventApplier';
import { createStripeClient, pingStripe } from './stripe/gateway';
import { createStreamClient } from './sync/streamClient';
import type { StreamClient, StreamStatus } from './sync/streamClient';

export type MainApp = {
  backend: Backend;
  demo: DemoStack | null;
  sync: StreamClient | null;
  close(): Promise<void>;
};

const SYNC_DETAIL: Record<StreamStatus['state'], string> = {
  off: 'Live updates from Stripe are off.',
  connecting: 'Connecting to the office relay…',
  live: 'Receiving Stripe’s updates live.',
  offline: 'The office relay cannot be reached; updates will catch up when it returns.',
  error: 'The office relay refused this counter. Call the office.',
};

/**
 * Starts main's services for either transport: the backend, and in demo mode the embedded
 * emulator and relay with the sync client streaming from it, plus the connectivity probe that
 * drives the title bar's badges.
 */
export async function startMainApp(opts: BackendOptions & { probeEveryMs?: number }): Promise<MainApp> {
  const backend = createBackend(opts);
  const { log, status } = backend;
  const mode = backend.info().mode;
  let demo: DemoStack | null = null;
  let sync: StreamClient | null = null;
  let probe: NodeJS.Timeout | null = null;
  let connDetail = '';
  let syncDetail = SYNC_DETAIL.off;
  const detail = () => [connDetail, syncDetail].filter(Boolean).join(' ');

  if (mode === 'demo') {
    try {
      demo = await startDemoStack({ dataDir: opts.dataDir, installId: backend.info().installId, log });
    } catch (err) {
      log.error('demo.stack_failed', { error: err instanceof Error ? err.message : String(err) });
      connDetail = 'The built-in demo Stripe could not start; see the log.';
      status.update({ online: false, checkedAt: new Date().toISOString(), detail: detail() });
    }
  }

  // Payments: the key from one place (demo: the emulator's), then reconcile unfinished payments.
  if (demo) backend.stripe.set(demo.stripe);
  const paymentJobs = backend.payments.jobs ?? [];
  for (const job of paymentJobs) void job.start((health, detail) => log.info('job.health', { job: job.name, health, detail }));
  // Refunds: the outbox worker sends queued refunds whenever Stripe answers (in every mode).
  if (demo) backend.refunds.connect(demo.stripe);
  for (const job of backend.refunds.jobs) void job.start((health, detail) => log.info('job.health', { job: job.name, health, detail }));
  // Deposits: the hold-expiry sweep (and pay links), started like the outbox worker until main's job runner lands.
  const depositJobs = backend.deposits.jobs ?? [];
  for (const job of depositJobs) void job.start((health, detail) => log.info('job.health', { job: job.name, health, detail }));

  if (demo) {
    const client = createStripeClient(demo.stripe, { maxNetworkRetries: 0 });
    const check = async () => {
      const online = await pingStripe(client);
      connDetail = online ? 'Stripe is reachable (demo emulator on this computer).' : 'Stripe cannot be reached.';
      status.update({ online, checkedAt: new Date().toISOString(), detail: detail() });
    };
    await check();
    probe = setInterval(() => void check(), opts.probeEveryMs ?? 15_000);
    probe.unref();

    const applier = createStripeEventApplier(backend.db, backend.info().installId, undefined, {
      refund: backend.refunds.applyStripeRefund,
      // A deposit hold's PaymentIntent and a pay link's Checkout Session are the deposits capability's.
      payment: (type, obj) => backend.deposits.api.applyStripeEvent(type, obj) ?? backend.payments.api.applyStripeEvent(type, obj),
    });
    sync = createStreamClient({
      baseUrl: demo.relayUrl,
      token: demo.relayToken,
      apply: (batch, upToSeq) => {
        const out = applier.apply('relay', batch, upToSeq);
        if (out.rejected > 0) log.warn('sync.rejected_events', { rejected: out.rejected, upToSeq });
        // Committed: tell open screens which bookings Stripe's news changed.
        if (out.bookingIds.length > 0) backend.events.emit('bookings.changed', { ids: out.bookingIds.slice(0, 1000) });
      },
      loadCursor: () => applier.cursor('relay'),
      onState: (s) => {
        syncDetail = SYNC_DETAIL[s.state] + (s.error && s.state !== 'live' ? ` (${s.error})` : '');
        status.update({ sync: s.state, detail: detail() });
      },
    });
    sync.start();
  }

  return {
    backend,
    demo,
    sync,
    async close() {
      if (probe) clearInterval(probe);
      for (const job of paymentJobs) await job.stop();
      for (const job of backend.refunds.jobs) await job.stop();
      for (const job of depositJobs) await job.stop();
      await sync?.stop();
      await demo?.close();
      backend.close();
    },
  };
}
