import { useState } from 'react';
import { ReceiptDialog } from '../../receipts/ReceiptDialog';
import { usePayments } from '../../stores/paymentStore';
import { usePrint } from '../../stores/printStore';
import { ChargePanel } from './ChargePanel';
import { PaymentHistory } from './PaymentHistory';

/** The money part of a booking: the Charge panel, every payment with its tries, and the receipt (print and reprint). */
export function PaymentsSection({ bookingId }: { bookingId: string }) {
  const data = usePayments((s) => s.byBooking[bookingId]?.data);
  const [shown, setReceipt] = useState(false);
  // The palette's "Print receipt" opens the same dialog.
  const asked = usePrint((s) => s.receiptFor === bookingId);
  const receipt = shown || asked;
  const setOpen = (o: boolean) => {
    setReceipt(o);
    if (!o) usePrint.getState().showReceipt(null);
  };
  const paidSomething = data?.payments.some((p) => p.status === 'succeeded' || p.status === 'authorized') ?? false;
  return (
    <div className="payments-section">
      <ChargePanel bookingId={bookingId} />
      {data && (
        <PaymentHistory
          data={data}
          actions={paidSomething && <button type="button" onClick={() => setReceipt(true)}>Show and print receipt</button>}
        />
      )}
      <ReceiptDialog bookingId={bookingId} open={receipt} onOpenChange={setOpen} />
    </div>
  );
}
