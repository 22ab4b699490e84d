import * as Dialog from '@radix-ui/react-dialog';
import { useState } from 'react';
import { canSavePdf, printDocument } from './printReceipt';
import type { PrintKind, PrintOutcome } from './printReceipt';

/**
 * The foot of a printable document's dialog (receipt, rental agreement): Print (Enter), Save as
 * PDF where main can save one (Electron), Close (Esc), and what came of the last print.
 */
export function PrintActions({ kind, bookingId, ready, label }: { kind: PrintKind; bookingId: string; ready: boolean; label: string }) {
  const [printed, setPrinted] = useState<PrintOutcome | null>(null);
  const print = (pdf: boolean) => void printDocument(kind, bookingId, pdf).then(setPrinted);
  return (
    <>
      {printed?.message && (
        <p role={printed.ok ? 'status' : 'alert'} className={`no-print ${printed.ok ? 'muted' : 'panel-error'}`}>
          {printed.message}
        </p>
      )}
      <div className="actions no-print">
        <button type="button" className="primary" autoFocus disabled={!ready} onClick={() => print(false)}>
          {label}
        </button>
        {canSavePdf() && (
          <button type="button" disabled={!ready} onClick={() => print(true)}>
            Save as PDF
          </button>
        )}
        <Dialog.Close asChild>
          <button type="button">Close</button>
        </Dialog.Close>
      </div>
    </>
  );
}
