import type { StateFileHealth } from '../../emulator/stateSaver';
import { intervalJob } from '../core/jobs';
import type { RunResult } from '../core/jobs';
import type { Job } from '../core/module';
import type { Logger } from '../log';
import type { DemoStack } from './demoStack';

export const DEMO_EMULATOR_JOB = 'demo.emulator';

const WHY: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the disk is read-only',
  EACCES: 'Keydesk may not write there',
  EPERM: 'Keydesk may not write there',
  EIO: 'the disk reported an error',
};

/**
 * The sentence a manager reads in app.status about demo mode's Stripe (issue #10 item 2). A state
 * file that cannot be written loses nothing yet (the emulator keeps the payments in memory and
 * retries on its own), but they would be gone after a restart: hence degraded, not failed.
 */
export function stateFileReport(h: StateFileHealth): RunResult {
  if (h.ok) return { health: 'ok', detail: h.path ? 'Demo payments are saved in the data folder.' : 'Demo payments are kept in memory only.' };
  const code = h.lastError?.code ?? 'unknown';
  const why = WHY[code] ?? `the write failed (${code})`;
  return {
    health: 'degraded',
    detail: `Demo payments cannot be saved in the data folder: ${why}. They are kept until Keydesk closes and saving is retried by itself; free some disk space, and see the log.`,
  };
}

/**
 * `demo.emulator`: reads the embedded emulator's state-file health every `everyMs` (an in-process
 * read, no network) and logs each change between saving and not saving. `stack` is read on every
 * run because the stack starts after the job list is built.
 */
export function demoEmulatorJob(opts: { stack: () => DemoStack | null; log: Logger; everyMs?: number }): Job {
  let failing = false;
  return intervalJob({
    name: DEMO_EMULATOR_JOB,
    everyMs: opts.everyMs ?? 5_000,
    run: async () => {
      const stack = opts.stack();
      if (!stack) return { health: 'failed', detail: 'The built-in demo Stripe did not start, so demo payments cannot be taken; see the log.' };
      const h = stack.emulator.health().stateFile;
      if (!h.ok && !failing) opts.log.error('demo.state_file_failed', { code: h.lastError?.code ?? null, error: h.lastError?.message ?? null, failures: h.failures });
      if (h.ok && failing) opts.log.info('demo.state_file_recovered', {});
      failing = !h.ok;
      return stateFileReport(h);
    },
  });
}
