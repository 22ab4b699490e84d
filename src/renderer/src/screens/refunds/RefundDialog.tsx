import * as Dialog from '@radix-ui/react-dialog';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { Output } from '../../../../shared/contract';
import { REFUND_REASONS, REFUND_REASON_LABELS } from '../../../../shared/contract/refunds';
import type { RefundReason, RefundView } from '../../../../shared/contract/refunds';
import { Field } from '../../components/Field';
import { majorText, parseAmount, showMoney } from '../../format/money';
import { useShop } from '../../lib/useShop';
import { call } from '../../rpc/client';
import { useApp } from '../../stores/appStore';

type Options = Output<'refunds.options'>;
type Approval = { staffId: string; pin: string };

/**
 * Refund from the booking: pick the payment, the amount (main checks what is still refundable),
 * the reason, and, where main asks for it, a manager's PIN (or two) on the spot. The clerk stays
 * signed in; main verifies each PIN and counts wrong ones towards the lockout.
 */
export function RefundDialog({ bookingId, open, onOpenChange, onDone }: { bookingId: string; open: boolean; onOpenChange: (o: boolean) => void; onDone: (r: RefundView) => void }) {
  const shop = useShop();
  const session = useApp((s) => s.session);
  const [opts, setOpts] = useState<Options | null>(null);
  const [paymentId, setPaymentId] = useState('');
  const [amountText, setAmountText] = useState('');
  const [reason, setReason] = useState<RefundReason>('customer_request');
  const [reasonText, setReasonText] = useState('');
  const [approvals, setApprovals] = useState<Approval[]>([]);
  const [override, setOverride] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    setErrors({});
    setProblem(null);
    setApprovals([]);
    setOverride(null);
    void call('refunds.options', { bookingId }).then((r) => {
      if (!r.ok) return setProblem(r.error.message);
      setOpts(r.value);
      const first = r.value.payments.find((p) => !p.blocked);
      setPaymentId(first?.paymentId ?? '');
      setAmountText(first ? majorText(first.refundable, first.currency) : '');
    });
  }, [open, bookingId]);

  const payment = opts?.payments.find((p) => p.paymentId === paymentId);
  const parsed = payment ? parseAmount(amountText, payment.currency) : null;
  const amount = parsed?.ok ? parsed.minor : 0;
  const policy = opts?.policy;
  const selfManager = session?.role === 'manager' ? 1 : 0;
  const needed = policy ? (policy.twoManagersAbove > 0 && amount > policy.twoManagersAbove ? 2 : amount > policy.pinAbove ? 1 : 0) : 0;
  const pinsShown = Math.max(approvals.length, needed - selfManager, override !== null && selfManager === 0 ? 1 : 0);
  const managers = (opts?.managers ?? []).filter((m) => m.id !== session?.staffId);

  const setApproval = (i: number, patch: Partial<Approval>) =>
    setApprovals((a) => {
      const next = [...a];
      while (next.length <= i) next.push({ staffId: managers[next.length]?.id ?? '', pin: '' });
      next[i] = { ...next[i]!, ...patch };
      return next;
    });

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!payment || busy) return;
    if (!parsed?.ok) return setErrors({ amount: parsed?.problem ?? 'Enter an amount' });
    setBusy(true);
    const filled = Array.from({ length: pinsShown }, (_, i) => approvals[i] ?? { staffId: managers[i]?.id ?? '', pin: '' }).filter((a) => a.staffId && a.pin);
    const res = await call('refunds.create', {
      paymentId: payment.paymentId,
      amount: parsed.minor,
      reasonCode: reason,
      reasonText: reasonText.trim() || undefined,
      approvals: filled,
      overrideReason: override?.trim() || undefined,
    });
    setBusy(false);
    if (res.ok) {
      onDone(res.value);
      onOpenChange(false);
      return;
    }
    const f = res.error.fields ?? {};
    setErrors(f);
    setProblem(res.error.message);
    if (f.overrideReason && override === null) setOverride('');
    setApprovals((a) => a.map((x) => ({ ...x, pin: '' })));
  }

  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog refund-dialog">
          <Dialog.Title>Refund</Dialog.Title>
          <Dialog.Description>Card refunds are queued and sent to Stripe once, even while the shop is offline. Cash comes out of this till’s drawer.</Dialog.Description>
          {!opts ? (
            <p>{problem ?? 'Loading…'}</p>
          ) : opts.payments.length === 0 ? (
            <p>This booking has no payments to refund.</p>
          ) : (
            <form onSubmit={(e) => void submit(e)} noValidate>
              <fieldset>
                <legend>Payment</legend>
                {opts.payments.map((p) => (
                  <label key={p.paymentId} className="radio">
                    <input type="radio" name="refund-payment" value={p.paymentId} checked={paymentId === p.paymentId} disabled={!!p.blocked}
                      onChange={() => { setPaymentId(p.paymentId); setAmountText(majorText(p.refundable, p.currency)); }} />
                    {p.method === 'cash' ? 'Cash' : `${brand(p.cardBrand)} ···· ${p.cardLast4 ?? '????'}`} — paid {showMoney({ amount: p.paid, currency: p.currency }, shop.locale)},
                    {' '}refundable {showMoney({ amount: p.refundable, currency: p.currency }, shop.locale)}
                    {p.blocked && <small className="field-hint"> {p.blocked}</small>}
                  </label>
                ))}
              </fieldset>
              <Field id="refund-amount" label={`Amount to refund${payment ? ` (${payment.currency})` : ''}`} error={errors.amount}
                hint={payment ? `At most ${showMoney({ amount: payment.refundable, currency: payment.currency }, shop.locale)}` : undefined}>
                {(c) => <input {...c} inputMode="decimal" value={amountText} onChange={(e) => setAmountText(e.target.value)} />}
              </Field>
              <Field id="refund-reason" label="Reason" error={errors.reasonCode}>
                {(c) => (
                  <select {...c} value={reason} onChange={(e) => setReason(e.target.value as RefundReason)}>
                    {REFUND_REASONS.map((r) => <option key={r} value={r}>{REFUND_REASON_LABELS[r]}</option>)}
                  </select>
                )}
              </Field>
              <Field id="refund-reason-text" label={reason === 'other' ? 'Why (required)' : 'Note (optional)'} error={errors.reasonText}>
                {(c) => <input {...c} value={reasonText} maxLength={500} onChange={(e) => setReasonText(e.target.value)} />}
              </Field>
              {Array.from({ length: pinsShown }, (_, i) => (
                <fieldset key={i} className="pin-approval">
                  <legend>{i === 0 && selfManager === 0 ? 'Manager approval' : 'Second manager approval'}</legend>
                  <Field id={`approver-${i}`} label="Manager">
                    {(c) => (
                      <select {...c} value={approvals[i]?.staffId ?? managers[i]?.id ?? ''} onChange={(e) => setApproval(i, { staffId: e.target.value })}>
                        {managers.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
                      </select>
                    )}
                  </Field>
                  <Field id={`approver-pin-${i}`} label="Manager’s PIN" error={i === 0 ? errors.approvals : undefined}>
                    {(c) => <input {...c} type="password" inputMode="numeric" autoComplete="off" maxLength={8} value={approvals[i]?.pin ?? ''} onChange={(e) => setApproval(i, { pin: e.target.value.replace(/\D/g, '') })} />}
                  </Field>
                </fieldset>
              ))}
              {override !== null && (
                <Field id="refund-override" label="Override reason (a manager overrides the refund limit)" error={errors.overrideReason}>
                  {(c) => <input {...c} value={override} maxLength={500} onChange={(e) => setOverride(e.target.value)} />}
                </Field>
              )}
              {problem && <p role="alert" className="field-error">{problem}</p>}
              <div className="actions">
                <button type="submit" className="primary" disabled={busy || !payment}>
                  {busy ? 'Working…' : payment && parsed?.ok ? `Refund ${showMoney({ amount: parsed.minor, currency: payment.currency }, shop.locale)}` : 'Refund'}
                </button>
                <Dialog.Close asChild><button type="button">Go back</button></Dialog.Close>
              </div>
            </form>
          )}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

const brand = (b: string | null): string => (b ? b.charAt(0).toUpperCase() + b.slice(1) : 'Card');
