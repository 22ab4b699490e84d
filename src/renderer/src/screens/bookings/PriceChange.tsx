import { useEffect, useState } from 'react';
import type { BookingDetail, QuoteView } from '../../../../shared/contract/bookings';
import { showMoney } from '../../format/money';
import { latestOnly } from '../../lib/latest';
import { call } from '../../rpc/client';

/**
 * Before the clerk confirms a change: the booking's total now and after the change, priced by
 * main on the booking's own rate card. `returnAt` null: nothing valid to price yet.
 */
export function PriceChange({ b, returnAt, locale }: { b: BookingDetail; returnAt: string | null; locale: string }) {
  const [quote, setQuote] = useState<QuoteView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [latest] = useState(() => latestOnly());

  useEffect(() => {
    setQuote(null);
    setProblem(null);
    if (!returnAt) {
      latest.invalidate();
      return;
    }
    void latest(() =>
      call('bookings.quote', {
        bookingId: b.id,
        customerId: b.customer.id,
        vehicleId: b.vehicle.id,
        pickupAt: b.pickupAt,
        returnAt,
        pickupLocationId: b.pickupLocation.id,
        returnLocationId: b.returnLocation.id,
        extras: b.extras,
        fees: b.fees,
      }),
    ).then((answer) => {
      if (answer.stale) return;
      if (answer.value.ok) setQuote(answer.value.value.quote);
      else setProblem(answer.value.error.message);
    });
  }, [b, returnAt, latest]);

  if (problem) return <p className="muted">{problem}</p>;
  if (!quote) return <p className="muted">{returnAt ? 'Pricing the change…' : 'Enter the new date and time to see the new price.'}</p>;
  const diff = quote.total.amount - b.total.amount;
  const sign = diff > 0 ? '+' : diff < 0 ? '−' : '±';
  return (
    <p role="status" aria-label="Price change" className="price-change">
      Total now {showMoney(b.total, locale)}; after the change {showMoney(quote.total, locale)} ({sign}
      {showMoney({ ...quote.total, amount: Math.abs(diff) }, locale)}).
    </p>
  );
}
