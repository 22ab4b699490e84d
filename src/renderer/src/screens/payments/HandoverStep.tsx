import { useEffect, useState } from 'react';
import type { StaffMember } from '../../../../shared/contract/staff';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Field } from '../../components/Field';
import { errorSentence, fieldMessage } from '../../format/errors';
import type { FieldErrors } from '../../format/errors';
import { showMoney } from '../../format/money';
import { useShop } from '../../lib/useShop';
import { usePayments } from '../../stores/paymentStore';
import { ChargePanel } from './ChargePanel';

/** Why the keys may not go yet, or null when they may (paid, or a manager approved handing over unpaid). */
export function handoverBlock(bookingId: string, locale: string): string | null {
  const data = usePayments.getState().byBooking[bookingId]?.data;
  if (!data) return 'Keydesk is still loading the payments. Wait a moment, then hand over.';
  if (data.handoverAllowed) return null;
  return `${showMoney(data.balanceDue, locale)} is still due. Take the payment, or ask a manager to approve handing over unpaid`;
}

/**
 * Check-out's payment step: the balance is taken here, before the keys go. Handing over with a
 * balance due needs a manager's PIN and a reason; main checks the PIN and audits it.
 */
export function HandoverStep({ bookingId }: { bookingId: string }) {
  const { locale } = useShop();
  const data = usePayments((s) => s.byBooking[bookingId]?.data);
  const approve = usePayments((s) => s.approveUnpaidHandover);
  const [open, setOpen] = useState(false);
  const [managers, setManagers] = useState<StaffMember[]>([]);
  const [managerId, setManagerId] = useState('');
  const [pin, setPin] = useState('');
  const [reason, setReason] = useState('');
  const [fields, setFields] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    void usePayments.getState().managers().then((r) => {
      if (!r.ok) return;
      const m = r.value.staff.filter((s) => s.role === 'manager');
      setManagers(m);
      setManagerId((id) => id || (m[0]?.id ?? ''));
    });
  }, [open]);

  async function confirm() {
    setProblem(null);
    const local: FieldErrors = {};
    if (!managerId) local.managerId = 'Choose the manager approving this';
    if (!/^\d{4,8}$/.test(pin)) local.pin = 'Enter the manager’s PIN (4 to 8 digits)';
    if (!reason.trim()) local.reason = 'Say why the keys go before the payment';
    if (Object.keys(local).length > 0) {
      setFields(local);
      setProblem(Object.values(local).join('. ') + '.');
      return;
    }
    setBusy(true);
    const res = await approve({ bookingId, managerId, pin, reason: reason.trim() });
    setBusy(false);
    setPin('');
    if (!res.ok) {
      setFields(res.error.fields ?? {});
      setProblem(errorSentence(res.error, { managerId: 'Manager', pin: 'PIN', reason: 'Reason' }));
      return;
    }
    setFields({});
    setOpen(false);
  }

  const due = data && data.balanceDue.amount > 0;
  return (
    <>
      <ChargePanel bookingId={bookingId} />
      {data?.handoverOverride ? (
        <p className="warn" role="note">
          A manager ({data.handoverOverride.by}) approved handing over with {showMoney(data.balanceDue, locale)} unpaid: {data.handoverOverride.reason}
        </p>
      ) : (
        due &&
        !data.handoverAllowed && (
          <div className="actions">
            <button type="button" onClick={() => setOpen(true)}>Hand over unpaid (manager)…</button>
          </div>
        )
      )}
      <ConfirmDialog
        open={open}
        onOpenChange={(o) => {
          setOpen(o);
          if (!o) setProblem(null);
        }}
        title="Hand over with a balance due?"
        description={data ? `${showMoney(data.balanceDue, locale)} is still due on ${data.bookingRef}. A manager approves with their PIN; this is recorded.` : ''}
        confirmLabel="Approve handover"
        busy={busy}
        onConfirm={() => void confirm()}
      >
        {problem && <p role="alert" className="panel-error">{problem}</p>}
        <Field id="ho-manager" label="Manager" error={fieldMessage(fields, 'managerId')}>
          {(c) => (
            <select {...c} value={managerId} onChange={(e) => setManagerId(e.target.value)}>
              {managers.length === 0 && <option value="">No manager found</option>}
              {managers.map((m) => (
                <option key={m.id} value={m.id}>{m.name}</option>
              ))}
            </select>
          )}
        </Field>
        <Field id="ho-pin" label="Manager PIN" error={fieldMessage(fields, 'pin')}>
          {(c) => <input {...c} type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} />}
        </Field>
        <Field id="ho-reason" label="Reason (required)" error={fieldMessage(fields, 'reason')}>
          {(c) => <textarea {...c} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
      </ConfirmDialog>
    </>
  );
}
