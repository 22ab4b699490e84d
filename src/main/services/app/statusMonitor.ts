import type { Status } from '../../../shared/contract/app';
import type { JobStatus } from '../../core/jobs';
import type { JobHealth } from '../../core/module';

/**
 * What the title bar's connectivity and sync badges show, derived from the job runner's
 * reports: the connectivity probe's health gives `online`, the sync stream's gives `sync`, and
 * every job is listed. Each real change is pushed to the renderer.
 */
export type StatusMonitor = {
  current(): Status;
  setJobs(jobs: readonly JobStatus[]): void;
};

const SYNC_BADGE: Record<JobHealth, Status['sync']> = { starting: 'connecting', ok: 'live', degraded: 'offline', failed: 'error', stopped: 'off' };
const ONLINE: Record<JobHealth, boolean | null> = { starting: null, ok: true, degraded: false, failed: false, stopped: null };

export function createStatusMonitor(opts: { connectivityJob: string; syncJob: string; onChange: (s: Status) => void }): StatusMonitor {
  let status: Status = { online: null, sync: 'off', detail: 'Starting…', checkedAt: null, jobs: [] };
  return {
    current: () => status,
    setJobs(jobs) {
      const conn = jobs.find((j) => j.name === opts.connectivityJob);
      const sync = jobs.find((j) => j.name === opts.syncJob);
      const next: Status = {
        online: conn ? ONLINE[conn.health] : null,
        sync: sync ? SYNC_BADGE[sync.health] : 'off',
        detail: [conn?.detail, sync?.detail].filter(Boolean).join(' '),
        checkedAt: conn && ONLINE[conn.health] !== null ? conn.since : null,
        jobs: jobs.map((j) => ({ ...j })),
      };
      if (JSON.stringify(next) === JSON.stringify(status)) return;
      status = next;
      opts.onChange(next);
    },
  };
}
