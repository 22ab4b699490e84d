import { useEffect, useState } from 'react';
import type { BookingDetail } from '../../../../shared/contract/bookings';
import type { Result } from '../../../../shared/errors';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Field } from '../../components/Field';
import { ShopDateTime } from '../../components/ShopDateTime';
import { PriceChange } from './PriceChange';
import { EndFee } from './EndFee';
import { DamageDiagram } from '../../components/DamageDiagram';
import { PhotoThumbs } from '../../components/PhotoThumbs';
import { AgreementDialog } from '../../agreement/AgreementDialog';
import { usePrint } from '../../stores/printStore';
import { usePayments } from '../../stores/paymentStore';
import { QuoteTable } from '../../components/QuoteTable';
import { StatusBadge } from '../../components/StatusBadge';
import { ViewHeader } from '../../components/ViewHeader';
import { errorSentence, fieldMessage } from '../../format/errors';
import type { FieldErrors } from '../../format/errors';
import { actionsFor, fuelLabel, licenceExpiredOn } from '../../format/labels';
import { showMoney } from '../../format/money';
import { clockName, fromLocalInput, shopDate, showDate, showDateTime, toLocalInput, zoneOf } from '../../format/time';
import { useShop } from '../../lib/useShop';
import { useApp } from '../../stores/appStore';
import { useBookings } from '../../stores/bookingStore';
import { AdjustmentsPanel } from '../adjustments/AdjustmentsPanel';
import { useViews } from '../../stores/viewStore';
import { PaymentsSection } from '../payments/PaymentsSection';
import { BookingRefunds } from '../refunds/BookingRefunds';
import { DepositPanel } from '../deposits/DepositPanel';

const FLAG_TITLE: Record<BookingDetail['flags'][number]['kind'], string> = {
  dispute: 'Disputed at the bank.',
  refund_failed: 'A refund failed.',
  payment_failed: 'A payment failed.',
};

type Dialog = null | 'cancel' | 'noShow' | 'extend' | 'close';

/** One booking: who, what, when, the price as main computed it, what is still due, and what happened. */
export function BookingDetailView({ id }: { id: string }) {
  const entry = useBookings((s) => s.byId[id]);
  const load = useBookings((s) => s.load);
  useEffect(() => {
    void load(id);
  }, [id, load]);

  if (!entry?.detail) {
    return (
      <main className="screen" aria-labelledby="screen-title">
        <ViewHeader title="Booking" />
        {entry?.error ? <p role="alert" className="panel-error">{entry.error}</p> : <p className="muted">Loading the booking…</p>}
      </main>
    );
  }
  return <Detail b={entry.detail} error={entry.error} />;
}

function Detail({ b, error }: { b: BookingDetail; error: string | null }) {
  const { locale, timeZone } = useShop();
  const open = useViews((s) => s.open);
  const notifyApp = useApp((s) => s.notify);
  const notify = (kind: 'error' | 'success', text: string) => notifyApp(kind, text, 'booking-action');
  const store = useBookings.getState();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [reason, setReason] = useState('');
  const [newReturn, setNewReturn] = useState('');
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<FieldErrors>({});
  // Opened from the toolbar or from the palette ("Print rental agreement").
  const agreementOpen = usePrint((s) => s.agreementFor === b.id);
  const money = (m: BookingDetail['total']) => showMoney(m, locale);
  const when = (iso: string) => showDateTime(iso, timeZone, locale);
  // The booking's own times read on its locations' clocks (a location may keep another time zone).
  const pickupZone = zoneOf(b.pickupLocation, timeZone);
  const returnZone = zoneOf(b.returnLocation, timeZone);
  const atPickup = (iso: string) => showDateTime(iso, pickupZone, locale);
  const atReturn = (iso: string) => showDateTime(iso, returnZone, locale);
  const actions = actionsFor(b.status);
  const returnDate = shopDate(b.returnAt, returnZone);
  const licenceBad = licenceExpiredOn(b.customer.licenceExpiry, returnDate) && (b.status === 'reserved' || b.status === 'checked_out');

  function closeDialog() {
    setDialog(null);
    useApp.getState().dismissErrors('booking-action');
  }

  function openDialog(d: Dialog) {
    setFields({});
    setReason('');
    if (d === 'extend') setNewReturn(toLocalInput(Date.parse(b.returnAt) + 86_400_000, returnZone));
    setDialog(d);
  }

  async function run(what: () => Promise<Result<BookingDetail>>, done: (d: BookingDetail) => string, labels: Record<string, string>) {
    setBusy(true);
    const res = await what();
    setBusy(false);
    if (res.ok) {
      closeDialog();
      // What is left to pay changes with the booking (a cancellation fee replaces the rental's total).
      void usePayments.getState().load(b.id);
      notify('success', done(res.value));
    } else {
      setFields(res.error.fields ?? {});
      notify('error', errorSentence(res.error, labels));
    }
  }

  const base = { id: b.id, expectedVersion: b.version };
  const confirm = {
    cancel: () => void run(() => store.cancel({ ...base, reason }), (d) => `${d.ref} is cancelled.${d.balanceDue.amount > 0 ? ` ${money(d.balanceDue)} fee to take.` : ''}`, { reason: 'Reason' }),
    noShow: () => void run(() => store.noShow({ ...base, reason }), (d) => `${d.ref} is marked as a no-show.${d.balanceDue.amount > 0 ? ` ${money(d.balanceDue)} fee to take.` : ''}`, { reason: 'Reason' }),
    close: () => void run(() => store.close(base), (d) => `${d.ref} is closed.`, {}),
    extend: () => {
      const at = fromLocalInput(newReturn, returnZone);
      if (!at) {
        setFields({ returnAt: 'Enter the new return date and time' });
        notify('error', 'Enter the new return date and time.');
        return;
      }
      void run(() => store.extend({ ...base, returnAt: at }), (d) => `${d.ref} now returns ${atReturn(d.returnAt)}. New total ${money(d.total)}.`, { returnAt: 'New return' });
    },
  };

  const balanceTone = b.balanceDue.amount > 0 ? 'due' : b.balanceDue.amount < 0 ? 'owed' : 'settled';

  return (
    <main className="screen booking" aria-labelledby="screen-title">
      <ViewHeader title={`Booking ${b.ref}`}>
        <StatusBadge status={b.status} />
      </ViewHeader>
      {error && <p role="alert" className="panel-error">{error}</p>}

      {b.flags.length > 0 && (
        <section aria-labelledby="bk-flags" className="flags">
          <h2 id="bk-flags">Needs a manager</h2>
          <ul>
            {b.flags.map((f) => (
              <li key={`${f.kind}-${f.at}`}>
                <strong>{FLAG_TITLE[f.kind]}</strong> {f.detail} <span className="muted">({when(f.at)})</span>
              </li>
            ))}
          </ul>
        </section>
      )}

      {actions.length > 0 && (
        <div className="toolbar" role="toolbar" aria-label="Booking actions">
          {actions.includes('checkOut') && <button type="button" className="primary" onClick={() => open({ kind: 'checkOut', id: b.id })}>Check out</button>}
          {actions.includes('checkIn') && <button type="button" className="primary" onClick={() => open({ kind: 'checkIn', id: b.id })}>Check in</button>}
          {actions.includes('close') && <button type="button" className="primary" onClick={() => openDialog('close')}>Close booking</button>}
          {actions.includes('extend') && <button type="button" onClick={() => openDialog('extend')}>Extend</button>}
          {actions.includes('modify') && <button type="button" onClick={() => open({ kind: 'bookingForm', id: b.id })}>Modify</button>}
          {actions.includes('noShow') && <button type="button" onClick={() => openDialog('noShow')}>No-show</button>}
          {(b.status === 'reserved' || b.status === 'checked_out') && <button type="button" onClick={() => usePrint.getState().showAgreement(b.id)}>Rental agreement</button>}
          {actions.includes('cancel') && <button type="button" className="danger-outline" onClick={() => openDialog('cancel')}>Cancel booking</button>}
        </div>
      )}

      <div className="detail-grid">
        <section aria-labelledby="bk-customer" className="card">
          <h2 id="bk-customer">Customer</h2>
          <p className="big">
            <button type="button" className="link" onClick={() => open({ kind: 'customer', id: b.customer.id })} aria-label={`Open customer ${b.customer.name}`}>
              {b.customer.name}
            </button>
          </p>
          <dl>
            <dt>Phone</dt><dd>{b.customer.phone || '—'}</dd>
            <dt>Email</dt><dd>{b.customer.email || '—'}</dd>
            <dt>Licence</dt><dd>{b.customer.licenceNumber}, valid to {showDate(b.customer.licenceExpiry, locale)}</dd>
          </dl>
          {licenceBad && (
            <p className="warn" role="note">
              The driving licence expires before the return on {showDate(returnDate, locale)}.
            </p>
          )}
        </section>
        <section aria-labelledby="bk-vehicle" className="card">
          <h2 id="bk-vehicle">Vehicle</h2>
          <p className="big"><span className="plate">{b.vehicle.plate}</span></p>
          <dl>
            <dt>Model</dt><dd>{b.vehicle.make} {b.vehicle.model}{b.vehicle.colour ? `, ${b.vehicle.colour}` : ''}</dd>
            <dt>Class</dt><dd>{b.vehicle.className}</dd>
          </dl>
          {!b.carAssigned && <p className="hint" role="note">Booked by class: this car is held; the car is given at pickup.</p>}
        </section>
        <section aria-labelledby="bk-times" className="card">
          <h2 id="bk-times">Times</h2>
          <dl>
            <dt>Pickup</dt><dd>{atPickup(b.pickupAt)}<br /><span className="muted">{b.pickupLocation.name}{pickupZone !== timeZone ? ` (${pickupZone})` : ''}</span></dd>
            <dt>Return</dt><dd>{atReturn(b.returnAt)}<br /><span className="muted">{b.returnLocation.name}{returnZone !== timeZone ? ` (${returnZone})` : ''}</span></dd>
          </dl>
        </section>
      </div>

      <div className="money-grid">
        <section aria-labelledby="bk-price" className="card">
          <h2 id="bk-price" className="visually-hidden">Price</h2>
          <QuoteTable quote={b.quote} locale={locale} caption="Price breakdown" highlightReturn={b.checkIn !== null} />
        </section>
        <section aria-labelledby="bk-balance" className={`card balance ${balanceTone}`}>
          <h2 id="bk-balance">Payment</h2>
          <dl className="sums">
            <dt>Total</dt><dd>{money(b.total)}</dd>
            <dt>Paid</dt><dd>{money(b.paid)}</dd>
            <dt>Refunded</dt><dd>{money(b.refunded)}</dd>
          </dl>
          <p className="balance-due">
            <span id="balance-label">{b.balanceDue.amount < 0 ? 'Owed to customer' : 'Balance due'}</span>
            <output aria-labelledby="balance-label" className="amount">{money(b.balanceDue.amount < 0 ? { ...b.balanceDue, amount: -b.balanceDue.amount } : b.balanceDue)}</output>
          </p>
        </section>
      </div>

      <DepositPanel bookingId={b.id} bookingVersion={b.version} />
      <PaymentsSection bookingId={b.id} />
      <BookingRefunds bookingId={b.id} />
      <AdjustmentsPanel booking={b} onChanged={() => void store.load(b.id)} />

      {(b.checkOut || b.checkIn || b.cancellation || b.notes) && (
        <div className="detail-grid">
          {b.checkOut && (
            <section aria-labelledby="bk-out" className="card">
              <h2 id="bk-out">Checked out</h2>
              <dl>
                <dt>When</dt><dd>{atPickup(b.checkOut.at)} by {b.checkOut.staffName}</dd>
                <dt>Odometer</dt><dd>{b.checkOut.odometer.toLocaleString(locale)}</dd>
                <dt>Fuel</dt><dd>{fuelLabel(b.checkOut.fuelEighths)}</dd>
                <dt>Damage noted</dt><dd>{b.checkOut.damageNotes || 'None'}</dd>
                <dt>Signature</dt><dd>{b.checkOut.signatureRef ? 'Signed on screen' : 'Signed on paper'}</dd>
              </dl>
              <DamageDiagram id="bk-out-diagram" caption="Damage at check-out" marks={b.checkOut.marks} />
              <PhotoThumbs refs={b.checkOut.photos} />
            </section>
          )}
          {b.checkIn && (
            <section aria-labelledby="bk-in" className="card">
              <h2 id="bk-in">Checked in</h2>
              <dl>
                <dt>When</dt><dd>{atReturn(b.checkIn.at)} by {b.checkIn.staffName}</dd>
                <dt>Odometer</dt><dd>{b.checkIn.odometer.toLocaleString(locale)}</dd>
                <dt>Fuel</dt><dd>{fuelLabel(b.checkIn.fuelEighths)}</dd>
                <dt>New damage</dt>
                <dd>{b.checkIn.newDamage.length === 0 ? 'None' : b.checkIn.newDamage.map((d) => `${d.description} (${money(d.amount)})`).join('; ')}</dd>
                <dt>Notes</dt><dd>{b.checkIn.notes || '—'}</dd>
              </dl>
              <DamageDiagram id="bk-in-diagram" caption="Damage at return" marks={b.checkIn.marks} before={b.checkOut?.marks ?? []} />
              <PhotoThumbs refs={b.checkIn.photos} />
            </section>
          )}
          {b.cancellation && (
            <section aria-labelledby="bk-cancel" className="card">
              <h2 id="bk-cancel">Cancelled</h2>
              <p>{when(b.cancellation.at)} by {b.cancellation.staffName}: {b.cancellation.reason}</p>
            </section>
          )}
          {b.notes && (
            <section aria-labelledby="bk-notes" className="card">
              <h2 id="bk-notes">Notes</h2>
              <p className="prewrap">{b.notes}</p>
            </section>
          )}
        </div>
      )}

      <section aria-labelledby="bk-audit" className="card audit">
        <h2 id="bk-audit">History</h2>
        {b.audit.length === 0 ? (
          <p className="muted">Nothing recorded yet.</p>
        ) : (
          <ol>
            {b.audit.map((a, i) => (
              <li key={i}>
                <time dateTime={a.at}>{when(a.at)}</time> <span className="muted">{a.actorName}</span> — {a.summary}
              </li>
            ))}
          </ol>
        )}
      </section>

      <ConfirmDialog
        open={dialog === 'cancel'}
        onOpenChange={(o) => !o && closeDialog()}
        title={`Cancel ${b.ref}?`}
        description={`${b.customer.name}, ${b.vehicle.plate}, ${atPickup(b.pickupAt)}. The vehicle becomes free for these times.`}
        confirmLabel="Cancel booking"
        cancelLabel="Keep booking"
        danger
        busy={busy}
        onConfirm={confirm.cancel}
      >
        {dialog === 'cancel' && <EndFee b={b} kind="cancel" locale={locale} />}
        <Field id="cancel-reason" label="Reason (required)" error={fieldMessage(fields, 'reason')}>
          {(c) => <textarea {...c} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === 'noShow'}
        onOpenChange={(o) => !o && closeDialog()}
        title={`Mark ${b.ref} as a no-show?`}
        description={`${b.customer.name} did not come for the pickup at ${atPickup(b.pickupAt)}.`}
        confirmLabel="Mark as no-show"
        busy={busy}
        onConfirm={confirm.noShow}
      >
        {dialog === 'noShow' && <EndFee b={b} kind="no_show" locale={locale} />}
        <Field id="noshow-reason" label="Note (optional)" error={fieldMessage(fields, 'reason')}>
          {(c) => <textarea {...c} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === 'extend'}
        onOpenChange={(o) => !o && closeDialog()}
        title={`Extend ${b.ref}`}
        description={`Now due back ${atReturn(b.returnAt)}. Keydesk re-prices the booking for the new return.`}
        confirmLabel="Extend booking"
        busy={busy}
        onConfirm={confirm.extend}
      >
        <Field id="extend-return" label={`New return (${clockName(b.returnLocation, timeZone)})`} error={fieldMessage(fields, 'returnAt') ?? fieldMessage(fields, 'vehicleId')}>
          {(c) => <ShopDateTime control={c} name="New return" locale={locale} value={newReturn} onChange={setNewReturn} />}
        </Field>
        {dialog === 'extend' && <PriceChange b={b} returnAt={fromLocalInput(newReturn, returnZone)} locale={locale} />}
      </ConfirmDialog>
      <AgreementDialog b={b} open={agreementOpen} onOpenChange={(o) => usePrint.getState().showAgreement(o ? b.id : null)} />
      <ConfirmDialog
        open={dialog === 'close'}
        onOpenChange={(o) => !o && closeDialog()}
        title={`Close ${b.ref}?`}
        description={
          b.balanceDue.amount > 0
            ? `${money(b.balanceDue)} is still due; Keydesk will refuse to close it until it is paid.`
            : b.balanceDue.amount < 0
              ? `${money({ ...b.balanceDue, amount: -b.balanceDue.amount })} is owed back to the customer (paid more than the booking now costs). Refund it first with Refund…; closing does not return it.`
              : 'Nothing is left to pay. The booking is finished.'
        }
        confirmLabel="Close booking"
        busy={busy}
        onConfirm={confirm.close}
      />
    </main>
  );
}
