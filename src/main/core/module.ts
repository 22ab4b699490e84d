import type { JOB_HEALTHS } from '../../shared/contract/app';
import type { PartialHandlerTable } from './handlers';

/**
 * A background job owned by a capability: the sync stream, the connectivity probe, the outbox
 * worker, the reader poller, the hold-expiry sweep. The job runner starts and stops every job
 * in every mode and reports each one's health in `app.status`.
 */
export type Job = {
  /** Stable name shown in `app.status` (e.g. `sync.stream`, `outbox.worker`). */
  readonly name: string;
  /** Starts the job. It must not throw after returning: failures are reported through `health`. */
  start(report: JobReporter): void | Promise<void>;
  /** Stops the job and waits for work in flight; called once at shutdown. */
  stop(): void | Promise<void>;
};

/** 'starting' | 'ok' | 'degraded' | 'failed' | 'stopped', as `app.status` shows it. */
export type JobHealth = (typeof JOB_HEALTHS)[number];

/** How a job tells the runner how it is doing; `detail` is one sentence for a manager. */
export type JobReporter = (health: JobHealth, detail?: string) => void;

/**
 * One capability as `backend.ts` sees it: its rpc handlers and, where it has any, its jobs.
 * Capabilities use each other only through what their factory returns (its `api`), never
 * through another capability's files.
 */
export type Module<Api = unknown> = {
  readonly name: string;
  readonly handlers: PartialHandlerTable;
  readonly jobs?: readonly Job[];
  readonly api?: Api;
};

/** A module whose `api` other capabilities use (passed to their factories by `backend.ts`). */
export type ModuleWithApi<Api> = Module<Api> & { readonly api: Api };
