import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// `npm start` as a service manager or a terminal's close button stops it: SIGTERM to npm.
const root = resolve(__dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'kd-start-'));
const spawned: number[] = [];

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every descendant of pid, from /proc (Linux). */
function descendants(pid: number): number[] {
  const children = (p: number): number[] => {
    try {
      return readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0 && out.length < 100) {
    for (const c of children(queue.shift() as number)) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

async function until(check: () => boolean, what: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

afterAll(() => {
  for (const pid of spawned) if (alive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it.skipIf(process.platform !== 'linux')('stops the whole app on SIGTERM to npm, as Ctrl+C does', async () => {
    const npm = spawn('npm', ['start'], {
      cwd: root,
      env: { ...process.env, KEYDESK_DATA_DIR: dataDir, ELECTRON_OVERRIDE_DIST_PATH: join(dataDir, 'no-electron') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    npm.stdout.on('data', (d: Buffer) => (out += d.toString()));
    npm.stderr.on('data', (d: Buffer) => (out += d.toString()));
    await until(() => out.includes('Press Ctrl+C to stop.'), `the app to start (output so far: ${out})`, 150_000);
    const tree = descendants(npm.pid as number);
    spawned.push(...tree);
    expect(tree.length).toBeGreaterThanOrEqual(2); // sh → start.mjs → the app

    npm.kill('SIGTERM');
    await until(() => tree.every((pid) => !alive(pid)), `every process of the app to exit (still running: ${tree.filter(alive).join(', ')})`, 20_000);
    expect(out).toContain('Keydesk stopped.');
  }, 200_000);
});
