import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeSnapshotIo } from '../../emulator/persist';
import type { SnapshotIo } from '../../emulator/persist';
import { memoryLogger } from '../log';
import { startMainApp } from '../startApp';
import { createStripeClient } from '../stripe/gateway';
import { DEMO_EMULATOR_JOB, stateFileReport } from './emulatorJob';

const root = mkdtempSync(join(tmpdir(), 'kd-demo-job-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A disk that fills up on demand (as in the emulator's own state-file tests). */
function faultyDisk(): SnapshotIo & { full: boolean } {
  const io = {
    full: false,
    writeFile(path: string, data: string, mode: number) {
      if (!io.full) return nodeSnapshotIo.writeFile(path, data, mode);
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    },
    rename: nodeSnapshotIo.rename,
  };
  return io;
}

describe('demo.emulator in app.status (issue #10 item 2)', () => {
  it('is degraded with a sentence while the state file cannot be written, logged once, and ok again after the retry', async () => {
    const dataDir = join(root, 'full-disk');
    const io = faultyDisk();
    const log = memoryLogger();
    const app = await startMainApp({ dataDir, dbPath: ':memory:', version: 'test', transport: 'http', log, demoSeed: { full: false }, demoEmulator: { stateIo: io, saveRetryDelaysMs: [30] }, demoJobEveryMs: 20 });
    const job = () => app.backend.status.current().jobs.find((j) => j.name === DEMO_EMULATOR_JOB);
    try {
      expect(job()?.health).toBe('ok');
      expect(job()?.detail).toBe('Demo payments are saved in the data folder.');
      const stripe = createStripeClient(app.demo!.stripe, { maxNetworkRetries: 0 });
      io.full = true;
      await stripe.customers.create({ name: 'While the disk is full' });
      await until(() => job()?.health === 'degraded', 'demo.emulator degraded');
      expect(job()!.detail).toBe('Demo payments cannot be saved in the data folder: the disk is full. They are kept until Keydesk closes and saving is retried by itself; free some disk space, and see the log.');
      // The till keeps working against the emulator meanwhile.
      expect((await stripe.customers.create({ name: 'Still answering' })).name).toBe('Still answering');
      // Wait for more failed retries: still one log record for the whole episode.
      await until(() => app.demo!.emulator.health().stateFile.failures >= 3, 'several failed retries');
      await until(() => log.records.filter((r) => r.event === 'demo.state_file_failed').length >= 1, 'the log record');
      expect(log.records.filter((r) => r.event === 'demo.state_file_failed')).toHaveLength(1);
      expect(log.records.find((r) => r.event === 'demo.state_file_failed')!.data).toMatchObject({ code: 'ENOSPC' });
      io.full = false;
      await until(() => job()?.health === 'ok', 'demo.emulator ok again');
      await until(() => log.records.some((r) => r.event === 'demo.state_file_recovered'), 'the recovery record');
    } finally {
      await app.close();
    }
  });

  it('is not there in test mode, and failed with a reason when the demo stack did not start', async () => {
    const test = await startMainApp({ dataDir: join(root, 'test-mode'), dbPath: ':memory:', version: 'test', transport: 'http', log: memoryLogger(), mode: 'test' });
    try {
      expect(test.backend.status.current().jobs.map((j) => j.name)).not.toContain(DEMO_EMULATOR_JOB);
    } finally {
      await test.close();
    }
    const notAFolder = join(root, 'not-a-folder');
    writeFileSync(notAFolder, 'x');
    const broken = await startMainApp({ dataDir: notAFolder, dbPath: ':memory:', version: 'test', transport: 'http', log: memoryLogger(), demoSeed: { full: false } });
    try {
      expect(broken.backend.status.current().jobs.find((j) => j.name === DEMO_EMULATOR_JOB)).toMatchObject({ health: 'failed', detail: expect.stringMatching(/demo Stripe did not start/) });
    } finally {
      await broken.close();
    }
  });

  it('makes demo/ this user only, narrowing a folder made wider before', async () => {
    const dataDir = join(root, 'perms');
    mkdirSync(join(dataDir, 'demo'), { recursive: true, mode: 0o755 });
    const app = await startMainApp({ dataDir, dbPath: ':memory:', version: 'test', transport: 'http', log: memoryLogger(), demoSeed: { full: false } });
    try {
      expect(statSync(join(dataDir, 'demo')).mode & 0o777).toBe(0o700);
    } finally {
      await app.close();
    }
  });
});

describe('stateFileReport', () => {
  const base = { path: '/x/stripe-emulator.json', ok: false, lastSavedAt: null, failures: 1, nextAttemptAt: null };
  it('names the cause a manager can act on', () => {
    expect(stateFileReport({ ...base, lastError: { code: 'EACCES', message: 'x', at: 0 } }).detail).toMatch(/may not write there/);
    expect(stateFileReport({ ...base, lastError: { code: 'EWHATEVER', message: 'x', at: 0 } }).detail).toMatch(/the write failed \(EWHATEVER\)/);
    expect(stateFileReport({ ...base, path: null, ok: true, failures: 0, lastError: null })).toEqual({ health: 'ok', detail: 'Demo payments are kept in memory only.' });
  });
});
