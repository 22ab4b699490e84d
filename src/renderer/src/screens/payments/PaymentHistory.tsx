import type { ReactNode } from 'react';
import type { BookingPayments } from '../../../../shared/contract/payments';
import { showMoney } from '../../format/money';
import { showDateTime } from '../../format/time';
import { useShop } from '../../lib/useShop';
import { cardText, failureSentence, holdOutcome, methodLabel, statusLabel } from './paymentLabels';

const OUTCOME_LABEL = { succeeded: 'Approved', declined: 'Declined', failed: 'Failed', canceled: 'Cancelled', timed_out: 'Timed out' } as const;

/**
 * Every payment on the booking and every try of a card on it: what a manager asks when a
 * customer disputes a charge ("who took it, which card, what did the bank say, what did we net").
 */
export function PaymentHistory({ data, actions }: { data: BookingPayments; actions?: ReactNode }) {
  const { locale, timeZone } = useShop();
  const money = (m: { amount: number; currency: BookingPayments['total']['currency'] } | null) => (m ? showMoney(m, locale) : '—');
  const when = (iso: string) => showDateTime(iso, timeZone, locale);
  return (
    <section aria-labelledby="pay-history" className="card pay-history">
      <div className="section-head">
        <h2 id="pay-history">Payments</h2>
        {actions}
      </div>
      {data.handoverOverride && (
        <p className="warn" role="note">
          Handed over unpaid with {data.handoverOverride.by}’s approval ({when(data.handoverOverride.at)}): {data.handoverOverride.reason}
        </p>
      )}
      {data.payments.length === 0 ? (
        <p className="muted">No payments yet.</p>
      ) : (
        <table className="payments">
          <caption className="visually-hidden">Payments on {data.bookingRef}</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Method</th>
              <th scope="col">Card</th>
              <th scope="col" className="num">Amount</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">Fee</th>
              <th scope="col" className="num">Net</th>
              <th scope="col">Taken by</th>
            </tr>
          </thead>
          {data.payments.map((p) => (
            <tbody key={p.id}>
              <tr className={`pay-row status-${p.status}`}>
                <td>{when(p.createdAt)}</td>
                <td>{methodLabel(p)}</td>
                <td>{p.method === 'cash' ? (p.change ? `Tendered ${money(p.tendered)}, change ${money(p.change)}` : '—') : cardText(p.cardBrand, p.cardLast4) || '—'}</td>
                <td className="num">{money(p.amount)}</td>
                <td>
                  <span className={`pay-status ${p.status}`}>{holdOutcome(p, (m) => showMoney(m, locale)) ?? statusLabel(p)}</span>
                  {p.status !== 'succeeded' && failureSentence(p) && <span className="sub">{failureSentence(p)}</span>}
                </td>
                <td className="num">{p.method === 'cash' ? '—' : money(p.fee)}</td>
                <td className="num">{p.method === 'cash' ? money(p.amount) : money(p.net)}</td>
                <td>{p.staffName}</td>
              </tr>
              {p.attempts.some((a) => a.outcome !== 'succeeded') &&
                p.attempts.map((a, i) => (
                  <tr key={i} className="attempt">
                    <td>{when(a.at)}</td>
                    <td colSpan={2}>Try {i + 1}{cardText(a.cardBrand, a.cardLast4) ? `: ${cardText(a.cardBrand, a.cardLast4)}` : ''}</td>
                    <td />
                    <td colSpan={4}>
                      {OUTCOME_LABEL[a.outcome]}
                      {a.code ? ` (${a.code.replaceAll('_', ' ')})` : ''}
                      {a.message && a.outcome !== 'succeeded' ? `: ${a.message}` : ''}
                    </td>
                  </tr>
                ))}
            </tbody>
          ))}
        </table>
      )}
    </section>
  );
}
