import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installLastResort } from './lastResort';
import { memoryLogger } from './log';
import { MAIN_ERRORS_JOB, createMainErrorTally, unexpectedErrorsSentence } from './mainErrors';
import { startMainApp } from './startApp';

describe('main.errors in app.status', () => {
  it('counts errors that escaped every handler, for a manager, across a restart of the jobs', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kd-main-errors-'));
    const proc = new EventEmitter();
    const tally = createMainErrorTally();
    const log = memoryLogger();
    const app = await startMainApp({ dataDir, dbPath: ':memory:', version: 'test', transport: 'http', log, mode: 'test', extraJobs: [tally.job] });
    const uninstall = installLastResort(proc, log, tally.record);
    const job = () => app.backend.status.current().jobs.find((j) => j.name === MAIN_ERRORS_JOB);
    try {
      expect(job()).toMatchObject({ health: 'ok', detail: 'No unexpected errors since start.' });
      proc.emit('uncaughtException', Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }), 'uncaughtException');
      expect(job()).toMatchObject({ health: 'degraded', detail: '1 unexpected error since start; see the log.' });
      proc.emit('unhandledRejection', new Error('background write failed'));
      expect(job()).toMatchObject({ health: 'degraded', detail: '2 unexpected errors since start; see the log.' });
      expect(log.records.filter((r) => r.level === 'error').map((r) => r.event)).toEqual(['main.uncaught_exception', 'main.unhandled_rejection']);
      // The call path still answers.
      expect((await app.backend.call(app.backend.session.context('internal'), 'app.status', {})).ok).toBe(true);
      // A mode switch stops and restarts the jobs: the count since the process started stays.
      await app.backend.jobs.stop();
      proc.emit('uncaughtException', new Error('while stopped'), 'uncaughtException');
      await app.backend.jobs.start();
      expect(job()).toMatchObject({ health: 'degraded', detail: '3 unexpected errors since start; see the log.' });
    } finally {
      uninstall();
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
    expect(tally.count).toBe(3);
  });

  it('says one error, or many', () => {
    expect(unexpectedErrorsSentence(0)).toBe('No unexpected errors since start.');
    expect(unexpectedErrorsSentence(1)).toBe('1 unexpected error since start; see the log.');
    expect(unexpectedErrorsSentence(20)).toBe('20 unexpected errors since start; see the log.');
  });
});
