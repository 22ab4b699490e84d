import { useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { Customer } from '../../../../shared/contract/customers';
import { licenceExpiredOn } from '../../format/labels';
import { showDate } from '../../format/time';
import { useShop } from '../../lib/useShop';
import { useCustomers } from '../../stores/customerStore';
import { CustomerForm } from '../customers/CustomerForm';

/** Choose who the booking is for: find an existing customer, or add one without leaving the form. */
export function CustomerPicker({
  value,
  onChange,
  error,
  returnDate,
}: {
  value: Customer | null;
  onChange: (c: Customer | null) => void;
  error?: string | undefined;
  /** Shop date of the booking's return, to warn about a licence that runs out first. */
  returnDate: string | null;
}) {
  const { locale } = useShop();
  const query = useCustomers((s) => s.query);
  const matches = useCustomers((s) => s.matches);
  const matchesFor = useCustomers((s) => s.matchesFor);
  const searchError = useCustomers((s) => s.searchError);
  const { search, clearSearch } = useCustomers.getState();
  const [adding, setAdding] = useState(false);
  const errId = 'bf-customer-err';

  const choose = (c: Customer) => {
    onChange(c);
    clearSearch();
    setAdding(false);
  };

  if (value) {
    const outlives = returnDate !== null && licenceExpiredOn(value.licenceExpiry, returnDate);
    return (
      <div className="chosen" aria-describedby={error ? errId : undefined}>
        <div>
          <p className="big">{value.name}</p>
          <p className="muted">
            {value.phone} · Licence {value.licenceNumber}, valid to {showDate(value.licenceExpiry, locale)}
          </p>
          {outlives && <p className="warn" role="note">The licence expires before the return date. Update the licence or shorten the booking.</p>}
          {error && <p id={errId} className="field-error">{error}</p>}
        </div>
        <button type="button" onClick={() => onChange(null)}>Change customer</button>
      </div>
    );
  }

  if (adding) return <CustomerForm idPrefix="newcust" onSaved={choose} onCancel={() => setAdding(false)} />;

  const shown = query.trim() !== '' && matchesFor === query;
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      const first = shown ? matches[0] : undefined;
      if (first) choose(first);
    }
  };

  return (
    <div className="picker">
      <div className="field">
        <label htmlFor="bf-customer">Find customer</label>
        <input
          id="bf-customer"
          type="search"
          autoComplete="off"
          placeholder="Surname, phone, email or licence"
          // A new booking starts with who: Ctrl+N lands the cursor here.
          autoFocus
          value={query}
          aria-invalid={error ? true : undefined}
          aria-describedby={[error ? errId : '', 'bf-customer-status'].filter(Boolean).join(' ')}
          onChange={(e) => search(e.target.value)}
          onKeyDown={onKeyDown}
        />
        {error && <p id={errId} className="field-error">{error}</p>}
        <p id="bf-customer-status" className="search-status" aria-live="polite">
          {searchError ?? (shown ? (matches.length === 0 ? 'No customer matches. Add them as a new customer.' : `${matches.length} found; Enter picks the first.`) : '')}
        </p>
      </div>
      {shown && matches.length > 0 && (
        <ul className="matches" aria-label="Matching customers">
          {matches.map((c) => (
            <li key={c.id}>
              <button type="button" onClick={() => choose(c)} aria-label={`Choose ${c.name}, ${c.phone}`}>
                <span className="hit-name">{c.name}</span>
                <span className="muted">{c.phone}</span>
                <span className="muted">{c.email}</span>
                <span className="muted">Licence {c.licenceNumber}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <button type="button" onClick={() => setAdding(true)}>New customer</button>
    </div>
  );
}
