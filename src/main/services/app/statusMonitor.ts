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
  /**
   * What a job that talks to Stripe just learned (the outbox's own results): online or not, now.
   * The newest word wins, so a failed refund send shows Offline before the next probe.
   */
  reportOnline(online: boolean, at: string): void;
};

const SYNC_BADGE: Record<JobHealth, Status['sync']> = { starting: 'connecting', ok: 'live', degraded: 'offline', failed: 'error', stopped: 'off' };
const ONLINE: Record<JobHealth, boolean | null> = { starting: null, ok: true, degraded: false, failed: false, stopped: null };

export function createStatusMonitor(opts: { connectivityJob: string; syncJob: string; onChange: (s: Status) => void }): StatusMonitor {
  let status: Status = { online: null, sync: 'off', detail: 'Starting…', checkedAt: null, jobs: [] };
  let lastJobs: readonly JobStatus[] = [];
  let heard: { online: boolean; at: string } | null = null;
  const publish = () => {
    const conn = lastJobs.find((j) => j.name === opts.connectivityJob);
    const sync = lastJobs.find((j) => j.name === opts.syncJob);
    let online = conn ? ONLINE[conn.health] : null;
    let checkedAt = conn && online !== null ? conn.since : null;
    if (heard && (checkedAt === null || heard.at > checkedAt)) {
      online = heard.online;
      checkedAt = heard.at;
    }
    const next: Status = {
      online,
      sync: sync ? SYNC_BADGE[sync.health] : 'off',
      detail: [conn?.detail, sync?.detail].filter(Boolean).join(' '),
      checkedAt,
      jobs: lastJobs.map((j) => ({ ...j })),
    };
    if (JSON.stringify(next) === JSON.stringify(status)) return;
    status = next;
    opts.onChange(next);
  };
  return {
    current: () => status,
    setJobs(jobs) {
      lastJobs = jobs;
      publish();
    },
    reportOnline(online, at) {
      heard = { online, at };
      publish();
    },
  };
}
