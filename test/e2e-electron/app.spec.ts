import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

const root = resolve(import.meta.dirname, '../..');

/** The Electron binary, or why there is none; never triggers a download. */
function electronBinary(): { path: string | null; reason: string } {
  const pathFile = join(root, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return { path: null, reason: 'no Electron binary on this machine (its download server is unreachable)' };
  const p = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8'));
  if (!existsSync(p)) return { path: null, reason: `Electron binary missing at ${p}` };
  if (process.platform === 'linux' && !process.env.DISPLAY) return { path: null, reason: 'no display (run under xvfb-run)' };
  return { path: p, reason: '' };
}

const bin = electronBinary();
if (!bin.path) console.log(`[e2e-electron] skipped: ${bin.reason}`);

test.describe('Electron window', () => {
  test.skip(!bin.path, bin.reason);

  test('opens in demo mode with the sandboxed bridge and nothing else', async () => {
    const app = await electron.launch({
      executablePath: bin.path ?? undefined,
      args: [root, '--no-sandbox'],
      env: { ...process.env, KEYDESK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kd-electron-')) },
    });
    const page = await app.firstWindow();
    await expect(page.getByRole('banner').getByRole('status', { name: 'Mode' })).toHaveText('Demo');
    // The page gets window.pos (call, on, print and the receipt shorthand), and no Node or ipcRenderer.
    const surface = await page.evaluate(() => {
      const w = globalThis as unknown as { pos: object; require?: unknown; process?: unknown };
      return { pos: Object.keys(w.pos).sort(), require: typeof w.require, process: typeof w.process };
    });
    expect(surface).toEqual({ pos: ['call', 'on', 'print', 'printReceipt'], require: 'undefined', process: 'undefined' });
    // Navigation away from the app is blocked.
    await page.evaluate(() => {
      (globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/';
    });
    await page.waitForTimeout(300);
    expect(page.url()).toMatch(/^app:\/\/keydesk\//);
    await app.close();
  });
});
