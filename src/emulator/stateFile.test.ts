import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeSnapshotIo, type SnapshotIo } from './persist';
import { startHarness } from './testHarness';

const dir = mkdtempSync(join(tmpdir(), 'keydesk-emu-state-'));
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts) spawnSync('umount', [m]);
  rmSync(dir, { recursive: true, force: true });
});

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A disk that fills up on demand: the write puts half the bytes in the file, then ENOSPC. */
function faultyDisk(): SnapshotIo & { full: boolean } {
  const io = {
    full: false,
    writeFile(path: string, data: string, mode: number) {
      if (!io.full) return nodeSnapshotIo.writeFile(path, data, mode);
      writeFileSync(path, data.slice(0, data.length / 2), { mode });
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    },
    rename: nodeSnapshotIo.rename,
  };
  return io;
}

function customersIn(path: string): string[] {
  const snap = JSON.parse(readFileSync(path, 'utf8')) as { state: { customers: [string, { name: string }][] } };
  return snap.state.customers.map(([, c]) => c.name);
}

describe('state file write failures never crash the emulator (issue #10 item 2)', () => {
  it('an injected ENOSPC from the debounced timer is logged, kept in health(), the old file and no .tmp left, then retried', async () => {
    const folder = join(dir, 'injected');
    const statePath = join(folder, 'stripe-emulator.json');
    const io = faultyDisk();
    const logged: string[] = [];
    const h = await startHarness({ statePath, stateIo: io, saveRetryDelaysMs: [30] });
    const originalWrite = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      await h.stripe.customers.create({ name: 'Before the disk filled' });
      await until(() => h.emulator.health().stateFile.lastSavedAt !== null, 'the first save');
      io.full = true;
      await h.stripe.customers.create({ name: 'While the disk is full' });
      await until(() => h.emulator.health().stateFile.failures >= 1, 'a failed save');

      const health = h.emulator.health().stateFile;
      expect(health.ok).toBe(false);
      expect(health.lastError?.code).toBe('ENOSPC');
      expect(customersIn(statePath)).toEqual(['Before the disk filled']);
      expect(readdirSync(folder).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      expect(logged.join('')).toMatch(/state file .* not saved \(ENOSPC/);
      const admin = (await (await fetch(`${h.emulator.url}/_emulator/health`)).json()) as { stateFile: { ok: boolean; lastError: { code: string } } };
      expect([admin.stateFile.ok, admin.stateFile.lastError.code]).toEqual([false, 'ENOSPC']);
      // Still serving while the disk is full.
      expect((await h.stripe.customers.list()).data).toHaveLength(2);

      io.full = false;
      await until(() => h.emulator.health().stateFile.ok, 'the retry to succeed');
      expect(customersIn(statePath).sort()).toEqual(['Before the disk filled', 'While the disk is full']);
      expect(h.emulator.health().stateFile.failures).toBe(0);
    } finally {
      process.stderr.write = originalWrite;
      await h.close();
    }
  });

  it('a real full disk (64 KiB tmpfs): ENOSPC is reported, the previous file survives, no .tmp, recovers when space returns', async (ctx) => {
    const mnt = join(dir, 'tmpfs');
    mkdirSync(mnt);
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt], { encoding: 'utf8' });
    if (mounted.status !== 0) {
      console.log(`[stateFile.test] tmpfs variant skipped: mount refused (${(mounted.stderr || mounted.error?.message || '').trim()})`);
      ctx.skip();
      return;
    }
    mounts.push(mnt);
    const statePath = join(mnt, 'stripe-emulator.json');
    const h = await startHarness({ statePath, saveRetryDelaysMs: [30] });
    const quiet = process.stderr.write.bind(process.stderr);
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      await h.stripe.customers.create({ name: 'Small' });
      h.emulator.save();
      expect(h.emulator.health().stateFile.ok).toBe(true);
      const before = readFileSync(statePath, 'utf8');
      // Each customer with 50 × 500-character metadata values is ~26 KiB twice over (object + event).
      const metadata = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'x'.repeat(500)]));
      for (let i = 0; i < 3; i++) await h.stripe.customers.create({ name: `Big ${i}`, metadata });
      await until(() => h.emulator.health().stateFile.failures >= 1, 'ENOSPC from the timer');
      expect(h.emulator.health().stateFile.lastError?.code).toBe('ENOSPC');
      expect(readFileSync(statePath, 'utf8')).toBe(before);
      expect(readdirSync(mnt).filter((f) => f.endsWith('.tmp'))).toEqual([]);

      h.emulator.reset();
      await until(() => h.emulator.health().stateFile.ok, 'the retry after space returned');
      expect(customersIn(statePath)).toEqual([]);
    } finally {
      process.stderr.write = quiet;
      await h.close();
    }
  });
});

describe('state file permissions (issue #10 item 8)', () => {
  it('the state file is created 0600 in a 0700 folder', async () => {
    const folder = join(dir, 'data', 'demo');
    const statePath = join(folder, 'stripe-emulator.json');
    const h = await startHarness({ statePath });
    try {
      h.emulator.addWebhookEndpoint('http://127.0.0.1:9/hook');
      h.emulator.save();
      expect(statSync(statePath).mode & 0o777).toBe(0o600);
      expect(statSync(folder).mode & 0o777).toBe(0o700);
      expect(readFileSync(statePath, 'utf8')).toContain('whsec_');
    } finally {
      await h.close();
    }
  });

  it('a folder made 0755 by someone else (the app\'s data folder code) is narrowed to 0700 at the first save', async () => {
    const folder = join(dir, 'made-wide');
    mkdirSync(folder, { mode: 0o755 });
    chmodSync(folder, 0o755);
    const h = await startHarness({ statePath: join(folder, 'stripe-emulator.json') });
    try {
      h.emulator.save();
      expect(statSync(folder).mode & 0o777).toBe(0o700);
    } finally {
      await h.close();
    }
  });

  it('a file left readable by others from before is narrowed to 0600 when read', async () => {
    const statePath = join(dir, 'old-state.json');
    const first = await startHarness({ statePath });
    await first.close();
    chmodSync(statePath, 0o644);
    const second = await startHarness({ statePath });
    try {
      expect(statSync(statePath).mode & 0o777).toBe(0o600);
      // The issued keys are kept with the state: the app's saved key still works after a restart.
      expect((await second.stripe.customers.list()).object).toBe('list');
      expect(second.emulator.apiKey).toBe(first.emulator.apiKey);
    } finally {
      await second.close();
    }
  });
});
