import type { Receipt } from '../../../shared/contract/payments';
import { showMoney } from '../format/money';
import { showDateTime } from '../format/time';
import { brandLabel } from '../screens/payments/paymentLabels';

/**
 * The receipt as printed: shop, booking, price lines, each payment (card brand, last 4,
 * authorisation code, Stripe id; cash tendered and change), what is paid and still due.
 * Plain markup sized for an 80 mm roll or A4; the print stylesheet hides everything else.
 */
export function ReceiptView({ r, locale, timeZone }: { r: Receipt; locale: string; timeZone: string }) {
  const money = (m: Receipt['total']) => showMoney(m, locale);
  const when = (iso: string) => showDateTime(iso, timeZone, locale);
  return (
    <article className="receipt" aria-label={`Receipt ${r.booking.ref}`}>
      <header>
        <p className="receipt-shop">{r.shop.name}</p>
        {r.shop.address && <p>{r.shop.address}</p>}
        {r.shop.phone && <p>{r.shop.phone}</p>}
      </header>
      <dl className="receipt-booking">
        <dt>Booking</dt><dd>{r.booking.ref}</dd>
        <dt>Customer</dt><dd>{r.booking.customerName}</dd>
        <dt>Vehicle</dt><dd>{r.booking.vehicle} ({r.booking.plate})</dd>
        <dt>Pickup</dt><dd>{showDateTime(r.booking.pickupAt, r.booking.pickupTimeZone || timeZone, locale)}{r.booking.pickupTimeZone && r.booking.pickupTimeZone !== timeZone ? ` (${r.booking.pickupTimeZone})` : ''}</dd>
        <dt>Return</dt><dd>{showDateTime(r.booking.returnAt, r.booking.returnTimeZone || timeZone, locale)}{r.booking.returnTimeZone && r.booking.returnTimeZone !== timeZone ? ` (${r.booking.returnTimeZone})` : ''}</dd>
      </dl>
      <table className="receipt-lines">
        <caption className="visually-hidden">Charges</caption>
        <tbody>
          {r.lines.map((l, i) => (
            <tr key={i}>
              <th scope="row">{l.description}</th>
              <td className="num">{money(l.amount)}</td>
            </tr>
          ))}
          <tr className="grand">
            <th scope="row">Total</th>
            <td className="num">{money(r.total)}</td>
          </tr>
        </tbody>
      </table>
      <h3>Payments</h3>
      {r.payments.length === 0 ? (
        <p>No payments.</p>
      ) : (
        <ul className="receipt-payments">
          {r.payments.map((p) => (
            <li key={p.id}>
              <div className="row">
                <span>{p.method === 'cash' ? 'Cash' : `${brandLabel(p.cardBrand)}${p.cardLast4 ? ` •••• ${p.cardLast4}` : ''}`}</span>
                <span className="num">{money(p.amount)}</span>
              </div>
              <div className="sub">{when(p.at)}</div>
              {p.method === 'cash' && p.tendered && (
                <div className="sub">
                  Tendered {money(p.tendered)}, change {money(p.change ?? { ...p.amount, amount: 0 })}
                </div>
              )}
              {p.authCode && <div className="sub">Auth code {p.authCode}</div>}
              {p.stripeId && <div className="sub mono">Ref {p.stripeId}</div>}
            </li>
          ))}
        </ul>
      )}
      {r.deposits.length > 0 && (
        <>
          <h3>Deposit</h3>
          <ul className="receipt-payments">
            {r.deposits.map((d, i) => (
              <li key={i}><div className="row"><span>{d.description}</span><span className="num">{money(d.amount)}</span></div></li>
            ))}
          </ul>
        </>
      )}
      <dl className="receipt-sums">
        <dt>Paid</dt><dd>{money(r.paid)}</dd>
        <dt>Balance due</dt><dd>{money(r.balanceDue)}</dd>
      </dl>
      <footer>
        <p>Printed {when(r.printedAt)}</p>
        <p>Thank you.</p>
      </footer>
    </article>
  );
}
