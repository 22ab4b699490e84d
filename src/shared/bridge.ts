import type { EventName, EventPayload, Input, MethodName, Output } from './contract';
import type { Result } from './errors';

/**
 * The whole surface the preload gives a page: `window.pos`. call, on and print, one channel each;
 * no ipcRenderer, no channel names, no process.env.
 */
export type PosBridge = {
  call<M extends MethodName>(method: M, input: Input<M>): Promise<Result<Output<M>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /**
   * Electron only: print the document on screen (its print stylesheet shows only that document)
   * through the system dialog, or save it as a PDF (save dialog, in Documents). Main checks the
   * booking and names the file; the HTTP build has no `print` and uses `window.print()`.
   */
  print?(request: PrintRequest): Promise<Result<PrintResult>>;
  /** Electron only: `print({ kind: 'receipt', bookingId, pdf: false })`, the name `receipts/printReceipt.ts` looks for. */
  printReceipt?(bookingId: string): Promise<Result<PrintResult>>;
};

export type PrintKind = 'receipt' | 'agreement';
export type PrintRequest = { kind: PrintKind; bookingId: string; pdf: boolean };
/** `path` is where the PDF was saved; 'cancelled' when the clerk closed the dialog. */
export type PrintResult = { done: 'printed' | 'saved' | 'cancelled'; path?: string };

export const IPC_CALL_CHANNEL = 'pos:call';
export const IPC_EVENT_CHANNEL = 'pos:event';
export const IPC_PRINT_CHANNEL = 'pos:print';
