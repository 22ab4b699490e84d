import { useState } from 'react';
import type { Customer } from '../../../../shared/contract/customers';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Field } from '../../components/Field';
import { call } from '../../rpc/client';
import { errorFor, useChange } from './adminKit';

/**
 * Customers for a manager: find a record, merge a duplicate into it (bookings follow), or erase
 * a customer on request (their bookings and payments stay, with their amounts, under "Erased
 * customer"). Editing details is on the customer's own page, as at the counter.
 */
export function CustomerSettings() {
  const act = useChange();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<Customer[]>([]);
  const [keep, setKeep] = useState<Customer | null>(null);
  const [merge, setMerge] = useState<Customer | null>(null);
  const [erase, setErase] = useState<Customer | null>(null);
  const [reason, setReason] = useState('');

  async function search(q: string) {
    setQuery(q);
    const res = await call('customers.search', { query: q, limit: 20 });
    if (res.ok) setHits(res.value.customers);
  }

  return (
    <div className="admin-section">
      <h2>Customers</h2>
      <Field id="cust-find" label="Find a customer" hint="Name, email, phone or licence number">
        {(c) => <input {...c} type="search" value={query} onChange={(e) => void search(e.target.value)} />}
      </Field>
      <table className="admin-table" aria-label="Customers found">
        <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Phone</th><th scope="col">Licence</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          {hits.map((c) => (
            <tr key={c.id} className={keep?.id === c.id ? 'selected' : undefined}>
              <th scope="row">{c.name}</th>
              <td>{c.email || '—'}</td>
              <td>{c.phone}</td>
              <td className="mono">{c.licenceNumber}</td>
              <td className="row-actions">
                {keep === null || keep.id === c.id ? (
                  <button type="button" aria-pressed={keep?.id === c.id} onClick={() => setKeep(keep?.id === c.id ? null : c)}>{keep?.id === c.id ? 'Keeping this record' : `Keep ${c.name}…`}</button>
                ) : (
                  <button type="button" onClick={() => setMerge(c)}>Merge {c.name} into {keep.name}</button>
                )}
                <button type="button" className="danger-outline" onClick={() => { setErase(c); setReason(''); act.setFields({}); }}>Erase {c.name}…</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {keep && <p className="hint" aria-live="polite">Keeping {keep.name}. Choose “Merge … into {keep.name}” on the duplicate record.</p>}

      <ConfirmDialog
        open={merge !== null}
        onOpenChange={(o) => { if (!o) setMerge(null); }}
        title={`Merge ${merge?.name ?? ''} into ${keep?.name ?? ''}?`}
        description={`Every booking of ${merge?.name ?? ''} (${merge?.email || merge?.phone || ''}) moves to ${keep?.name ?? ''} (${keep?.email || keep?.phone || ''}), whose details are kept. The duplicate record disappears from search.`}
        confirmLabel="Merge records"
        busy={act.busy}
        onConfirm={() => {
          if (!keep || !merge) return;
          void act.run('customers.merge', { keepId: keep.id, mergeId: merge.id }).then(async (res) => {
            if (!res) return;
            act.setFields({});
            setMerge(null);
            setKeep(null);
            await search(query);
          });
        }}
      />

      <ConfirmDialog
        open={erase !== null}
        onOpenChange={(o) => { if (!o) setErase(null); }}
        title={`Erase ${erase?.name ?? ''}?`}
        description="Their name, contact details, licence and date of birth are replaced for good. Bookings, receipts and payments are kept with their amounts, under “Erased customer”. This cannot be undone."
        confirmLabel="Erase personal data"
        danger
        busy={act.busy}
        onConfirm={() => {
          if (!erase) return;
          void act.run('customers.erase', { id: erase.id, reason }, `${erase.name} was erased. Their bookings and payments are kept.`).then(async (res) => {
            if (!res) return;
            setErase(null);
            await search(query);
          });
        }}
      >
        <Field id="erase-reason" label="Reason" hint="e.g. Asked by email on 2 June" error={errorFor(act.fields, 'reason') ?? errorFor(act.fields, 'id')}>
          {(c) => <input {...c} autoFocus value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
      </ConfirmDialog>
    </div>
  );
}
