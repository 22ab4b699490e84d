import { useEffect, useState } from 'react';
import { BookingTable } from '../../components/BookingTable';
import { ViewHeader } from '../../components/ViewHeader';
import { licenceExpiredOn } from '../../format/labels';
import { shopDate, showDate } from '../../format/time';
import { useShop } from '../../lib/useShop';
import { useCustomers } from '../../stores/customerStore';
import { useViews } from '../../stores/viewStore';
import { CustomerForm } from './CustomerForm';

/** A customer: contact details, licence (with warnings), and their bookings. */
export function CustomerView({ id }: { id: string }) {
  const entry = useCustomers((s) => s.byId[id]);
  const load = useCustomers((s) => s.load);
  const open = useViews((s) => s.open);
  const { locale, timeZone } = useShop();
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    void load(id);
  }, [id, load]);

  const page = entry?.page;
  if (!page) {
    return (
      <main className="screen" aria-labelledby="screen-title">
        <ViewHeader title="Customer" />
        {entry?.error ? <p role="alert" className="panel-error">{entry.error}</p> : <p className="muted">Loading the customer…</p>}
      </main>
    );
  }
  const c = page.customer;
  const today = shopDate(Date.now(), timeZone);
  const expired = licenceExpiredOn(c.licenceExpiry, today);
  const active = page.bookings.filter((b) => b.status === 'reserved' || b.status === 'checked_out');
  const outlived = active.filter((b) => licenceExpiredOn(c.licenceExpiry, shopDate(b.returnAt, timeZone)));

  return (
    <main className="screen" aria-labelledby="screen-title">
      <ViewHeader title={c.name} focus={!editing} />
      {entry.error && <p role="alert" className="panel-error">{entry.error}</p>}
      <div className="toolbar" role="toolbar" aria-label="Customer actions">
        <button type="button" className="primary" onClick={() => open({ kind: 'bookingForm', customerId: c.id })}>New booking for {c.firstName}</button>
        <button type="button" onClick={() => setEditing(!editing)} aria-expanded={editing}>Edit details</button>
      </div>
      {editing && (
        <CustomerForm
          customer={c}
          idPrefix="edit"
          onCancel={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            void load(id);
          }}
        />
      )}
      <div className="detail-grid">
        <section aria-labelledby="cu-contact" className="card">
          <h2 id="cu-contact">Contact</h2>
          <dl>
            <dt>Phone</dt><dd>{c.phone || '—'}</dd>
            <dt>Email</dt><dd>{c.email || '—'}</dd>
            <dt>Born</dt><dd>{showDate(c.dateOfBirth, locale)}</dd>
            {c.notes && (<><dt>Notes</dt><dd className="prewrap">{c.notes}</dd></>)}
          </dl>
        </section>
        <section aria-labelledby="cu-licence" className="card">
          <h2 id="cu-licence">Driving licence</h2>
          <dl>
            <dt>Number</dt><dd>{c.licenceNumber}</dd>
            <dt>Valid until</dt><dd>{showDate(c.licenceExpiry, locale)}</dd>
          </dl>
          {expired && <p className="warn" role="note">This licence has expired. Do not hand over a vehicle until the customer shows a valid one.</p>}
          {!expired && outlived.length > 0 && (
            <p className="warn" role="note">
              The licence expires before the return of {outlived.map((b) => b.ref).join(', ')}.
            </p>
          )}
        </section>
      </div>
      <section aria-labelledby="cu-bookings" className="card">
        <h2 id="cu-bookings" className="visually-hidden">Bookings</h2>
        <BookingTable
          caption="Bookings"
          timeLabel="Pickup"
          dateAndTime
          showCustomer={false}
          bookings={page.bookings}
          timeOf={(b) => b.pickupAt}
          onOpen={(b) => open({ kind: 'booking', id: b.id })}
          empty="No bookings yet."
        />
      </section>
    </main>
  );
}
