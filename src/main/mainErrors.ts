import type { Job, JobReporter } from './core/module';

export const MAIN_ERRORS_JOB = 'main.errors';

/** The sentence a manager reads in app.status for `count` errors that escaped every handler. */
export function unexpectedErrorsSentence(count: number): string {
  if (count === 0) return 'No unexpected errors since start.';
  return `${count} unexpected ${count === 1 ? 'error' : 'errors'} since start; see the log.`;
}

export type MainErrorTally = {
  /** Called by the last-resort handler for each error that escaped (see lastResort.ts). */
  record(summary: string): void;
  readonly count: number;
  /** `main.errors` in app.status: ok while there are none, degraded with the count after. */
  readonly job: Job;
};

/**
 * Counts main's unexpected errors for the whole process. The count outlives a mode switch (the
 * job is stopped and started again with the new mode's runner and shows the count so far); the
 * details are in the log, where the last-resort handler wrote them.
 */
export function createMainErrorTally(): MainErrorTally {
  let count = 0;
  let report: JobReporter | null = null;
  const show = () => report?.(count === 0 ? 'ok' : 'degraded', unexpectedErrorsSentence(count));
  return {
    record() {
      count++;
      show();
    },
    get count() {
      return count;
    },
    job: {
      name: MAIN_ERRORS_JOB,
      start(r) {
        report = r;
        show();
      },
      stop() {
        report = null;
      },
    },
  };
}
