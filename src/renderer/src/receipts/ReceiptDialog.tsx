import * as Dialog from '@radix-ui/react-dialog';
import { useEffect, useState } from 'react';
import type { Receipt } from '../../../shared/contract/payments';
import { useShop } from '../lib/useShop';
import { usePayments } from '../stores/paymentStore';
import { ReceiptView } from './ReceiptView';
import { canSavePdf, printDocument } from './printReceipt';
import type { PrintOutcome } from './printReceipt';

/** The booking's receipt on screen, with Print (Enter) and Close (Esc); reprint is the same dialog. */
export function ReceiptDialog({ bookingId, open, onOpenChange }: { bookingId: string; open: boolean; onOpenChange: (open: boolean) => void }) {
  const { locale, timeZone } = useShop();
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [printed, setPrinted] = useState<PrintOutcome | null>(null);
  const print = (pdf: boolean) => void printDocument('receipt', bookingId, pdf).then(setPrinted);
  useEffect(() => {
    if (!open) return;
    let live = true;
    setError(null);
    void usePayments
      .getState()
      .receipt(bookingId)
      .then((r) => {
        if (!live) return;
        if (r.ok) setReceipt(r.value);
        else setError(r.error.message);
      });
    return () => {
      live = false;
    };
  }, [bookingId, open]);

  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay receipt-overlay" />
        <Dialog.Content className="dialog receipt-dialog" aria-describedby={undefined}>
          <Dialog.Title className="no-print">Receipt</Dialog.Title>
          {error ? <p role="alert" className="panel-error">{error}</p> : receipt ? <ReceiptView r={receipt} locale={locale} timeZone={timeZone} /> : <p className="muted">Loading the receipt…</p>}
          {printed?.message && (
            <p role={printed.ok ? 'status' : 'alert'} className={`no-print ${printed.ok ? 'muted' : 'panel-error'}`}>
              {printed.message}
            </p>
          )}
          <div className="actions no-print">
            <button type="button" className="primary" autoFocus disabled={!receipt} onClick={() => print(false)}>
              Print receipt
            </button>
            {canSavePdf() && (
              <button type="button" disabled={!receipt} onClick={() => print(true)}>
                Save as PDF
              </button>
            )}
            <Dialog.Close asChild>
              <button type="button">Close</button>
            </Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
