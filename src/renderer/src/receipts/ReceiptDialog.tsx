import * as Dialog from '@radix-ui/react-dialog';
import { PrintActions } from './PrintActions';
import { useEffect, useState } from 'react';
import type { Receipt } from '../../../shared/contract/payments';
import { useShop } from '../lib/useShop';
import { usePayments } from '../stores/paymentStore';
import { ReceiptView } from './ReceiptView';

/** The booking's receipt on screen, with Print (Enter) and Close (Esc); reprint is the same dialog. */
export function ReceiptDialog({ bookingId, open, onOpenChange }: { bookingId: string; open: boolean; onOpenChange: (open: boolean) => void }) {
  const { locale, timeZone } = useShop();
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [error, setError] = useState<string | null>(null);
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
          <PrintActions kind="receipt" bookingId={bookingId} ready={!!receipt} label="Print receipt" />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
