#!/usr/bin/env node
// Builds the Linux app directory (dist/linux-unpacked) and a .deb from it, without downloading
// anything: Electron's binary is replaced by a stand-in executable (electronDist) and the .deb
// is made by Debian's own dpkg-deb instead of electron-builder's fpm download. Prints one JSON
// line of sizes. A release machine with Electron available runs electron-builder's own targets.
//   node scripts/package.mjs [--skip-build]
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Arch, Platform, build } from 'electron-builder';
import yaml from 'js-yaml';

const root = resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const dist = join(root, 'dist');
const appDir = join(dist, 'linux-unpacked');

function lockClosure(lock, names) {
  {
    const seen = new Set();
    const stack = [...names];
    while (stack.length) {
      const n = stack.pop();
      if (seen.has(n)) continue;
      const entry = lock.packages[`node_modules/${n}`];
      if (!entry) continue;
      seen.add(n);
      for (const d of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) stack.push(d);
    }
    return seen;
  }
}

/** Bare packages the built main and preload import at run time (the renderer is fully bundled by Vite). */
export function runtimeImports(outDir) {
  const found = new Set();
  const walk = (d) => {
    for (const f of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, f.name);
      if (f.isDirectory()) walk(p);
      else if (/\.(m?js|cjs)$/.test(f.name)) {
        const text = readFileSync(p, 'utf8');
        // Rollup's ESM output: static imports open the file, dynamic ones are import("x"). Strings
        // inside bundled code (error messages, code generators) are not imports.
        for (const m of text.matchAll(/^import\s[^'"\n]*?from\s*["']([^"'./][^"']*)["'];?$|^import\s*["']([^"'./][^"']*)["'];?$|\bimport\(\s*["']([^"'./][^"']*)["']\s*\)/gm)) {
          const spec = m[1] ?? m[2] ?? m[3];
          if (spec.startsWith('node:') || spec === 'electron') continue;
          found.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
        }
      }
    }
  };
  for (const d of ['main', 'preload']) if (existsSync(join(outDir, d))) walk(join(outDir, d));
  return found;
}

/**
 * Dependencies the packaged app never loads: the relay server's (fastify, pg, bundled or unused),
 * the renderer's (bundled by Vite), and whatever only they pull in. electron-builder would copy
 * every `dependencies` entry; these become `files` exclusions, so the asar is an allow-list.
 */
export function unusedPackages(lock, deps, used) {
  const builtins = new Set(['fs', 'path', 'os', 'crypto', 'http', 'https', 'url', 'util', 'events', 'stream', 'zlib', 'net', 'tls', 'child_process', 'assert', 'buffer', 'module', 'worker_threads']);
  const keep = lockClosure(lock, [...used].filter((u) => !builtins.has(u)));
  return [...lockClosure(lock, Object.keys(deps))].filter((n) => !keep.has(n)).sort();
}

/** A stand-in for Electron's unpacked distribution: an `electron` executable that says what it is. */
function standInElectron() {
  const dir = join(dist, '.electron-standin');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'resources'), { recursive: true });
  writeFileSync(join(dir, 'electron'), '#!/bin/sh\necho "Keydesk package built with a stand-in for Electron: no Electron binary was available." >&2\nexit 3\n');
  chmodSync(join(dir, 'electron'), 0o755);
  writeFileSync(join(dir, 'version'), electronVersion);
  writeFileSync(join(dir, 'LICENSE'), 'Stand-in for the Electron binary (MIT, https://github.com/electron/electron).\n');
  return dir;
}

function dirSize(p) {
  const st = statSync(p);
  if (!st.isDirectory()) return st.size;
  return readdirSync(p).reduce((n, f) => n + dirSize(join(p, f)), 0);
}

/** The .deb from the app directory, laid out as electron-builder's deb target does (/opt/<product>). */
function buildDeb() {
  const name = 'keydesk';
  const debRoot = join(dist, '.deb-root');
  rmSync(debRoot, { recursive: true, force: true });
  const opt = join(debRoot, 'opt', pkg.productName);
  mkdirSync(join(debRoot, 'DEBIAN'), { recursive: true });
  mkdirSync(join(debRoot, 'usr/bin'), { recursive: true });
  mkdirSync(join(debRoot, 'usr/share/applications'), { recursive: true });
  cpSync(appDir, opt, { recursive: true, verbatimSymlinks: true });
  symlinkSync(`/opt/${pkg.productName}/${name}`, join(debRoot, 'usr/bin', name));
  for (const f of readdirSync(join(root, 'resources/icons'))) {
    const size = f.replace(/\.png$/, '');
    const to = join(debRoot, 'usr/share/icons/hicolor', size, 'apps');
    mkdirSync(to, { recursive: true });
    cpSync(join(root, 'resources/icons', f), join(to, `${name}.png`));
  }
  writeFileSync(
    join(debRoot, 'usr/share/applications', `${name}.desktop`),
    ['[Desktop Entry]', `Name=${pkg.productName}`, `Comment=${pkg.description}`, `Exec=/opt/${pkg.productName}/${name} %U`, 'Terminal=false', 'Type=Application', `Icon=${name}`, `StartupWMClass=${pkg.productName}`, 'Categories=Office;', ''].join('\n'),
  );
  const installedKb = Math.ceil(dirSize(join(debRoot, 'opt')) / 1024);
  writeFileSync(
    join(debRoot, 'DEBIAN/control'),
    [
      `Package: ${name}`,
      `Version: ${pkg.version}`,
      'Section: misc',
      'Priority: optional',
      'Architecture: amd64',
      `Installed-Size: ${installedKb}`,
      'Depends: libgtk-3-0, libnss3, libxss1, libasound2',
      'Maintainer: Keydesk <office@keydesk.invalid>',
      `Description: ${pkg.description}`,
      ' Keydesk takes card payments, deposits and refunds at a vehicle-rental counter.',
      '',
    ].join('\n'),
  );
  const deb = join(dist, `${name}_${pkg.version}_amd64.deb`);
  execFileSync('dpkg-deb', ['--root-owner-group', '-Zxz', '-z1', '--build', debRoot, deb], { stdio: ['ignore', 'ignore', 'inherit'] });
  rmSync(debRoot, { recursive: true, force: true });
  return deb;
}

export async function packageLinux({ skipBuild = false } = {}) {
  if (!skipBuild) execFileSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const relayOnly = unusedPackages(lock, pkg.dependencies ?? {}, runtimeImports(join(root, 'out')));
  rmSync(appDir, { recursive: true, force: true });
  await build({
    projectDir: root,
    targets: Platform.LINUX.createTarget('dir', Arch.x64),
    publish: 'never',
    config: {
      ...config,
      electronVersion,
      electronDist: standInElectron(),
      // A stand-in has no fuse wire; the release build flips the fuses configured in electron-builder.yml.
      electronFuses: null,
      // Platform `files` in the yml would replace the allow-list, so this Linux build drops the other
      // platforms' (and other CPUs') better-sqlite3 prebuilds here.
      files: [...config.files, '!node_modules/@types/**', '!node_modules/better-sqlite3/prebuilds/{darwin,win32,linuxmusl}-*', '!node_modules/better-sqlite3/prebuilds/*-arm64.node', ...relayOnly.map((n) => `!node_modules/${n}/**`)],
    },
  });
  const deb = buildDeb();
  const asar = join(appDir, 'resources/app.asar');
  return { appDir, asar, deb, relayOnly, sizes: { appDirBytes: dirSize(appDir), asarBytes: statSync(asar).size, unpackedBytes: existsSync(`${asar}.unpacked`) ? dirSize(`${asar}.unpacked`) : 0, debBytes: statSync(deb).size } };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const out = await packageLinux({ skipBuild: process.argv.includes('--skip-build') });
  process.stdout.write(JSON.stringify({ package: 'linux', ...out.sizes, deb: out.deb, unusedPackagesExcluded: out.relayOnly.length }) + '\n');
}
