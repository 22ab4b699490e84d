// Helpers shared by the project's scripts (start, test, e2e, bench). Plain Node, no dependencies.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawn } from 'node:child_process';

export const root = resolve(import.meta.dirname, '..');

/** Newest modification time under a folder (bounded depth), for "build if needed". */
function newestMtime(dir, depth = 8) {
  let newest = 0;
  if (!existsSync(dir) || depth < 0) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p, depth - 1));
    else newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

export function buildIsStale() {
  const outputs = ['out/main/index.js', 'out/main/harness.js', 'out/preload/index.cjs', 'out/renderer/index.html'].map((p) => join(root, p));
  if (!outputs.every((p) => existsSync(p))) return true;
  const built = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  const sources = Math.max(newestMtime(join(root, 'src')), statSync(join(root, 'package.json')).mtimeMs, statSync(join(root, 'electron.vite.config.ts')).mtimeMs);
  return sources > built;
}

export function run(cmd, args, opts = {}) {
  return new Promise((resolveRun) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
    child.on('exit', (code, signal) => resolveRun(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolveRun(127));
  });
}

export function bin(name) {
  return join(root, 'node_modules', '.bin', name);
}

export async function buildIfNeeded() {
  if (!buildIsStale()) return 0;
  console.log('Building Keydesk…');
  return run(bin('electron-vite'), ['build', '--logLevel', 'warn']);
}

/** Where the Electron binary is, or why there is none, without triggering its download. */
export function electronBinary() {
  const pkgDir = join(root, 'node_modules', 'electron');
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pkgDir)) return { path: null, reason: 'the electron package is not installed (run npm ci)' };
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : 'electron');
    return existsSync(p) ? { path: p, reason: null } : { path: null, reason: `ELECTRON_OVERRIDE_DIST_PATH has no Electron binary (${p})` };
  }
  if (!existsSync(pathFile)) return { path: null, reason: 'the Electron binary was never downloaded (this machine cannot reach Electron’s download server; run "npx install-electron" where it can)' };
  const p = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8'));
  if (!existsSync(p)) return { path: null, reason: `the Electron binary is missing from ${p}` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { path: null, reason: 'there is no display (DISPLAY is not set)' };
  return { path: p, reason: null };
}

/** The Chromium Playwright drives: Debian's, unless KEYDESK_CHROMIUM says otherwise. */
export function chromiumPath() {
  return process.env.KEYDESK_CHROMIUM ?? '/usr/bin/chromium';
}
