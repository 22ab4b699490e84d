import { expect, test } from '@playwright/test';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import asar from '@electron/asar';
import { createRequire } from 'node:module';

// One build for the whole file (about a minute on a loaded machine): the Linux app directory with
// a stand-in for Electron's binary, and the .deb made from it by dpkg-deb.
test.describe.configure({ mode: 'serial', timeout: 300_000 });

const root = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
// electron-builder's own YAML reader (js-yaml ships no types).
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
type Built = { appDir: string; asar: string; deb: string; sizes: Record<string, number> };
let built: Built;
let files: string[];

test.beforeAll(async () => {
  const { packageLinux } = (await import(join(root, 'scripts/package.mjs'))) as { packageLinux(o: { skipBuild: boolean }): Promise<Built> };
  built = await packageLinux({ skipBuild: existsSync(join(root, 'out/main/index.js')) });
  files = asar.listPackage(built.asar, { isPack: false }).map((f) => f.replaceAll('\\', '/'));
  console.log(JSON.stringify({ package: 'linux', ...built.sizes, asarFiles: files.length }));
});

const packagesIn = (list: string[]) => new Set(list.map((f) => /^\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f)?.[1]).filter((x): x is string => !!x));

test('the asar holds only the allow-listed app and the packages main loads', () => {
  const top = new Set(files.map((f) => f.split('/').slice(0, 3).join('/')).filter((f) => f.split('/').length === 3 || !f.startsWith('/node_modules')));
  for (const f of top) expect(f, `unexpected file ${f}`).toMatch(/^\/(out\/(main|preload|renderer)|package\.json|node_modules\/[^/]+)$|^\/out$|^\/node_modules$/);
  expect(files).toContain('/out/main/index.js');
  expect(files).toContain('/out/preload/index.cjs');
  expect(files).toContain('/out/renderer/index.html');

  const shipped = packagesIn(files);
  for (const p of ['better-sqlite3', 'stripe', 'zod', 'ulid', 'electron-log', 'electron-updater']) expect(shipped, `missing runtime package ${p}`).toContain(p);
  for (const dev of Object.keys(pkg.devDependencies)) expect(shipped, `dev dependency ${dev} shipped`).not.toContain(dev);
  // The relay server's packages (fastify is bundled into main for demo mode's relay) and the
  // renderer's (bundled by Vite) are not shipped as packages.
  for (const p of ['fastify', 'pg', 'pino', 'react', 'react-dom', 'zustand', 'cmdk', '@stripe/terminal-js', 'qrcode']) expect(shipped, `${p} shipped`).not.toContain(p);
  expect([...shipped].filter((p) => p.startsWith('@types/'))).toEqual([]);
});

test('no source maps, tests, TypeScript sources or secrets in the asar', () => {
  expect(files.filter((f) => /\.map$/.test(f))).toEqual([]);
  expect(files.filter((f) => /\.(test|spec)\.[cm]?[jt]s$/.test(f) || /\/(test|tests|__tests__)\//.test(f))).toEqual([]);
  expect(files.filter((f) => /\.(ts|mts|cts)$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
  // A real key or webhook secret is long; the emulator's fixed demo key (sk_test_emulator) is not a secret.
  const secret = /\b(?:sk|rk)_(?:test|live)_[A-Za-z0-9]{16,}|\bwhsec_[A-Za-z0-9]{16,}/;
  const found: string[] = [];
  for (const f of files) {
    if (!/\.(m?js|cjs|json|html|css|yml|yaml|txt)$/.test(f)) continue;
    const st = asar.statFile(built.asar, f.slice(1), false) as { size?: number; unpacked?: boolean };
    if (st.unpacked || st.size === undefined) continue;
    const text = asar.extractFile(built.asar, f.slice(1)).toString('utf8');
    const m = secret.exec(text);
    if (m) found.push(`${f}: ${m[0].slice(0, 12)}…`);
  }
  expect(found).toEqual([]);
});

test('better-sqlite3’s native module is unpacked beside the asar', () => {
  const native = '/node_modules/better-sqlite3/prebuilds/linux-x64.node';
  expect(files).toContain(native);
  expect((asar.statFile(built.asar, native.slice(1), false) as { unpacked?: boolean }).unpacked).toBe(true);
  expect(statSync(join(`${built.asar}.unpacked`, native)).size).toBeGreaterThan(100_000);
  // Only this platform's prebuilds ship.
  expect(files.filter((f) => /better-sqlite3\/prebuilds\/(darwin|win32)-/.test(f))).toEqual([]);
});

test('what the asar holds runs: its main serves the demo shop under plain Node', async () => {
  // No Electron binary here, so the packaged main runs through its HTTP harness entry: the same
  // services, the bundled relay (fastify) and better-sqlite3 from the unpacked folder.
  const dir = mkdtempSync(join(tmpdir(), 'kd-asar-'));
  asar.extractAll(built.asar, dir);
  const data = mkdtempSync(join(tmpdir(), 'kd-asar-data-'));
  const child = spawn(process.execPath, [join(dir, 'out/main/harness.js')], { cwd: dir, env: { PATH: process.env.PATH ?? '', KEYDESK_DATA_DIR: data }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
  try {
    await expect.poll(() => /Open: (\S+)/.exec(out)?.[1] ?? (child.exitCode !== null ? `exited: ${out}` : null), { timeout: 60_000 }).toMatch(/^http/);
    const launch = /Open: (\S+)/.exec(out)![1]!;
    const token = decodeURIComponent(/token=([^&]+)/.exec(launch)![1]!);
    const status = async () => {
      const res = await fetch(`${launch.replace(/#.*$/, '').replace(/\/$/, '')}/rpc/app.status`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify({ input: {} }) });
      const r = (await res.json()) as { ok: boolean; value?: { jobs: { name: string; health: string }[] } };
      return Object.fromEntries((r.value?.jobs ?? []).map((j) => [j.name, j.health]));
    };
    await expect.poll(status, { timeout: 60_000 }).toMatchObject({ 'sync.stream': 'ok', 'app.connectivity': 'ok' });
  } finally {
    child.kill('SIGINT');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  }
});

test('the .deb installs the app, its desktop entry and its icon', () => {
  const info = execFileSync('dpkg-deb', ['--field', built.deb, 'Package', 'Version', 'Architecture']).toString();
  expect(info).toContain('Package: keydesk');
  expect(info).toContain('Architecture: amd64');
  const scratch = mkdtempSync(join(tmpdir(), 'kd-deb-root-'));
  execFileSync('dpkg', ['-x', built.deb, scratch]);
  const opt = join(scratch, 'opt/Keydesk');
  expect(statSync(join(opt, 'keydesk')).mode & 0o111).not.toBe(0);
  expect(existsSync(join(opt, 'resources/app.asar'))).toBe(true);
  expect(existsSync(join(opt, 'resources/app.asar.unpacked/node_modules/better-sqlite3/prebuilds/linux-x64.node'))).toBe(true);
  expect(lstatSync(join(scratch, 'usr/bin/keydesk')).isSymbolicLink()).toBe(true);
  expect(readlinkSync(join(scratch, 'usr/bin/keydesk'))).toBe('/opt/Keydesk/keydesk');
  const desktop = readFileSync(join(scratch, 'usr/share/applications/keydesk.desktop'), 'utf8');
  expect(desktop).toMatch(/^\[Desktop Entry\]$/m);
  expect(desktop).toMatch(/^Exec=\/opt\/Keydesk\/keydesk %U$/m);
  expect(desktop).toMatch(/^Icon=keydesk$/m);
  expect(desktop).toMatch(/^Type=Application$/m);
  const icon = readFileSync(join(scratch, 'usr/share/icons/hicolor/512x512/apps/keydesk.png'));
  expect(icon.subarray(1, 4).toString()).toBe('PNG');
  expect([icon.readUInt32BE(16), icon.readUInt32BE(20)]).toEqual([512, 512]);
  // The stand-in says what it is: this package was not built with a real Electron binary.
  const run = spawnSyncStatus(join(opt, 'keydesk'));
  expect(run).toMatchObject({ status: 3 });
});

test('release config: fuses, no notarization without credentials, Node-API module not rebuilt', () => {
  const cfg = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, Record<string, unknown>> & { npmRebuild: boolean };
  expect(cfg.npmRebuild).toBe(false);
  expect(cfg.electronFuses).toMatchObject({ runAsNode: false, enableCookieEncryption: true, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, enableEmbeddedAsarIntegrityValidation: true, onlyLoadAppFromAsar: true });
  expect(cfg.mac?.notarize).toBeUndefined();
  expect(cfg.nsis).toMatchObject({ oneClick: false, perMachine: false });
  expect(cfg.publish).toMatchObject({ provider: 'generic' });
});

function spawnSyncStatus(file: string): { status: number | null } {
  try {
    execFileSync(file, [], { stdio: 'ignore' });
    return { status: 0 };
  } catch (err) {
    return { status: (err as { status: number | null }).status };
  }
}
