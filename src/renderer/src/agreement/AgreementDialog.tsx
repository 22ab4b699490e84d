import * as Dialog from '@radix-ui/react-dialog';
import { useEffect, useState } from 'react';
import type { BookingDetail } from '../../../shared/contract/bookings';
import { useShop } from '../lib/useShop';
import { call } from '../rpc/client';
import { canSavePdf, printDocument } from '../receipts/printReceipt';
import type { PrintOutcome } from '../receipts/printReceipt';
import { AgreementView } from './AgreementView';
import type { AgreementDeposit, AgreementParts } from './AgreementView';

/**
 * The agreement on screen with Print; the browser's print dialog also saves it as PDF. The print
 * stylesheet shows only the agreement, like the receipt.
 */
export function AgreementDialog({ b, open, onOpenChange }: { b: BookingDetail; open: boolean; onOpenChange: (open: boolean) => void }) {
  const { locale, timeZone } = useShop();
  const [parts, setParts] = useState<AgreementParts | null>(null);
  const [deposit, setDeposit] = useState<AgreementDeposit | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [printed, setPrinted] = useState<PrintOutcome | null>(null);
  const print = (pdf: boolean) => void printDocument('agreement', b.id, pdf).then(setPrinted);
  useEffect(() => {
    if (!open) return;
    let live = true;
    setError(null);
    void Promise.all([call('bookings.agreement', { id: b.id }), call('deposits.forBooking', { bookingId: b.id })]).then(([a, d]) => {
      if (!live) return;
      if (a.ok) setParts(a.value);
      else setError(a.error.message);
      setDeposit(d.ok ? { view: d.value } : { unavailable: `The deposit could not be read (${d.error.message}); write it in by hand.` });
    });
    return () => {
      live = false;
    };
  }, [b.id, b.version, open]);

  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog agreement-dialog" aria-describedby={undefined}>
          <Dialog.Title className="no-print">Rental agreement</Dialog.Title>
          {error ? <p role="alert" className="panel-error">{error}</p> : parts && deposit ? <AgreementView b={b} parts={parts} deposit={deposit} locale={locale} timeZone={timeZone} /> : <p className="muted">Loading the agreement…</p>}
          {printed?.message && (
            <p role={printed.ok ? 'status' : 'alert'} className={`no-print ${printed.ok ? 'muted' : 'panel-error'}`}>
              {printed.message}
            </p>
          )}
          <div className="actions no-print">
            <button type="button" className="primary" autoFocus disabled={!parts} onClick={() => print(false)}>
              Print agreement
            </button>
            {canSavePdf() && (
              <button type="button" disabled={!parts} onClick={() => print(true)}>
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
