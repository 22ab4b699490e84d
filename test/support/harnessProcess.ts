import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export type RunningHarness = {
  /** The address with this launch's token, as a person would open it. */
  launchUrl: string;
  /** The bare origin, without the token. */
  url: string;
  dataDir: string;
  child: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
};

const root = resolve(import.meta.dirname, '../..');

/** Starts the built HTTP harness (what `npm start` falls back to) in a fresh data folder. */
export async function startHarnessProcess(env: Record<string, string> = {}, timeoutMs = 20_000): Promise<RunningHarness> {
  const dataDir = env.KEYDESK_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'kd-e2e-'));
  const child = spawn(process.execPath, [join(root, 'out/main/harness.js')], {
    cwd: root,
    env: { ...process.env, KEYDESK_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (out += c));
  const launchUrl = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`harness did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = () => {
      const m = /Open: (\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`harness exited with ${code}:\n${out}`));
    });
  });
  return {
    launchUrl,
    url: launchUrl.replace(/#.*$/, ''),
    dataDir,
    child,
    output: () => out,
    stop(signal = 'SIGINT') {
      if (child.exitCode !== null) return Promise.resolve(child.exitCode);
      return new Promise((resolveStop) => {
        const kill = setTimeout(() => child.kill('SIGKILL'), 8000);
        child.once('exit', (code) => {
          clearTimeout(kill);
          resolveStop(code);
        });
        child.kill(signal);
      });
    },
  };
}
