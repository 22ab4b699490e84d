import { app, dialog, ipcMain } from 'electron';
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import { writeFile } from 'node:fs/promises';
import { IPC_PRINT_CHANNEL } from '../../shared/bridge';
import type { PrintRequest, PrintResult } from '../../shared/bridge';
import { DEFAULT_MESSAGES } from '../../shared/errors';
import type { Result } from '../../shared/errors';
import type { Backend } from '../backend';
import { defaultPdfPath, oneAtATime, parsePrintRequest, printOutcome, saveFailure, withPdfExtension } from './printRequest';

const TITLES = { receipt: 'Save the receipt as a PDF', agreement: 'Save the rental agreement as a PDF' } as const;

/**
 * `window.pos.print`: prints what the window shows (the page's print stylesheet leaves only the
 * receipt or the agreement) through the system dialog, or saves it as a PDF where the clerk
 * chooses (Documents, "Keydesk receipt KD-7F3K9.pdf" by default). Main checks the request and
 * that the signed-in clerk may read the booking (through dispatch) before anything is printed.
 * Everything decidable lives in printRequest.ts (tested); this file only calls Electron.
 */
export function handlePrinting(opts: { backend: Backend; window: () => BrowserWindow | null; fromOwnWindow: (event: IpcMainInvokeEvent) => boolean }): void {
  const b = opts.backend;
  const single = oneAtATime<Result<PrintResult>>(() => ({ ok: false, error: { code: 'conflict', message: 'A print or save dialog is already open; finish or cancel it first.' } }));
  ipcMain.handle(IPC_PRINT_CHANNEL, (event, raw: unknown) => single(() => printOnce(event, raw)));

  async function printOnce(event: IpcMainInvokeEvent, raw: unknown): Promise<Result<PrintResult>> {
    const win = opts.window();
    if (!win || !opts.fromOwnWindow(event)) {
      b.log.warn('print.untrusted_sender', { url: event.senderFrame?.url ?? null });
      return { ok: false, error: { code: 'forbidden', message: DEFAULT_MESSAGES.forbidden } };
    }
    const parsed = parsePrintRequest(raw);
    if (!parsed.ok) return { ok: false, error: { code: 'invalid_input', message: parsed.message, fields: parsed.fields } };
    const req: PrintRequest = parsed.value;
    const booking = await b.call(b.session.context('ipc'), 'bookings.get', { id: req.bookingId });
    if (!booking.ok) return booking;
    const ref = booking.value.ref;
    try {
      if (!req.pdf) {
        const outcome = await new Promise<ReturnType<typeof printOutcome>>((resolve) => {
          win.webContents.print({ silent: false, printBackground: true }, (success, failureReason) => resolve(printOutcome(success, failureReason)));
        });
        b.log.info('print.done', { kind: req.kind, bookingId: req.bookingId, outcome: outcome.done });
        if (outcome.done === 'failed') return { ok: false, error: { code: 'unavailable', message: outcome.message, retryable: true } };
        return { ok: true, value: outcome };
      }
      // Rendered first, so the PDF is what was on screen when the clerk asked.
      const data = await win.webContents.printToPDF({ printBackground: true, pageSize: 'A4', preferCSSPageSize: true });
      const choice = await dialog.showSaveDialog(win, {
        title: TITLES[req.kind],
        defaultPath: defaultPdfPath(app.getPath('documents'), req.kind, ref),
        filters: [{ name: 'PDF', extensions: ['pdf'] }],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      });
      if (choice.canceled || !choice.filePath) return { ok: true, value: { done: 'cancelled' } };
      const path = withPdfExtension(choice.filePath);
      try {
        await writeFile(path, data);
      } catch (err) {
        b.log.error('print.pdf_save_failed', { path, error: err instanceof Error ? err.message : String(err) });
        return { ok: false, error: saveFailure(err, path) };
      }
      b.log.info('print.pdf_saved', { kind: req.kind, bookingId: req.bookingId, path });
      return { ok: true, value: { done: 'saved', path } };
    } catch (err) {
      b.log.error('print.failed', { kind: req.kind, bookingId: req.bookingId, error: err instanceof Error ? err.message : String(err) });
      return { ok: false, error: { code: 'internal', message: 'The document could not be printed. Try again; if it keeps failing, see the log.' } };
    }
  }
}
