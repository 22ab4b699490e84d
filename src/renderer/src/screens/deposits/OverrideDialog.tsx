import { useEffect, useState } from 'react';
import type { DepositView } from '../../../../shared/contract/deposits';
import type { StaffMember } from '../../../../shared/contract/staff';
import type { CurrencyCode } from '../../../../shared/money';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Field } from '../../components/Field';
import { errorSentence, fieldMessage } from '../../format/errors';
import type { FieldErrors } from '../../format/errors';
import { majorText, parseAmount } from '../../format/money';
import { call } from '../../rpc/client';

/** A manager changes the deposit for one booking: amount, reason and their PIN (main checks and audits it). */
export function OverrideDialog({ view, open, onOpenChange, onDone }: { view: DepositView; open: boolean; onOpenChange: (o: boolean) => void; onDone: (v: DepositView) => void }) {
  const currency = view.required.currency as CurrencyCode;
  const [managers, setManagers] = useState<StaffMember[]>([]);
  const [managerId, setManagerId] = useState('');
  const [pin, setPin] = useState('');
  const [amount, setAmount] = useState(majorText(view.required.amount, currency));
  const [reason, setReason] = useState('');
  const [fields, setFields] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!open) return;
    setPin('');
    setProblem(null);
    setFields({});
    void call('staff.list', {}).then((r) => {
      if (!r.ok) return;
      const m = r.value.staff.filter((s) => s.role === 'manager');
      setManagers(m);
      setManagerId((id) => id || (m[0]?.id ?? ''));
    });
  }, [open]);

  async function confirm() {
    const local: FieldErrors = {};
    const parsed = parseAmount(amount, currency);
    if (!parsed.ok) local.amount = parsed.problem;
    if (!reason.trim()) local.reason = 'Say why this booking needs another deposit';
    if (!managerId) local.managerId = 'Choose the manager approving this';
    if (!/^\d{4,8}$/.test(pin)) local.pin = 'Enter the manager’s PIN (4 to 8 digits)';
    setFields(local);
    if (Object.keys(local).length > 0 || !parsed.ok) return;
    setBusy(true);
    const r = await call('deposits.override', { bookingId: view.bookingId, amount: parsed.minor, reason: reason.trim(), managerId, pin });
    setBusy(false);
    if (!r.ok) {
      setFields(r.error.fields ?? {});
      return setProblem(errorSentence(r.error, { managerId: 'Manager', pin: 'PIN', reason: 'Reason', amount: 'Amount' }));
    }
    onDone(r.value);
    onOpenChange(false);
  }

  return (
    <ConfirmDialog open={open} onOpenChange={onOpenChange} title="Change the deposit for this booking" description={`The policy asks for this because: ${view.reason}`} confirmLabel="Save deposit" busy={busy} onConfirm={() => void confirm()}>
      {problem && <p role="alert" className="panel-error">{problem}</p>}
      <Field id="dep-amount" label={`Deposit (${currency})`} error={fieldMessage(fields, 'amount')}>
        {(c) => <input {...c} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />}
      </Field>
      <Field id="dep-reason" label="Reason" error={fieldMessage(fields, 'reason')}>
        {(c) => <input {...c} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <Field id="dep-manager" label="Manager" error={fieldMessage(fields, 'managerId')}>
        {(c) => (
          <select {...c} value={managerId} onChange={(e) => setManagerId(e.target.value)}>
            {managers.length === 0 && <option value="">No manager found</option>}
            {managers.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
          </select>
        )}
      </Field>
      <Field id="dep-pin" label="Manager PIN" error={fieldMessage(fields, 'pin')}>
        {(c) => <input {...c} type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} />}
      </Field>
    </ConfirmDialog>
  );
}
