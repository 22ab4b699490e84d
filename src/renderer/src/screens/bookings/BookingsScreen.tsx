import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { BOOKING_STATUSES } from '../../../../shared/contract/bookings';
import type { BookingStatus } from '../../../../shared/contract/bookings';
import { BookingTable } from '../../components/BookingTable';
import { Field } from '../../components/Field';
import { ShopDate } from '../../components/ShopDateTime';
import { fieldMessage } from '../../format/errors';
import { STATUS_LABEL } from '../../format/labels';
import { addDays, dayStart, shopDate } from '../../format/time';
import { NEW_BOOKING_KEYS } from '../../keymap';
import { useShop } from '../../lib/useShop';
import { useBookingList } from '../../stores/bookingListStore';
import type { ListFilter } from '../../stores/bookingListStore';
import { useViews } from '../../stores/viewStore';
import { WorkView } from '../WorkView';

/** F2: bookings over a window of days, and "New booking" (Ctrl+N). */
export function BookingsScreen() {
  const top = useViews((s) => s.stacks.bookings.at(-1));
  return top ? <WorkView view={top} /> : <BookingList />;
}

function BookingList() {
  const { timeZone, locale } = useShop();
  const { filter, bookings, loading, error, fieldErrors, load } = useBookingList();
  const open = useViews((s) => s.open);
  const [draft, setDraft] = useState<ListFilter>(() => filter ?? { fromDate: shopDate(Date.now(), timeZone), toDate: addDays(shopDate(Date.now(), timeZone), 7), status: 'all' });

  const run = (f: ListFilter) => {
    const toDate = /^\d{4}-\d{2}-\d{2}$/.test(f.toDate) ? addDays(f.toDate, 1) : f.toDate;
    void load(f, dayStart(f.fromDate, timeZone), dayStart(toDate, timeZone));
  };
  useEffect(() => {
    run(draft);
    // Once on arrival; later runs come from "Show".
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    run(draft);
  };
  const toErr = fieldMessage(fieldErrors, 'to');

  return (
    <main className="screen" aria-labelledby="screen-title">
      <div className="view-head">
        <h1 id="screen-title">Bookings</h1>
        <button type="button" className="primary" aria-keyshortcuts={NEW_BOOKING_KEYS} onClick={() => open({ kind: 'bookingForm' })}>
          New booking <kbd aria-hidden="true">Ctrl N</kbd>
        </button>
      </div>
      <form className="filters card" aria-label="Filter bookings" onSubmit={submit} noValidate>
        <Field id="bl-from" label="From">
          {(c) => <ShopDate control={c} locale={locale} value={draft.fromDate} onChange={(v) => setDraft({ ...draft, fromDate: v })} />}
        </Field>
        <Field id="bl-to" label="To" error={toErr}>
          {(c) => <ShopDate control={c} locale={locale} value={draft.toDate} onChange={(v) => setDraft({ ...draft, toDate: v })} />}
        </Field>
        <Field id="bl-status" label="Status">
          {(c) => (
            <select {...c} value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value as BookingStatus | 'all' })}>
              <option value="all">Any status</option>
              {BOOKING_STATUSES.map((s) => <option key={s} value={s}>{STATUS_LABEL[s]}</option>)}
            </select>
          )}
        </Field>
        <button type="submit">Show</button>
      </form>
      {error && !toErr && <p role="alert" className="panel-error">{error}</p>}
      {loading && bookings.length === 0 ? (
        <p className="muted">Loading bookings…</p>
      ) : (
        <BookingTable caption="Bookings in this window" timeLabel="Pickup" dateAndTime bookings={bookings} timeOf={(b) => b.pickupAt} onOpen={(b) => open({ kind: 'booking', id: b.id })} empty="No bookings in this window." />
      )}
    </main>
  );
}
