import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from './log';
import { startMainApp } from './startApp';

// The jobs whose health follows this counter's links (Stripe, the office relay).
const LINK_JOBS = ['app.connectivity', 'sync.stream'];

describe('startMainApp in test mode', () => {
  it('runs every job, and those without a Stripe key or relay token say in app.status why they are stopped', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kd-start-'));
    const app = await startMainApp({ dataDir, dbPath: ':memory:', version: 'test', transport: 'http', log: memoryLogger(), mode: 'test' });
    try {
      expect(app.demo).toBeNull();
      expect(app.backend.modules.map((m) => m.name)).toEqual(['app', 'settings', 'staff', 'pricing', 'fleet', 'locations', 'customers', 'bookings', 'drivers', 'discounts', 'search', 'payments', 'deposits', 'refunds', 'sync', 'database', 'setup', 'photos']);
      const res = await app.backend.call(app.backend.session.context('internal'), 'app.status', {});
      if (!res.ok) throw new Error(res.error.message);
      expect(res.value.jobs.filter((j) => LINK_JOBS.includes(j.name)).map((j) => [j.name, j.health])).toEqual([
        ['app.connectivity', 'stopped'],
        ['sync.stream', 'stopped'],
      ]);
      expect(res.value.jobs.find((j) => j.name === 'app.connectivity')!.detail).toMatch(/No Stripe key is set up/);
      expect(res.value.jobs.find((j) => j.name === 'sync.stream')!.detail).toMatch(/No office relay is set up/);
      // The title bar keeps its fields: unknown connectivity, sync off, and the reasons as its tooltip.
      expect(res.value).toMatchObject({ online: null, sync: 'off' });
      expect(res.value.detail).toMatch(/No office relay/);
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
    expect(app.backend.jobs.snapshot().every((j) => j.health === 'stopped')).toBe(true);
  });
});

describe('startMainApp in demo mode when the demo stack cannot start', () => {
  it('still opens, and app.status shows both jobs failed with the reason (a killed stack never takes main down)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kd-start-'));
    // A file where the data folder should be: the emulator cannot make its folder.
    const dataDir = join(dir, 'not-a-folder');
    writeFileSync(dataDir, 'x');
    const log = memoryLogger();
    const app = await startMainApp({ dataDir, dbPath: ':memory:', version: 'test', transport: 'http', log, demoSeed: { full: false } });
    try {
      expect(app.demo).toBeNull();
      const status = app.backend.status.current();
      expect(status.jobs.filter((j) => LINK_JOBS.includes(j.name)).map((j) => [j.name, j.health])).toEqual([
        ['app.connectivity', 'failed'],
        ['sync.stream', 'failed'],
      ]);
      expect(status.jobs.find((j) => j.name === 'app.connectivity')!.detail).toMatch(/demo Stripe could not start/);
      expect(status).toMatchObject({ online: false, sync: 'error' });
      expect(log.records.some((r) => r.event === 'demo.stack_failed')).toBe(true);
      // Everything else still answers.
      expect((await app.backend.call(app.backend.session.context('internal'), 'rates.get', {})).ok).toBe(true);
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
