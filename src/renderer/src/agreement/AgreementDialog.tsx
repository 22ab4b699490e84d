import * as Dialog from '@radix-ui/react-dialog';
import { PrintActions } from '../receipts/PrintActions';
import { useEffect, useState } from 'react';
import type { BookingDetail } from '../../../shared/contract/bookings';
import { useShop } from '../lib/useShop';
import { call } from '../rpc/client';
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
          <PrintActions kind="agreement" bookingId={b.id} ready={!!parts} label="Print agreement" />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
