import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

// The office install in the real desktop app. Skipped (with the reason) where no Electron binary
// exists; what it covers is then covered only by the web and package tests.
const root = resolve(import.meta.dirname, '../..');

function electronBinary(): { path: string | null; reason: string } {
  const pathFile = join(root, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return { path: null, reason: 'no Electron binary on this machine (its download server is unreachable)' };
  const p = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8'));
  if (!existsSync(p)) return { path: null, reason: `Electron binary missing at ${p}` };
  if (process.platform === 'linux' && !process.env.DISPLAY) return { path: null, reason: 'no display (run under xvfb-run)' };
  return { path: p, reason: '' };
}
const bin = electronBinary();

test.describe('office install (Electron)', () => {
  test.skip(!bin.path, bin.reason);

  test('first run opens setup; skipping lands in demo; a crashed renderer comes back signed in', async () => {
    const started = Date.now();
    const app = await electron.launch({ executablePath: bin.path ?? undefined, args: [root, '--no-sandbox'], env: { ...process.env, KEYDESK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kd-electron-office-')) } });
    const page = await app.firstWindow();
    await expect(page.getByRole('heading', { level: 1, name: 'Set up this counter' })).toBeVisible();
    console.log(JSON.stringify({ coldStartToSetupScreenMs: Date.now() - started }));
    await page.getByRole('button', { name: 'Skip — try the demo shop' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Counter' })).toBeVisible();
    const banner = page.getByRole('banner');
    await expect(banner.getByLabel('Signed in as')).toHaveText('Demo manager (manager)');

    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.webContents.forcefullyCrashRenderer());
    await expect(banner.getByLabel('Signed in as')).toHaveText('Demo manager (manager)', { timeout: 20_000 });
    await app.close();
  });
});
