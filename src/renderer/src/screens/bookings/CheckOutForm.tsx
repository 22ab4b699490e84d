import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { BookingDetail, DamageMark } from '../../../../shared/contract/bookings';
import { DamageDiagram } from '../../components/DamageDiagram';
import { PhotoCapture } from '../../components/PhotoCapture';
import { AgreementDialog } from '../../agreement/AgreementDialog';
import { CarPicker } from './CarPicker';
import { DEFAULT_MESSAGES } from '../../../../shared/errors';
import { Field } from '../../components/Field';
import { FuelPicker } from '../../components/FuelPicker';
import { SignaturePad } from '../../components/SignaturePad';
import { ViewHeader } from '../../components/ViewHeader';
import { errorSentence, fieldMessage } from '../../format/errors';
import type { FieldErrors } from '../../format/errors';
import { fuelLabel, licenceExpiredOn } from '../../format/labels';
import { readingOf } from '../../format/reading';
import { shopDate, showDate, showDateTime, zoneOf } from '../../format/time';
import { useShop } from '../../lib/useShop';
import { useApp } from '../../stores/appStore';
import { useBookings } from '../../stores/bookingStore';
import { useViews } from '../../stores/viewStore';
import { HandoverStep, handoverBlock } from '../payments/HandoverStep';

const LABELS: Record<string, string> = {
  odometer: 'Odometer',
  fuelEighths: 'Fuel',
  damageNotes: 'Damage already on the vehicle',
  photos: 'Photos',
  signature: 'Signature',
  licenceChecked: 'Licence check',
  vehicleId: 'Vehicle',
  payment: 'Payment',
};

/** Loads the booking, then shows the checklist; shared by check-out and check-in. */
export function useBookingFor(id: string): { detail: BookingDetail | null; error: string | null } {
  const entry = useBookings((s) => s.byId[id]);
  const load = useBookings((s) => s.load);
  useEffect(() => {
    if (!useBookings.getState().byId[id]?.detail) void load(id);
  }, [id, load]);
  return { detail: entry?.detail ?? null, error: entry?.error ?? null };
}

export function CheckOutForm({ id }: { id: string }) {
  const { detail, error } = useBookingFor(id);
  if (!detail) {
    return (
      <main className="screen" aria-labelledby="screen-title">
        <ViewHeader title="Check out" />
        {error ? <p role="alert" className="panel-error">{error}</p> : <p className="muted">Loading the booking…</p>}
      </main>
    );
  }
  return <CheckOut b={detail} />;
}

function CheckOut({ b }: { b: BookingDetail }) {
  const { locale, timeZone } = useShop();
  const notifyApp = useApp((s) => s.notify);
  const notify = (kind: 'error' | 'success', text: string) => notifyApp(kind, text, 'checkout');
  const replace = useViews((s) => s.replace);
  const checkOut = useBookings((s) => s.checkOut);
  const [odometer, setOdometer] = useState(String(b.vehicle.odometer));
  const [fuel, setFuel] = useState<number | null>(b.vehicle.fuelEighths);
  const [damage, setDamage] = useState('');
  const [photos, setPhotos] = useState<string[]>([]);
  const [marks, setMarks] = useState<DamageMark[]>([]);
  const [agreement, setAgreement] = useState(false);
  // Another car given at the counter: its own last readings.
  const [readingsOf, setReadingsOf] = useState(b.vehicle.id);
  if (readingsOf !== b.vehicle.id) {
    setReadingsOf(b.vehicle.id);
    setOdometer(String(b.vehicle.odometer));
    setFuel(b.vehicle.fuelEighths);
  }
  const [signature, setSignature] = useState<string | null>(null);
  const [paper, setPaper] = useState(false);
  const [licenceChecked, setLicenceChecked] = useState(false);
  const [fields, setFields] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);
  const today = shopDate(Date.now(), zoneOf(b.pickupLocation, timeZone));
  const returnDate = shopDate(b.returnAt, zoneOf(b.returnLocation, timeZone));
  const expiredNow = licenceExpiredOn(b.customer.licenceExpiry, today);
  const expiresFirst = !expiredNow && licenceExpiredOn(b.customer.licenceExpiry, returnDate);
  const err = (k: string) => fieldMessage(fields, k);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: FieldErrors = {};
    const reading = readingOf(odometer);
    if (reading === null) local.odometer = 'Enter the odometer reading in whole numbers';
    if (fuel === null) local.fuelEighths = 'Choose the fuel level';
    if (!licenceChecked) local.licenceChecked = 'Check the driving licence against the customer, then tick this box';
    if (!signature && !paper) local.signature = 'Ask the customer to sign, or tick that they signed on paper';
    const unpaid = handoverBlock(b.id, locale);
    if (unpaid) local.payment = unpaid;
    if (Object.keys(local).length > 0 || reading === null || fuel === null) {
      setFields(local);
      notify('error', errorSentence({ code: 'invalid_input', message: DEFAULT_MESSAGES.invalid_input, fields: local }, LABELS));
      return;
    }
    setSaving(true);
    const res = await checkOut({
      id: b.id,
      expectedVersion: b.version,
      odometer: reading,
      fuelEighths: fuel,
      damageNotes: damage,
      photos,
      marks,
      signature: paper ? null : signature,
    });
    setSaving(false);
    if (!res.ok) {
      setFields(res.error.fields ?? {});
      notify('error', errorSentence(res.error, LABELS));
      return;
    }
    notify('success', `${res.value.ref} is out: ${res.value.vehicle.plate} with ${res.value.customer.name}, due back ${showDateTime(res.value.returnAt, zoneOf(res.value.returnLocation, timeZone), locale)}.`);
    replace({ kind: 'booking', id: b.id });
  }

  return (
    <main className="screen" aria-labelledby="screen-title">
      <ViewHeader title={`Check out ${b.ref}`} focus={false} />
      <p className="lead">
        <span className="plate">{b.vehicle.plate}</span> {b.vehicle.make} {b.vehicle.model} for <strong>{b.customer.name}</strong>, due back {showDateTime(b.returnAt, zoneOf(b.returnLocation, timeZone), locale)}.
      </p>
      {/* Outside the checklist form: the Charge panel has its own form (Enter charges). */}
      <HandoverStep bookingId={b.id} />
      <form aria-label="Check-out checklist" className="checklist" onSubmit={(e) => void submit(e)} noValidate>
        <fieldset className="card">
          <legend>1. Driving licence</legend>
          <p>
            {b.customer.licenceNumber}, valid until {showDate(b.customer.licenceExpiry, locale)}.
          </p>
          {expiredNow && <p className="warn" role="note">This licence has expired. Do not hand over the vehicle.</p>}
          {expiresFirst && <p className="warn" role="note">This licence expires before the return on {showDate(returnDate, locale)}.</p>}
          <label className="check">
            <input
              type="checkbox"
              checked={licenceChecked}
              aria-invalid={err('licenceChecked') ? true : undefined}
              aria-describedby={err('licenceChecked') ? 'co-licence-err' : undefined}
              onChange={(e) => setLicenceChecked(e.target.checked)}
            />
            I have seen the licence and it belongs to {b.customer.name}
          </label>
          {err('licenceChecked') && <p id="co-licence-err" className="field-error">{err('licenceChecked')}</p>}
        </fieldset>

        <fieldset className="card">
          <legend>2. Car and readings</legend>
          <CarPicker b={b} locale={locale} />
          <div className="grid-2">
            <Field id="co-odometer" label="Odometer" error={err('odometer')} hint={`Last recorded: ${b.vehicle.odometer.toLocaleString(locale)}`}>
              {(c) => <input {...c} inputMode="numeric" autoComplete="off" autoFocus value={odometer} onChange={(e) => setOdometer(e.target.value)} />}
            </Field>
          </div>
          <FuelPicker name="co-fuel" legend={`Fuel (last recorded: ${fuelLabel(b.vehicle.fuelEighths)})`} value={fuel} onChange={setFuel} error={err('fuelEighths')} />
          <Field id="co-damage" label="Damage already on the vehicle" error={err('damageNotes')} hint="Scratches, dents, chips: where and how big.">
            {(c) => <textarea {...c} rows={3} value={damage} onChange={(e) => setDamage(e.target.value)} />}
          </Field>
          <DamageDiagram id="co-diagram" caption="Damage at check-out" marks={marks} onChange={setMarks} />
          <PhotoCapture id="co-photos" refs={photos} onChange={setPhotos} error={err('photos')} />
        </fieldset>

        <fieldset className="card">
          <legend>3. Rental agreement and signature</legend>
          <p>
            <button type="button" onClick={() => setAgreement(true)}>Print rental agreement</button>{' '}
            <span className="muted">The customer reads it and signs below (or on the printout).</span>
          </p>
          {!paper && <SignaturePad label="Signature pad" describedBy={err('signature') ? 'co-sign-err' : undefined} onChange={setSignature} />}
          <label className="check">
            <input type="checkbox" checked={paper} onChange={(e) => setPaper(e.target.checked)} />
            The customer signed the paper agreement instead
          </label>
          {err('signature') && <p id="co-sign-err" className="field-error">{err('signature')}</p>}
        </fieldset>

        {err('payment') && <p className="field-error">{err('payment')}</p>}
        {err('vehicleId') && <p className="field-error">{err('vehicleId')}</p>}
        <div className="actions">
          <button type="submit" className="primary" disabled={saving}>{saving ? 'Saving…' : 'Hand over vehicle'}</button>
        </div>
      </form>
      <AgreementDialog b={b} open={agreement} onOpenChange={setAgreement} />
    </main>
  );
}
