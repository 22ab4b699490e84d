import type { PosBridge, PrintResult } from '../../../shared/bridge';
import type { Result } from '../../../shared/errors';

/**
 * Printing a receipt or a rental agreement. In a browser (the HTTP harness) the page's own print,
 * with the print stylesheet showing only the document (the browser's dialog also saves a PDF). In
 * Electron, main prints the window or saves it as a PDF (`window.pos.print`), naming the file
 * after the booking. Answers what to tell the clerk: the saved file, or why it did not go through.
 */
export type PrintKind = 'receipt' | 'agreement';
export type PrintOutcome = { ok: boolean; message: string | null };

type PrintBridge = Pick<PosBridge, 'print'>;

function bridge(): PrintBridge | null {
  const pos = (window as { pos?: PrintBridge }).pos;
  return pos?.print ? pos : null;
}

/** True where main can save a PDF itself (Electron); in a browser the print dialog does it. */
export function canSavePdf(): boolean {
  return bridge() !== null;
}

export async function printDocument(kind: PrintKind, bookingId: string, pdf = false): Promise<PrintOutcome> {
  const b = bridge();
  if (!b?.print) {
    window.print();
    return { ok: true, message: null };
  }
  const res: Result<PrintResult> = await b.print({ kind, bookingId, pdf });
  if (!res.ok) return { ok: false, message: res.error.message };
  return { ok: true, message: res.value.done === 'saved' && res.value.path ? `Saved as ${res.value.path}` : null };
}

export function printReceipt(bookingId: string): Promise<PrintOutcome> {
  return printDocument('receipt', bookingId);
}
