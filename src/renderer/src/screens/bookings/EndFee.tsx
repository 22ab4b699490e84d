import { useEffect, useState } from 'react';
import type { BookingDetail } from '../../../../shared/contract/bookings';
import type { Output } from '../../../../shared/contract';
import { showMoney } from '../../format/money';
import { call } from '../../rpc/client';

/**
 * Before the clerk cancels or marks a no-show: the fee the rate card charges for it now, and why,
 * priced by main. The fee becomes the booking's balance due, taken on the Charge panel.
 */
export function EndFee({ b, kind, locale }: { b: BookingDetail; kind: 'cancel' | 'no_show'; locale: string }) {
  const [answer, setAnswer] = useState<Output<'bookings.endFee'> | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setAnswer(null);
    setProblem(null);
    void call('bookings.endFee', { id: b.id, kind }).then((r) => {
      if (!live) return;
      if (r.ok) setAnswer(r.value);
      else setProblem(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [b.id, b.version, kind]);

  if (problem) return <p className="muted">{problem}</p>;
  if (!answer) return <p className="muted">Working out the fee…</p>;
  const what = kind === 'cancel' ? 'Cancellation fee' : 'No-show fee';
  const back = b.paid.amount - b.refunded.amount - answer.fee.amount;
  return (
    <div role="status" aria-label={what} className="end-fee">
      <p>
        <strong>
          {what}: {showMoney(answer.fee, locale)}
        </strong>{' '}
        <span className="muted">{answer.rule}</span>
      </p>
      {answer.fee.amount > 0 && <p>It becomes the booking's balance due; take it on the Charge panel.</p>}
      {back > 0 && <p>{showMoney({ ...answer.fee, amount: back }, locale)} already paid is then owed back to the customer.</p>}
    </div>
  );
}
