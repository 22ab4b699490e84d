import { join } from 'node:path';
import { z } from 'zod';
import { idSchema } from '../../shared/contract/fields';
import type { PrintKind, PrintRequest } from '../../shared/bridge';

/**
 * What the page may ask main to print: which document (the receipt, or the rental agreement),
 * for which booking, and whether to save it as a PDF instead of sending it to a printer.
 * Plain Node (no electron) so the checks and the file name are unit-tested.
 */
export const printRequestSchema = z
  .object({
    kind: z.enum(['receipt', 'agreement'], { message: 'Choose what to print: the receipt or the rental agreement.' }),
    bookingId: idSchema,
    pdf: z.boolean({ message: 'Say whether to print or to save a PDF.' }),
  })
  .strict();

export type ParsedPrint = { ok: true; value: PrintRequest } | { ok: false; message: string; fields: Record<string, string> };

/** Validates what arrived over IPC (anything at all) the way dispatch validates a method's input. */
export function parsePrintRequest(raw: unknown): ParsedPrint {
  const r = printRequestSchema.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  const fields: Record<string, string> = {};
  for (const issue of r.error.issues) fields[String(issue.path[0] ?? 'request')] ??= issue.message;
  const first = Object.values(fields)[0] ?? 'The print request is not valid.';
  return { ok: false, message: first, fields };
}

const TITLES: Record<PrintKind, string> = { receipt: 'receipt', agreement: 'rental agreement' };

/**
 * "Keydesk receipt KD-7F3K9.pdf": the kind and the booking reference the clerk reads out. The
 * reference comes from the database, but anything unfit for a file name (path separators,
 * control characters, Windows' reserved characters) is replaced anyway.
 */
export function pdfFileName(kind: PrintKind, bookingRef: string): string {
  const safe = bookingRef.replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, '-').replace(/^[.\s-]+|[.\s-]+$/g, '').slice(0, 60);
  return `Keydesk ${TITLES[kind]} ${safe || 'booking'}.pdf`;
}

/** Where the save dialog starts: the user's Documents folder, with the suggested name. */
export function defaultPdfPath(documentsDir: string, kind: PrintKind, bookingRef: string): string {
  return join(documentsDir, pdfFileName(kind, bookingRef));
}

/** The save dialog may hand back a name without the extension; the file is a PDF either way. */
export function withPdfExtension(path: string): string {
  return /\.pdf$/i.test(path) ? path : `${path}.pdf`;
}

/** The one sentence the clerk sees after a print or a save, or why it did not happen. */
export type PrintOutcome = { done: 'printed' | 'saved' | 'cancelled'; path?: string } | { done: 'failed'; message: string };

/** Electron's print callback gives (success, failureReason); a cancelled dialog is not a failure. */
export function printOutcome(success: boolean, failureReason: string): PrintOutcome {
  if (success) return { done: 'printed' };
  if (/cancel/i.test(failureReason)) return { done: 'cancelled' };
  return { done: 'failed', message: `The printer did not take the job (${failureReason || 'no reason given'}). Check the printer and try again.` };
}

/** A PDF that could not be written: a sentence the clerk can act on, by the file system's code. */
export function saveFailure(err: unknown, path: string): { code: 'disk_full' | 'disk_read_only' | 'disk_error'; message: string } {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return { code: 'disk_full', message: `The PDF was not saved: the disk is full (${path}). Free some space or choose another folder.` };
  if (code === 'EROFS') return { code: 'disk_read_only', message: `The PDF was not saved: that disk is read-only (${path}). Choose another folder.` };
  if (code === 'EACCES' || code === 'EPERM') return { code: 'disk_error', message: `The PDF was not saved: Keydesk may not write to ${path}. Choose another folder.` };
  return { code: 'disk_error', message: `The PDF was not saved to ${path}. Choose another folder and try again.` };
}

/**
 * One print or save at a time: a second click while the system dialog is open (or a PDF is being
 * written) gets `busy` at once instead of a second dialog on top of the first.
 */
export function oneAtATime<T>(busy: () => T): (work: () => Promise<T>) => Promise<T> {
  let running = false;
  return async (work) => {
    if (running) return busy();
    running = true;
    try {
      return await work();
    } finally {
      running = false;
    }
  };
}
