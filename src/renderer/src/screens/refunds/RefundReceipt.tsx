import * as Dialog from '@radix-ui/react-dialog';
import type { RefundView } from '../../../../shared/contract/refunds';
import { showMoney } from '../../format/money';
import { showDateTime } from '../../format/time';
import { useShop } from '../../lib/useShop';
import { useApp } from '../../stores/appStore';
import { METHOD_LABEL, STATE_LABEL } from './refundLabels';

/** The customer's refund receipt: what goes back, how, why, and its state; printed from the browser. */
export function RefundReceipt({ refund, onClose }: { refund: RefundView | null; onClose: () => void }) {
  const shop = useShop();
  const settings = useApp((s) => s.settings);
  return (
    <Dialog.Root open={refund !== null} onOpenChange={(o) => !o && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog receipt">
          <Dialog.Title>Refund receipt</Dialog.Title>
          <Dialog.Description>{settings?.shopName ?? 'Keydesk'}</Dialog.Description>
          {refund && (
            <dl className="receipt-lines" aria-label="Refund receipt">
              <dt>Booking</dt><dd>{refund.bookingRef ?? '—'}{refund.customerName ? ` · ${refund.customerName}` : ''}</dd>
              <dt>Refunded</dt><dd><strong>{showMoney({ amount: refund.amount, currency: refund.currency }, shop.locale)}</strong></dd>
              <dt>How</dt><dd>{METHOD_LABEL[refund.method]}{refund.cardLast4 && refund.method === 'card' ? ` (${refund.cardBrand ?? 'card'} ···· ${refund.cardLast4})` : ''}</dd>
              <dt>Reason</dt><dd>{refund.reason}</dd>
              <dt>State</dt><dd>{STATE_LABEL[refund.status]}{refund.status === 'queued' ? ' — it is sent to the bank as soon as the shop is online; nothing more is needed from you.' : ''}</dd>
              <dt>Date</dt><dd>{showDateTime(refund.createdAt, shop.timeZone, shop.locale)}</dd>
              <dt>Reference</dt><dd>{refund.stripeRefundId ?? refund.id}</dd>
              {refund.method === 'card' && <><dt>Note</dt><dd>Card refunds usually reach the customer’s account in 5–10 working days.</dd></>}
            </dl>
          )}
          <div className="actions">
            <button type="button" className="primary" onClick={() => window.print()}>Print</button>
            <Dialog.Close asChild><button type="button">Close</button></Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
