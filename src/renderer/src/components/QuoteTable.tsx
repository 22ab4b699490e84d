import type { QuoteView } from '../../../shared/contract/bookings';
import { RETURN_LINE_KINDS, lineQuantity } from '../format/labels';
import { showMoney } from '../format/money';

/** A price breakdown as main computed it: every line, then subtotal, discounts, tax and total. */
export function QuoteTable({
  quote,
  locale,
  caption,
  highlightReturn = false,
  hideCaption = false,
}: {
  quote: QuoteView;
  locale: string;
  caption: string;
  highlightReturn?: boolean;
  /** When a heading right above already says it. */
  hideCaption?: boolean;
}) {
  const money = (m: QuoteView['total']) => showMoney(m, locale);
  const items = quote.lines.filter((l) => l.kind !== 'tax' && l.kind !== 'discount');
  const discounts = quote.lines.filter((l) => l.kind === 'discount');
  const taxes = quote.lines.filter((l) => l.kind === 'tax');
  return (
    <table className="quote">
      <caption className={hideCaption ? 'visually-hidden' : undefined}>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Item</th>
          <th scope="col" className="num">Qty</th>
          <th scope="col" className="num">Each</th>
          <th scope="col" className="num">Amount</th>
        </tr>
      </thead>
      <tbody>
        {items.map((l, i) => {
          const fromReturn = highlightReturn && RETURN_LINE_KINDS.has(l.kind);
          return (
            <tr key={`${l.kind}-${l.code}-${i}`} className={fromReturn ? 'return-line' : undefined}>
              <td>
                {l.description}
                {fromReturn && <span className="tag">added at return</span>}
              </td>
              <td className="num">{lineQuantity(l.quantity, l.quantityScale)}</td>
              <td className="num">{money(l.unitAmount)}</td>
              <td className="num">{money(l.amount)}</td>
            </tr>
          );
        })}
      </tbody>
      <tbody className="totals">
        <tr>
          <th scope="row" colSpan={3}>Subtotal</th>
          <td className="num">{money(quote.subtotal)}</td>
        </tr>
        {discounts.map((l, i) => (
          <tr key={`d-${i}`}>
            <th scope="row" colSpan={3}>{l.description}</th>
            <td className="num">{money(l.amount)}</td>
          </tr>
        ))}
        {discounts.length === 0 && quote.discountTotal.amount !== 0 && (
          <tr>
            <th scope="row" colSpan={3}>Discount</th>
            <td className="num">{money(quote.discountTotal)}</td>
          </tr>
        )}
        {taxes.map((l, i) => (
          <tr key={`t-${i}`}>
            <th scope="row" colSpan={3}>
              {l.description}
              {!l.countsInTotal && ' (included in prices)'}
            </th>
            <td className="num">{money(l.amount)}</td>
          </tr>
        ))}
        {taxes.length === 0 && (
          <tr>
            <th scope="row" colSpan={3}>Tax{quote.taxMode === 'inclusive' ? ' (included in prices)' : ''}</th>
            <td className="num">{money(quote.taxTotal)}</td>
          </tr>
        )}
        <tr className="grand">
          <th scope="row" colSpan={3}>Total</th>
          <td className="num">{money(quote.total)}</td>
        </tr>
      </tbody>
    </table>
  );
}
