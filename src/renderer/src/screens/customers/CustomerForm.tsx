import { useState } from 'react';
import type { FormEvent } from 'react';
import type { Customer } from '../../../../shared/contract/customers';
import { Field } from '../../components/Field';
import { ShopDate } from '../../components/ShopDateTime';
import { errorSentence, fieldMessage } from '../../format/errors';
import type { FieldErrors } from '../../format/errors';
import { licenceExpiredOn } from '../../format/labels';
import { shopDate, showDate } from '../../format/time';
import { useShop } from '../../lib/useShop';
import { useApp } from '../../stores/appStore';
import { useCustomers } from '../../stores/customerStore';

type Draft = { firstName: string; lastName: string; email: string; phone: string; licenceNumber: string; licenceExpiry: string; dateOfBirth: string; notes: string };

const LABELS: Record<keyof Draft, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  email: 'Email (optional)',
  phone: 'Phone',
  licenceNumber: 'Driving licence number',
  licenceExpiry: 'Licence valid until',
  dateOfBirth: 'Date of birth',
  notes: 'Notes (optional)',
};

const EMPTY: Draft = { firstName: '', lastName: '', email: '', phone: '', licenceNumber: '', licenceExpiry: '', dateOfBirth: '', notes: '' };

/** Adds a customer, or changes one; main checks every field and says which is wrong. */
export function CustomerForm({ customer, onSaved, onCancel, idPrefix = 'cust' }: { customer?: Customer; onSaved: (c: Customer) => void; onCancel: () => void; idPrefix?: string }) {
  const { locale, timeZone } = useShop();
  const notifyApp = useApp((s) => s.notify);
  const notify = (kind: 'error' | 'success', text: string) => notifyApp(kind, text, 'customer-form');
  const upsert = useCustomers((s) => s.upsert);
  const [draft, setDraft] = useState<Draft>(customer ? { ...EMPTY, ...pick(customer) } : EMPTY);
  const [fields, setFields] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);
  const today = shopDate(Date.now(), timeZone);
  const expired = /^\d{4}-\d{2}-\d{2}$/.test(draft.licenceExpiry) && licenceExpiredOn(draft.licenceExpiry, today);

  async function save(e: FormEvent) {
    e.preventDefault();
    e.stopPropagation();
    setSaving(true);
    const res = await upsert({ ...(customer ? { id: customer.id, expectedVersion: customer.version } : {}), ...draft });
    setSaving(false);
    if (res.ok) {
      setFields({});
      notify('success', customer ? `${res.value.name}’s details are saved.` : `${res.value.name} is added.`);
      onSaved(res.value);
    } else {
      setFields(res.error.fields ?? {});
      notify('error', errorSentence(res.error, LABELS));
    }
  }

  const input = (key: keyof Draft, props: Record<string, unknown> = {}) => (
    <Field id={`${idPrefix}-${key}`} label={LABELS[key]} error={fieldMessage(fields, key)}>
      {(c) => <input {...c} value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} {...props} />}
    </Field>
  );

  // Typed as the shop writes dates (a native date input would follow the browser's locale).
  const dateInput = (key: 'licenceExpiry' | 'dateOfBirth') => (
    <Field id={`${idPrefix}-${key}`} label={LABELS[key]} error={fieldMessage(fields, key)}>
      {(c) => <ShopDate control={c} locale={locale} value={draft[key]} onChange={(v) => setDraft({ ...draft, [key]: v })} />}
    </Field>
  );

  return (
    <form className="subform" aria-label={customer ? `Edit ${customer.name}` : 'New customer'} onSubmit={(e) => void save(e)} noValidate>
      <div className="grid-2">
        {input('firstName', { autoComplete: 'off', autoFocus: true })}
        {input('lastName', { autoComplete: 'off' })}
        {input('phone', { type: 'tel', autoComplete: 'off' })}
        {input('email', { type: 'email', autoComplete: 'off' })}
        {input('licenceNumber', { autoComplete: 'off' })}
        {dateInput('licenceExpiry')}
        {dateInput('dateOfBirth')}
        {input('notes')}
      </div>
      {expired && (
        <p className="warn" role="note">
          This licence expired on {showDate(draft.licenceExpiry, locale)}. Keydesk will refuse a booking that returns after it.
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={saving}>{saving ? 'Saving…' : customer ? 'Save customer' : 'Add customer'}</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}

function pick(c: Customer): Draft {
  return { firstName: c.firstName, lastName: c.lastName, email: c.email, phone: c.phone, licenceNumber: c.licenceNumber, licenceExpiry: c.licenceExpiry, dateOfBirth: c.dateOfBirth, notes: c.notes };
}
