import { createStripeGateway } from '../../stripe/stripeGateway';
import type { StripeGateway } from '../../stripe/stripeGateway';
import type { StripeEndpoint } from '../../stripe/gateway';
import type { QueueStatus } from '../../../shared/contract/refunds';
import type { PartialHandlerTable } from '../../core/handlers';
import type { Module } from '../../core/module';
import type { BackoffOptions } from '../../core/backoff';
import type { Db } from '../../db/connection';
import { createOutbox } from '../../outbox/outbox';
import type { Outbox } from '../../outbox/outbox';
import { refundOutboxKind } from './refundOutboxKind';
import { createRefundsRepo } from './refundsRepo';
import { createRefundsService } from './refundsService';
import type { Approver, RefundsService } from './refundsService';
import { createPendingRefundPoller } from './pendingRefunds';
import type { PendingPollOptions } from './pendingRefunds';
import { applyStripeRefund } from './stripeRefundSync';

export type RefundsApi = {
  service: RefundsService;
  outbox: Outbox;
  /** Hands the module the counter's Stripe endpoint (demo: the emulator) once main has one; null disconnects. */
  connect(endpoint: StripeEndpoint | null): void;
  /** For the relay applier: applies a Stripe refund object idempotently; returns the local refund id. */
  applyStripeRefund(refund: Record<string, unknown>, via: string): string | null;
  /** Asks Stripe about refunds it answered pending (the `refunds.pending` job's pass; `all` ignores the backoff). */
  pollPending(all?: boolean): Promise<{ checked: number; settled: number; failed: number }>;
};

export type RefundsModuleDeps = {
  db: Db;
  installId: string;
  now: () => Date;
  staff: Approver;
  timeZone: () => string;
  locale: () => string;
  /** Pushes queue and refund changes to the renderer (title bar, refunds screen). */
  emit: (queue: QueueStatus, ids: string[]) => void;
  /** The title bar's online badge follows the outbox's own results. */
  setOnline?: (online: boolean) => void;
  outbox?: { perSecond?: number; concurrency?: number; backoff?: BackoffOptions; ratePause?: BackoffOptions; probeEveryMs?: number };
  /** The pending-refund poll's pace (tests shorten it). */
  pending?: PendingPollOptions;
};

export function createRefundsModule(deps: RefundsModuleDeps): Module<RefundsApi> & { api: RefundsApi } {
  const { db, installId, now } = deps;
  const repo = createRefundsRepo(db);
  let client: StripeGateway | null = null;
  let outbox: Outbox | null = null;
  const onChange = (ids: string[]) => {
    if (outbox) deps.emit(outbox.summary(), ids.slice(0, 1000));
  };
  outbox = createOutbox({
    db,
    installId,
    now,
    client: () => client,
    kinds: [refundOutboxKind({ db, installId, repo, now, onChange })],
    ...deps.outbox,
    onChange: (s) => {
      if (s.online !== null) deps.setOnline?.(s.online);
      deps.emit(s, []);
    },
  });
  const service = createRefundsService({ db, installId, now, repo, outbox, staff: deps.staff, timeZone: deps.timeZone, locale: deps.locale, client: () => client, onChange });
  const ob = outbox;
  const pending = createPendingRefundPoller({ db, installId, repo, now, client: () => client, onChange }, deps.pending);

  const handlers: PartialHandlerTable = {
    'refunds.options': (input) => service.options(input.bookingId),
    'refunds.create': (input, ctx) => service.create(input, ctx),
    'refunds.cancel': (input, ctx) => service.cancel(input.refundId, ctx),
    'refunds.retry': (input, ctx) => service.retry(input.refundId, ctx),
    'refunds.get': (input) => service.get(input.refundId),
    'refunds.list': (input) => ({ refunds: service.list(input.filter, input.limit), queue: ob.summary() }),
    'refunds.queueStatus': () => ob.summary(),
    'refunds.policy': () => service.policy(),
    'refunds.setPolicy': (input, ctx) => service.setPolicy(input, ctx),
  };

  return {
    name: 'refunds',
    handlers,
    jobs: [ob.job, pending.job],
    api: {
      service,
      outbox: ob,
      connect(endpoint) {
        // The outbox owns retrying (it must survive restarts), so the gateway makes one try per call.
        client = endpoint ? createStripeGateway(endpoint, { retries: 0, timeoutMs: 10_000 }) : null;
        ob.wake();
      },
      applyStripeRefund: (refund, via) => applyStripeRefund({ db, installId, repo, now }, refund, via),
      pollPending: (all) => pending.poll(all),
    },
  };
}
