import type { Job, JobHealth } from './module';

/** One job's line in `app.status`: its health, one sentence for a manager, and when it last changed. */
export type JobStatus = { name: string; health: JobHealth; detail: string; since: string };

export type JobRunner = {
  /** Starts every job in list order; a job that fails to start is reported, the others still start. */
  start(): Promise<void>;
  /** Stops every job in reverse order, waiting for each one's work in flight. Safe to call twice. */
  stop(): Promise<void>;
  snapshot(): JobStatus[];
  readonly running: boolean;
};

type Log = { warn(event: string, data?: Record<string, unknown>): void; error(event: string, data?: Record<string, unknown>): void };

const NOT_STARTED = 'Not started.';

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The one place background work is started, stopped and reported, in every mode. A job that
 * throws (on start, on stop, or by reporting nonsense) is marked failed and logged; it never
 * takes main down and never stops the other jobs.
 */
export function createJobRunner(opts: { jobs: readonly Job[]; log: Log; now?: () => Date; onChange?: (jobs: JobStatus[]) => void }): JobRunner {
  const now = opts.now ?? (() => new Date());
  const names = new Set<string>();
  for (const job of opts.jobs) {
    if (names.has(job.name)) throw new Error(`Two background jobs named ${job.name}`);
    names.add(job.name);
  }
  const state = new Map<string, JobStatus>(opts.jobs.map((j) => [j.name, { name: j.name, health: 'stopped', detail: NOT_STARTED, since: now().toISOString() }]));
  // A job may report only while it runs: a late report from a stopped job is dropped.
  const live = new Set<string>();
  let running = false;
  let stopping: Promise<void> | null = null;

  const snapshot = () => opts.jobs.map((j) => ({ ...state.get(j.name)! }));

  function set(name: string, health: JobHealth, detail: string): void {
    const prev = state.get(name)!;
    if (prev.health === health && prev.detail === detail) return;
    state.set(name, { name, health, detail, since: now().toISOString() });
    try {
      opts.onChange?.(snapshot());
    } catch (err) {
      opts.log.error('jobs.on_change_failed', { error: messageOf(err) });
    }
  }

  async function start(): Promise<void> {
    if (running) return;
    running = true;
    for (const job of opts.jobs) {
      live.add(job.name);
      set(job.name, 'starting', 'Starting…');
      const report = (health: JobHealth, detail?: string) => {
        if (live.has(job.name)) set(job.name, health, detail ?? '');
      };
      try {
        await job.start(report);
      } catch (err) {
        live.delete(job.name);
        opts.log.error('jobs.start_failed', { job: job.name, error: messageOf(err) });
        set(job.name, 'failed', `Could not start: ${messageOf(err)}. See the log.`);
      }
    }
  }

  async function stopAll(): Promise<void> {
    for (const job of [...opts.jobs].reverse()) {
      if (!live.has(job.name)) continue;
      live.delete(job.name);
      try {
        await job.stop();
        set(job.name, 'stopped', 'Stopped.');
      } catch (err) {
        opts.log.error('jobs.stop_failed', { job: job.name, error: messageOf(err) });
        set(job.name, 'failed', `Did not stop cleanly: ${messageOf(err)}. See the log.`);
      }
    }
    running = false;
  }

  return {
    start,
    stop() {
      stopping ??= stopAll().finally(() => {
        stopping = null;
      });
      return stopping;
    },
    snapshot,
    get running() {
      return running;
    },
  };
}

/** What one run of a periodic job found. */
export type RunResult = { health: JobHealth; detail: string };

/**
 * A job that does one bounded piece of work now and then every `everyMs` (probe, sweep, poller).
 * Runs never overlap; a run that throws reports `failed` with the reason and the next run still
 * comes; `stop` cancels the next run and waits for the one in flight. `start` waits for the
 * first run, so the first status is known when the app opens.
 */
export function intervalJob(opts: {
  name: string;
  everyMs: number;
  run: () => Promise<RunResult>;
  /** Set when the job cannot run at all in this configuration: it reports 'stopped' with this sentence. */
  unavailable?: () => string | null;
}): Job {
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> | null = null;
  let stopped = false;

  return {
    name: opts.name,
    async start(report) {
      stopped = false;
      const why = opts.unavailable?.() ?? null;
      if (why !== null) {
        report('stopped', why);
        return;
      }
      const tick = async () => {
        try {
          const r = await opts.run();
          if (!stopped) report(r.health, r.detail);
        } catch (err) {
          if (!stopped) report('failed', `Stopped by an error: ${messageOf(err)}.`);
        }
      };
      const loop = () => {
        inFlight = tick().finally(() => {
          inFlight = null;
          if (stopped) return;
          timer = setTimeout(loop, opts.everyMs);
          timer.unref();
        });
        return inFlight;
      };
      await loop();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await inFlight;
    },
  };
}
