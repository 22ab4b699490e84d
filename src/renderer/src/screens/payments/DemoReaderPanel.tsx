import { useState } from 'react';
import type { Payment, Reader, SimulatedOutcome } from '../../../../shared/contract/payments';
import { useApp } from '../../stores/appStore';
import { usePayments } from '../../stores/paymentStore';

/** The demo's card reader: the person at the counter plays the customer and picks what the card does. */
const OUTCOMES: Array<{ outcome: SimulatedOutcome; label: string }> = [
  { outcome: 'approve', label: 'Approve' },
  { outcome: 'card_declined', label: 'Decline' },
  { outcome: 'insufficient_funds', label: 'Insufficient funds' },
  { outcome: 'lost_card', label: 'Lost card' },
  { outcome: 'stolen_card', label: 'Stolen card' },
  { outcome: 'expired_card', label: 'Expired card' },
  { outcome: 'incorrect_cvc', label: 'Incorrect CVC' },
  { outcome: 'processing_error', label: 'Processing error' },
  { outcome: 'incorrect_number', label: 'Incorrect number' },
  { outcome: 'card_velocity_exceeded', label: 'Too many uses' },
  { outcome: 'card_removed', label: 'Card removed' },
  { outcome: 'timeout', label: 'Time out' },
];

export function DemoReaderPanel({ reader, active }: { reader: Reader; active: Payment | null }) {
  const simulate = usePayments((s) => s.simulate);
  const notify = useApp((s) => s.notify);
  const [busy, setBusy] = useState(false);
  const waiting = active !== null && active.status === 'requires_action' && active.errorMessage === null;

  async function present(outcome: SimulatedOutcome) {
    setBusy(true);
    const res = await simulate(reader.id, outcome);
    setBusy(false);
    if (!res.ok) notify('error', res.error.message, 'demo-reader');
  }

  return (
    <section aria-labelledby="demo-reader-title" className="demo-reader">
      <h3 id="demo-reader-title">Demo card reader</h3>
      <p className="muted">
        {waiting ? `You are the customer at ${reader.label}: pick what the card does.` : 'Demo only. Charge on the reader first; then pick here what the customer’s card does.'}
      </p>
      <div className="outcomes" role="group" aria-label="Present a test card">
        {OUTCOMES.map((o) => (
          <button key={o.outcome} type="button" className={o.outcome === 'approve' ? 'approve' : undefined} disabled={!waiting || busy} onClick={() => void present(o.outcome)}>
            {o.label}
          </button>
        ))}
      </div>
    </section>
  );
}
