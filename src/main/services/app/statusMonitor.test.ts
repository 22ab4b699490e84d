import { describe, expect, it } from 'vitest';
import type { Status } from '../../../shared/contract/app';
import type { JobStatus } from '../../core/jobs';
import { createStatusMonitor } from './statusMonitor';

const job = (name: string, health: JobStatus['health'], detail: string, since: string): JobStatus => ({ name, health, detail, since });

describe('the title bar status', () => {
  it('shows a job in trouble in the tooltip, not only in app.status', () => {
    const pushed: Status[] = [];
    const m = createStatusMonitor({ connectivityJob: 'app.connectivity', syncJob: 'sync.stream', onChange: (s) => pushed.push(s) });
    m.setJobs([
      job('app.connectivity', 'ok', 'Stripe answers.', '2026-01-01T10:00:00.000Z'),
      job('sync.stream', 'ok', 'Live.', '2026-01-01T10:00:00.000Z'),
      job('demo.emulator', 'degraded', 'Demo payments cannot be saved: the disk is full.', '2026-01-01T10:00:01.000Z'),
      job('db.backup', 'ok', 'Backed up today.', '2026-01-01T10:00:00.000Z'),
    ]);
    expect(m.current().detail).toBe('Stripe answers. Live. Demo payments cannot be saved: the disk is full.');
    expect(m.current().online).toBe(true);
    expect(pushed).toHaveLength(1);
  });

  it('takes the newest word on being online: a failed send after the probe shows Offline, a later probe shows Online', () => {
    const m = createStatusMonitor({ connectivityJob: 'app.connectivity', syncJob: 'sync.stream', onChange: () => {} });
    m.setJobs([job('app.connectivity', 'ok', 'Stripe answers.', '2026-01-01T10:00:00.000Z')]);
    m.reportOnline(false, '2026-01-01T10:00:05.000Z');
    expect(m.current()).toMatchObject({ online: false, checkedAt: '2026-01-01T10:00:05.000Z' });
    m.setJobs([job('app.connectivity', 'degraded', 'Stripe cannot be reached.', '2026-01-01T10:00:06.000Z')]);
    m.setJobs([job('app.connectivity', 'ok', 'Stripe answers.', '2026-01-01T10:00:20.000Z')]);
    expect(m.current()).toMatchObject({ online: true, checkedAt: '2026-01-01T10:00:20.000Z' });
  });
});
