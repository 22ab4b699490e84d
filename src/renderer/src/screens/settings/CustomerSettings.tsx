import { useState } from 'react';
import type { Customer } from '../../../../shared/contract/customers';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Field } from '../../components/Field';
import { call } from '../../rpc/client';
import { useViews } from '../../stores/viewStore';
import { errorFor, useChange } from './adminKit';

/**
 * Customers for a manager: find records, open one to edit it (the counter's customer page),
 * merge two records of the same person (bookings follow the one kept), or erase a customer on
 * request (bookings and payments stay with their amounts, under "Erased customer").
 */
export function CustomerSettings() {
  const act = useChange();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<Customer[]>([]);
  const [picked, setPicked] = useState<Customer[]>([]);
  const [merging, setMerging] = useState(false);
  const [keepId, setKeepId] = useState<string | null>(null);
  const [erase, setErase] = useState<Customer | null>(null);
  const [reason, setReason] = useState('');

  async function search(q: string) {
    setQuery(q);
    const res = await call('customers.search', { query: q, limit: 20 });
    if (res.ok) setHits(res.value.customers);
  }
  const isPicked = (c: Customer) => picked.some((p) => p.id === c.id);
  const toggle = (c: Customer) => setPicked(isPicked(c) ? picked.filter((p) => p.id !== c.id) : [...picked, c].slice(-2));
  const contact = (c: Customer) => [c.email, c.phone, c.licenceNumber].filter(Boolean).join(' · ');

  return (
    <div className="admin-section">
      <h2>Customers</h2>
      <Field id="cust-find" label="Find a customer" hint="Name, email, phone or licence number. Tick two records of the same person to merge them.">
        {(c) => <input {...c} type="search" value={query} onChange={(e) => void search(e.target.value)} />}
      </Field>
      <div className="actions">
        <button type="button" disabled={picked.length !== 2} onClick={() => { setKeepId(picked[0]?.id ?? null); setMerging(true); act.clear(); }}>
          {picked.length === 2 ? `Merge ${picked[0]?.name} and ${picked[1]?.name}…` : 'Merge two records… (tick two)'}
        </button>
      </div>
      <table className="admin-table" aria-label="Customers found">
        <thead><tr><th scope="col"><span className="visually-hidden">Selected</span></th><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Phone</th><th scope="col">Licence</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          {hits.map((c) => (
            <tr key={c.id} className={isPicked(c) ? 'selected' : undefined}>
              <td><label className="box-target"><input type="checkbox" aria-label={`Select ${c.name}`} checked={isPicked(c)} onChange={() => toggle(c)} /></label></td>
              <th scope="row">{c.name}</th>
              <td>{c.email || '—'}</td>
              <td className="nowrap">{c.phone}</td>
              <td className="mono nowrap">{c.licenceNumber}</td>
              <td className="row-actions">
                <button type="button" onClick={() => useViews.getState().open({ kind: 'customer', id: c.id }, 'counter')}>Edit {c.name}</button>
                <button type="button" className="danger-outline" onClick={() => { setErase(c); setReason(''); act.clear(); }}>Erase {c.name}…</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {query.trim() !== '' && hits.length === 0 && <p className="hint">No customer matches “{query}”.</p>}

      <ConfirmDialog
        open={merging}
        onOpenChange={setMerging}
        title="Merge two records of the same person"
        description="Choose the record whose details to keep. Every booking of the other record moves to it, and the other record disappears from search."
        confirmLabel="Merge records"
        busy={act.busy}
        onConfirm={() => {
          const keep = picked.find((p) => p.id === keepId);
          const other = picked.find((p) => p.id !== keepId);
          if (!keep || !other) return;
          void act.run('customers.merge', { keepId: keep.id, mergeId: other.id }, `${other.name} merged into ${keep.name}.`).then(async (res) => {
            if (!res) return;
            setMerging(false);
            setPicked([]);
            await search(query);
          });
        }}
      >
        <fieldset className="plain" aria-describedby={act.error ? 'merge-err' : undefined}>
          <legend>Keep the details of</legend>
          {picked.map((p) => (
            <label key={p.id} className="radio-row">
              <input type="radio" name="merge-keep" checked={keepId === p.id} onChange={() => setKeepId(p.id)} />
              <span><strong>{p.name}</strong><br /><span className="muted">{contact(p)}</span></span>
            </label>
          ))}
          {act.error && <p id="merge-err" role="alert" className="field-error">{act.error}</p>}
        </fieldset>
      </ConfirmDialog>

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
            setPicked([]);
            await search(query);
          });
        }}
      >
        {act.error && <p role="alert" className="panel-error">{act.error}</p>}
        <Field id="erase-reason" label="Reason" hint="e.g. Asked by email on 2 June" error={errorFor(act.fields, 'reason')}>
          {(c) => <input {...c} autoFocus value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
      </ConfirmDialog>
    </div>
  );
}
