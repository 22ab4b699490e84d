#!/usr/bin/env node
// Renders resources/icon.svg into the icons electron-builder wants: icon.png (1024 px, the macOS
// and Linux source), icons/<n>x<n>.png (Linux hicolor sizes) and icon.ico (Windows, 16–256 px).
// Debian's ImageMagick has no SVG reader, so Chromium rasterises the SVG once and ImageMagick's
// `convert` makes the sizes. The outputs are committed: packaging itself needs neither tool.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const res = resolve(import.meta.dirname, '../resources');
const big = join(mkdtempSync(join(tmpdir(), 'kd-icon-')), 'icon-1024.png');
const chromium = process.env.KEYDESK_CHROMIUM ?? '/usr/bin/chromium';
execFileSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--default-background-color=00000000', '--window-size=1024,1024', `--screenshot=${big}`, pathToFileURL(join(res, 'icon.svg')).href], { stdio: 'ignore', timeout: 60_000 });

const resize = (size, out) => execFileSync('convert', [big, '-resize', `${size}x${size}`, `PNG32:${out}`]);
resize(1024, join(res, 'icon.png'));
mkdirSync(join(res, 'icons'), { recursive: true });
for (const s of [16, 32, 48, 64, 128, 256, 512]) resize(s, join(res, 'icons', `${s}x${s}.png`));
execFileSync('convert', [big, '-define', 'icon:auto-resize=256,128,64,48,32,16', join(res, 'icon.ico')]);
process.stdout.write('icons written to resources/\n');
