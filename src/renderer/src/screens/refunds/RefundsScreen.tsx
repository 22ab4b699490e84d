import { useEffect, useState } from 'react';
import type { RefundView } from '../../../../shared/contract/refunds';
import { showMoney } from '../../format/money';
import { showDateTime } from '../../format/time';
import { useShop } from '../../lib/useShop';
import { call } from '../../rpc/client';
import { useApp } from '../../stores/appStore';
import { RefundReceipt } from './RefundReceipt';
import { STATE_LABEL } from './refundLabels';
import { useRefunds } from './useRefunds';
import type { RefundFilter } from './useRefunds';

const TABS: { id: RefundFilter; label: string }[] = [
  { id: 'open', label: 'Queue' },
  { id: 'attention', label: 'Needs attention' },
  { id: 'all', label: 'All refunds' },
];

/** F3: the refund queue with each refund's state and next try, the needs-attention list, and every refund. */
export function RefundsScreen() {
  const { refunds, queue, filter, error, load, subscribe, changes } = useRefunds();
  const session = useApp((s) => s.session);
  const notify = useApp((s) => s.notify);
  const shop = useShop();
  const [receipt, setReceipt] = useState<RefundView | null>(null);
  useEffect(() => subscribe(), [subscribe]);
  useEffect(() => {
    void load(filter);
  }, [load, filter, changes]);
  const manager = session?.role === 'manager';
  // "Next try in 12 s" counts down while something waits.
  const [, tick] = useState(0);
  const waiting = (queue?.waiting ?? 0) > 0;
  useEffect(() => {
    if (!waiting) return;
    const t = setInterval(() => tick((n) => n + 1), 1_000);
    return () => clearInterval(t);
  }, [waiting]);

  async function act(method: 'refunds.cancel' | 'refunds.retry', r: RefundView) {
    const res = await call(method, { refundId: r.id });
    if (res.ok) notify('success', method === 'refunds.cancel' ? 'Refund cancelled; nothing was sent to Stripe.' : 'Refund put back in the queue.', 'refund-action');
    else notify('error', res.error.message, 'refund-action');
    void load();
  }

  const online = queue?.online;
  return (
    <main className="screen refunds-screen" aria-labelledby="screen-title">
      <div className="view-head">
        <h1 id="screen-title">Refunds</h1>
      </div>
      <p className="lede" aria-live="polite">
        {online === false ? 'Offline: Stripe cannot be reached. ' : online === true ? 'Online. ' : ''}
        {queue ? (queue.waiting === 0 ? 'No refunds are waiting.' : `${queue.waiting} refund(s) waiting to be sent; they go out by themselves when Stripe answers.`) : ''}
      </p>
      <div role="tablist" aria-label="Which refunds" className="toolbar">
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" aria-selected={filter === t.id} className={filter === t.id ? 'primary' : undefined} onClick={() => void load(t.id)}>
            {t.label}
            {t.id === 'attention' && queue && queue.attention > 0 ? ` (${queue.attention})` : ''}
          </button>
        ))}
      </div>
      {error && <p role="alert" className="field-error">{error}</p>}
      {refunds.length === 0 ? (
        <p className="empty">{filter === 'attention' ? 'Nothing needs attention.' : filter === 'open' ? 'The queue is empty.' : 'No refunds yet. Refund from a booking (Refund… under its payments).'}</p>
      ) : (
        <table className="bookings refund-table" aria-label={TABS.find((t) => t.id === filter)?.label}>
          <thead>
            <tr>
              <th scope="col">Booking</th>
              <th scope="col">Amount</th>
              <th scope="col">Reason</th>
              <th scope="col">State</th>
              <th scope="col">Next try / detail</th>
              <th scope="col">Made</th>
              <th scope="col"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {refunds.map((r) => (
              <tr key={r.id} aria-label={`Refund ${r.bookingRef ?? ''} ${showMoney({ amount: r.amount, currency: r.currency }, shop.locale)}`}>
                <td>{r.bookingRef ?? '—'}<span className="sub">{r.customerName ?? ''}</span></td>
                <td>{showMoney({ amount: r.amount, currency: r.currency }, shop.locale)}<span className="sub">{r.method === 'cash' ? 'Cash' : r.cardLast4 ? `Card ···· ${r.cardLast4}` : 'Card'}</span></td>
                <td className="wrap">{r.reason}</td>
                <td><span className={`status refund-${r.status}`}>{STATE_LABEL[r.status]}</span></td>
                <td className="wrap">
                  {r.attentionReason ? (
                    <>
                      <strong>{r.attentionReason}</strong>
                      <br />
                      <small>{r.attentionAction}</small>
                    </>
                  ) : r.nextTryAt ? (
                    <>
                      Next try {nextTry(r.nextTryAt, shop.timeZone, shop.locale, online === false)}
                      {r.attempts > 0 ? ` (tried ${r.attempts}×)` : ''}
                      {r.lastError && <span className="sub">{r.lastError}</span>}
                    </>
                  ) : r.status === 'sending' ? 'Sending now…' : ''}
                </td>
                <td className="wrap">{showDateTime(r.createdAt, shop.timeZone, shop.locale)}<span className="sub">{r.createdBy ?? 'Stripe'}{r.approvedBy.length ? ` · approved by ${r.approvedBy.join(' and ')}` : ''}</span></td>
                <td className="actions">
                  <button type="button" onClick={() => setReceipt(r)}>Receipt</button>
                  {manager && r.canCancel && <button type="button" className="danger" onClick={() => void act('refunds.cancel', r)}>Cancel refund</button>}
                  {manager && r.attentionReason && r.status === 'failed' && r.canCancel && <button type="button" onClick={() => void act('refunds.retry', r)}>Send again</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <RefundReceipt refund={receipt} onClose={() => setReceipt(null)} />
    </main>
  );
}

/** "in 12 s", "in 4 min", or the shop time when it is further off. */
function nextTry(at: string, timeZone: string, locale: string, offline: boolean): string {
  const ms = Date.parse(at) - Date.now();
  if (ms <= 1_000) return offline ? 'as soon as the network returns' : 'now';
  if (ms < 60_000) return `in ${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `in ${Math.round(ms / 60_000)} min`;
  return `at ${showDateTime(at, timeZone, locale)}`;
}
