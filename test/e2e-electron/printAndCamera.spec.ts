import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import type { ElectronApplication, Page } from '@playwright/test';

// window.pos.print (receipt to PDF from the booking) and the camera permission, in the real
// desktop app. Skipped, with the reason printed, where no Electron binary exists: then only the
// unit tests of src/main/electron/printRequest.ts and permissions.ts cover these paths.
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
if (!bin.path) console.log(`[e2e-electron] printAndCamera skipped: ${bin.reason}`);

type Booking = { id: string; ref: string; balanceDue: { amount: number } };

async function launchDemo(): Promise<{ app: ElectronApplication; page: Page }> {
  const app = await electron.launch({
    executablePath: bin.path ?? undefined,
    // A fake camera so getUserMedia answers on a machine without one; the permission is still ours to decide.
    args: [root, '--no-sandbox', '--use-fake-device-for-media-stream'],
    env: { ...process.env, KEYDESK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kd-electron-print-')) },
  });
  const page = await app.firstWindow();
  const skip = page.getByRole('button', { name: 'Skip — try the demo shop' });
  const counter = page.getByRole('heading', { level: 1, name: 'Counter' });
  await expect(skip.or(counter)).toBeVisible();
  if (await skip.isVisible()) await skip.click();
  await expect(counter).toBeVisible();
  return { app, page };
}

test.describe('printing and the camera (Electron)', () => {
  test.skip(!bin.path, bin.reason);

  test('the receipt of a paid booking is saved as a PDF in Documents under its reference', async () => {
    const { app, page } = await launchDemo();
    try {
      // A demo booking with something to pay, paid in cash (plain-text script: no DOM types here).
      const booking = (await page.evaluate(`(async () => {
        const now = Date.now();
        const r = await window.pos.call('bookings.list', { from: new Date(now - 86400000).toISOString(), to: new Date(now + 7 * 86400000).toISOString(), statuses: ['reserved'] });
        const b = r.value.bookings.find((x) => x.balanceDue.amount > 0);
        const paid = await window.pos.call('payments.cash', { bookingId: b.id, tendered: b.balanceDue.amount });
        if (!paid.ok) throw new Error(paid.error.message);
        return b;
      })()`)) as Booking;

      // From the booking: open it, show the receipt (its print stylesheet leaves only the receipt).
      await page.getByRole('combobox', { name: /Find a booking/ }).fill(booking.ref);
      await page.keyboard.press('Enter');
      await expect(page.getByRole('heading', { level: 1, name: `Booking ${booking.ref}` })).toBeVisible();
      await page.getByRole('button', { name: 'Show and print receipt' }).click();
      await expect(page.getByRole('article', { name: `Receipt ${booking.ref}` })).toBeVisible();

      // The native save dialog cannot be clicked: answer it in main, keeping what it was offered.
      const target = join(mkdtempSync(join(tmpdir(), 'kd-electron-pdf-')), 'receipt');
      const documents = await app.evaluate(({ app: electronApp, dialog }, filePath) => {
        const g = globalThis as unknown as { offered?: unknown };
        dialog.showSaveDialog = (async (...args: unknown[]) => {
          g.offered = args[args.length - 1];
          return { canceled: false, filePath };
        }) as typeof dialog.showSaveDialog;
        return electronApp.getPath('documents');
      }, target);

      const result = (await page.evaluate(`window.pos.print({ kind: 'receipt', bookingId: ${JSON.stringify(booking.id)}, pdf: true })`)) as { ok: boolean; value?: { done: string; path: string } };
      expect(result).toEqual({ ok: true, value: { done: 'saved', path: `${target}.pdf` } });
      const offered = (await app.evaluate(() => (globalThis as unknown as { offered: { defaultPath: string } }).offered)) as { defaultPath: string };
      expect(offered.defaultPath).toBe(join(documents, `Keydesk receipt ${booking.ref}.pdf`));
      const pdf = readFileSync(`${target}.pdf`);
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      // Only the receipt: one page (the whole booking screen prints over several).
      expect(pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).toHaveLength(1);

      // Bad requests are refused in main with a sentence, and nothing is saved.
      const bad = (await page.evaluate(`window.pos.print({ kind: 'invoice', bookingId: ${JSON.stringify(booking.id)}, pdf: true })`)) as { ok: boolean; error?: { code: string; message: string } };
      expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input', message: 'Choose what to print: the receipt or the rental agreement.' } });
      const unknown = (await page.evaluate(`window.pos.print({ kind: 'receipt', bookingId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', pdf: true })`)) as { ok: boolean; error?: { code: string } };
      expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
    } finally {
      await app.close();
    }
  });

  test('the camera is granted to the app (video only) and to no other page', async () => {
    const { app, page } = await launchDemo();
    const server = createServer((_req, res) => res.end('<!doctype html><title>elsewhere</title>'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const camera = `navigator.mediaDevices.getUserMedia({ video: true }).then((s) => { s.getTracks().forEach((t) => t.stop()); return 'granted'; }, (e) => e.name)`;
      const microphone = `navigator.mediaDevices.getUserMedia({ audio: true }).then((s) => { s.getTracks().forEach((t) => t.stop()); return 'granted'; }, (e) => e.name)`;
      expect(await page.evaluate(camera)).toBe('granted');
      expect(await page.evaluate(microphone)).toBe('NotAllowedError');
      expect(await page.evaluate(`navigator.permissions.query({ name: 'geolocation' }).then((p) => p.state)`)).not.toBe('granted');

      // Another page (loopback http is a secure context, so it may ask) gets nothing.
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const elsewhere = await app.evaluate(async ({ BrowserWindow }, args) => {
        const w = new BrowserWindow({ show: false, webPreferences: { sandbox: true, contextIsolation: true } });
        try {
          await w.loadURL(args.url);
          return await w.webContents.executeJavaScript(args.camera);
        } finally {
          w.destroy();
        }
      }, { url, camera });
      expect(elsewhere).toBe('NotAllowedError');
    } finally {
      server.close();
      await app.close();
    }
  });
});
