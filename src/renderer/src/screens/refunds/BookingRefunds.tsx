import { useEffect, useState } from 'react';
import type { RefundView } from '../../../../shared/contract/refunds';
import { showMoney } from '../../format/money';
import { useShop } from '../../lib/useShop';
import { call } from '../../rpc/client';
import { useApp } from '../../stores/appStore';
import { RefundDialog } from './RefundDialog';
import { RefundReceipt } from './RefundReceipt';
import { STATE_LABEL } from './refundLabels';
import { useRefunds } from './useRefunds';

/** On the booking: its refunds with their states, and the Refund… button. */
export function BookingRefunds({ bookingId }: { bookingId: string }) {
  const shop = useShop();
  const notify = useApp((s) => s.notify);
  const changes = useRefunds((s) => s.changes);
  const subscribe = useRefunds((s) => s.subscribe);
  const [open, setOpen] = useState(false);
  const [receipt, setReceipt] = useState<RefundView | null>(null);
  const [refunds, setRefunds] = useState<RefundView[]>([]);
  const [canRefund, setCanRefund] = useState(false);
  useEffect(() => subscribe(), [subscribe]);
  useEffect(() => {
    void call('refunds.options', { bookingId }).then((r) => {
      if (!r.ok) return;
      setRefunds(r.value.refunds);
      setCanRefund(r.value.payments.some((p) => !p.blocked));
    });
  }, [bookingId, changes, open]);
  if (refunds.length === 0 && !canRefund) return null;
  return (
    <section aria-labelledby="bk-refunds" className="card">
      <h3 id="bk-refunds">Refunds</h3>
      {refunds.length > 0 && (
        <ul className="refund-list">
          {refunds.map((r) => (
            <li key={r.id} aria-label={`Refund ${showMoney({ amount: r.amount, currency: r.currency }, shop.locale)}`}>
              {showMoney({ amount: r.amount, currency: r.currency }, shop.locale)} · {r.reason} · <span className={`status refund-${r.status}`}>{STATE_LABEL[r.status]}</span>
              {r.status === 'failed' && r.attentionReason && <span className="refund-why"> — {r.attentionReason}</span>}
              {' '}<button type="button" onClick={() => setReceipt(r)}>Receipt</button>
            </li>
          ))}
        </ul>
      )}
      {canRefund && <button type="button" onClick={() => setOpen(true)}>Refund…</button>}
      <RefundDialog bookingId={bookingId} open={open} onOpenChange={setOpen} onDone={(r) => {
        notify('success', r.status === 'queued' ? `Refund of ${showMoney({ amount: r.amount, currency: r.currency }, shop.locale)} queued; it is sent to Stripe by itself.` : `Refunded ${showMoney({ amount: r.amount, currency: r.currency }, shop.locale)}.`, 'refund');
        setReceipt(r);
      }} />
      <RefundReceipt refund={receipt} onClose={() => setReceipt(null)} />
    </section>
  );
}
