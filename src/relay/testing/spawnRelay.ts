import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is src/relay/testing/spawnRelay.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export type SpawnedRelay = {
  pid: number;
  url: string;
  output: () => string;
  /** Signals the whole process group: tsx runs the relay in a child process of its own. */
  kill(signal: NodeJS.Signals): void;
  exited: Promise<number | null>;
};

/**
 * Starts `tsx src/relay/cli.ts` as its own process group (so SIGKILL reaches the real relay,
 * not only tsx) and resolves once it prints its listening line.
 */
export async function spawnRelay(env: Record<string, string>, timeoutMs = 20_000, opts: { fileLimit?: number } = {}): Promise<SpawnedRelay> {
  const tsx = join(REPO_ROOT, 'node_modules/.bin/tsx');
  if (!existsSync(tsx)) throw new Error(`tsx not found at ${tsx}`);
  // With a file limit: a bash wrapper lowers it (ulimit -n), then execs the relay under it.
  const [cmd, args] = opts.fileLimit
    ? ['bash', ['-c', `ulimit -n ${Math.floor(opts.fileLimit)} && exec "$0" "$1" src/relay/cli.ts`, process.execPath, tsx]]
    : [process.execPath, [tsx, 'src/relay/cli.ts']];
  const child: ChildProcess = spawn(cmd, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, RELAY_LOG_LEVEL: 'warn', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const pid = child.pid!;
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };
  const url = await new Promise<string>((ok, fail) => {
    const t = setTimeout(() => {
      kill('SIGKILL');
      fail(new Error(`relay did not start in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const check = () => {
      const m = /relay listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(t);
        ok(m[1]!);
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(t);
      fail(new Error(`relay exited with ${code} before listening:\n${out}`));
    });
  });
  return { pid, url, output: () => out, kill, exited };
}
