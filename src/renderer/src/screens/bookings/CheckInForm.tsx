import { useEffect, useState } from 'react';
import type { DamageMark } from '../../../../shared/contract/bookings';
import { DamageDiagram } from '../../components/DamageDiagram';
import { PhotoCapture } from '../../components/PhotoCapture';
import type { FormEvent } from 'react';
import type { Input } from '../../../../shared/contract';
import type { BookingDetail } from '../../../../shared/contract/bookings';
import type { CurrencyCode } from '../../../../shared/money';
import { DEFAULT_MESSAGES } from '../../../../shared/errors';
import { Field } from '../../components/Field';
import { ShopDateTime } from '../../components/ShopDateTime';
import { FuelPicker } from '../../components/FuelPicker';
import { QuoteTable } from '../../components/QuoteTable';
import { ViewHeader } from '../../components/ViewHeader';
import { errorSentence, fieldMessage } from '../../format/errors';
import type { FieldErrors } from '../../format/errors';
import { fuelLabel } from '../../format/labels';
import { parseAmount, showMoney } from '../../format/money';
import { readingOf } from '../../format/reading';
import { clockName, fromLocalInput, showDateTime, toLocalInput, zoneOf } from '../../format/time';
import { useShop } from '../../lib/useShop';
import { useApp } from '../../stores/appStore';
import { useBookings } from '../../stores/bookingStore';
import { useViews } from '../../stores/viewStore';
import { useBookingFor } from './CheckOutForm';
import { useCheckInPreview } from './useCheckInPreview';

const LABELS: Record<string, string> = {
  returnedAt: 'Returned at',
  odometer: 'Odometer',
  fuelEighths: 'Fuel',
  newDamage: 'New damage',
  notes: 'Notes',
};

type DamageDraft = { key: number; description: string; amount: string };

type Draft = { returnedAt: string; timeEdited: boolean; odometer: string; fuel: number | null; damage: DamageDraft[]; notes: string };

/** The form as main's check-in input, or the problems that stop it being one (same checks for the preview and the save). */
function readForm(f: Draft, b: BookingDetail, timeZone: string): { input: Input<'bookings.checkIn'> | null; local: FieldErrors } {
  const currency: CurrencyCode = b.total.currency;
  const local: FieldErrors = {};
  const at = f.timeEdited ? fromLocalInput(f.returnedAt, timeZone) : null;
  if (f.timeEdited && !at) local.returnedAt = 'Enter the date and time the vehicle came back';
  const reading = readingOf(f.odometer);
  if (reading === null) local.odometer = 'Enter the odometer reading in whole numbers';
  if (f.fuel === null) local.fuelEighths = 'Choose the fuel level';
  const items = f.damage.map((d, i) => {
    const parsed = parseAmount(d.amount, currency);
    if (!parsed.ok) local[`newDamage.${i}.amount`] = parsed.problem;
    return { description: d.description, amount: parsed.ok ? parsed.minor : 0, currency };
  });
  if (Object.keys(local).length > 0 || reading === null || f.fuel === null) return { input: null, local };
  // Left as shown ("now"), main stamps the moment it prices or saves.
  const input = { id: b.id, expectedVersion: b.version, ...(at ? { returnedAt: at } : {}), odometer: reading, fuelEighths: f.fuel, newDamage: items, notes: f.notes };
  return { input, local };
}

export function CheckInForm({ id }: { id: string }) {
  const { detail, error } = useBookingFor(id);
  if (!detail) {
    return (
      <main className="screen" aria-labelledby="screen-title">
        <ViewHeader title="Check in" />
        {error ? <p role="alert" className="panel-error">{error}</p> : <p className="muted">Loading the booking…</p>}
      </main>
    );
  }
  return <CheckIn b={detail} />;
}

let nextKey = 1;

function CheckIn({ b }: { b: BookingDetail }) {
  const { locale, timeZone: shopZone } = useShop();
  // The car comes back at its return location: the time is typed and shown on that location's clock.
  const timeZone = zoneOf(b.returnLocation, shopZone);
  const notifyApp = useApp((s) => s.notify);
  const notify = (kind: 'error' | 'success', text: string) => notifyApp(kind, text, 'checkin');
  const replace = useViews((s) => s.replace);
  const checkIn = useBookings((s) => s.checkIn);
  const currency = b.total.currency;
  const [returnedAt, setReturnedAt] = useState(() => toLocalInput(Date.now(), timeZone));
  // Left as shown ("now"), main stamps the moment it saves; the minute shown may be before the check-out second.
  const [timeEdited, setTimeEdited] = useState(false);
  const [odometer, setOdometer] = useState('');
  const [fuel, setFuel] = useState<number | null>(null);
  const [damage, setDamage] = useState<DamageDraft[]>([]);
  const [notes, setNotes] = useState('');
  // The diagram starts from check-out's marks; marks added now are the new damage.
  const [marks, setMarks] = useState<DamageMark[]>(() => [...(b.checkOut?.marks ?? [])]);
  const [photos, setPhotos] = useState<string[]>([]);
  /** Errors from the last save attempt; cleared as soon as the clerk changes anything. */
  const [fields, setFields] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);
  // Live errors show only for controls the clerk has left (or after a save attempt), never mid-keystroke on a fresh field.
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const [attempted, setAttempted] = useState(false);
  const touch = (k: string) => setTouched((t) => (t.has(k) ? t : new Set(t).add(k)));
  const out = b.checkOut;

  const { input: liveInput, local } = readForm({ returnedAt, timeEdited, odometer, fuel, damage, notes }, b, timeZone);
  const live = useCheckInPreview(liveInput);
  const liveKey = JSON.stringify([returnedAt, timeEdited, odometer, fuel, damage, notes]);
  useEffect(() => {
    setFields({});
    useApp.getState().dismissErrors('checkin');
  }, [liveKey]);

  /** "newDamage.2.amount" is touched when damage row 2 (by its stable key) was left. */
  const touchKeyOf = (path: string) => {
    const [head, index] = path.split('.');
    return head === 'newDamage' && index !== undefined ? `dmg:${damage[Number(index)]?.key ?? ''}` : (head ?? path);
  };
  const shown: FieldErrors = Object.fromEntries(
    Object.entries({ ...live.fields, ...local }).filter(([path]) => attempted || touched.has(touchKeyOf(path))),
  );
  const err = (k: string) => fieldMessage(fields, k) ?? fieldMessage(shown, k);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setAttempted(true);
    const { input } = readForm({ returnedAt, timeEdited, odometer, fuel, damage, notes }, b, timeZone);
    if (!input) {
      setFields(local);
      notify('error', errorSentence({ code: 'invalid_input', message: DEFAULT_MESSAGES.invalid_input, fields: local }, LABELS));
      return;
    }
    live.stop();
    setSaving(true);
    const res = await checkIn({ ...input, marks, photos });
    setSaving(false);
    if (!res.ok) {
      setFields(res.error.fields ?? {});
      notify('error', errorSentence(res.error, LABELS));
      return;
    }
    const due = res.value.balanceDue;
    notify(
      'success',
      `${res.value.ref} is back. New total ${showMoney(res.value.total, locale)}; ${due.amount > 0 ? `${showMoney(due, locale)} to take` : due.amount < 0 ? `${showMoney({ ...due, amount: -due.amount }, locale)} owed to the customer` : 'nothing left to pay'}.`,
    );
    replace({ kind: 'booking', id: b.id });
  }

  const setItem = (key: number, patch: Partial<DamageDraft>) => setDamage(damage.map((d) => (d.key === key ? { ...d, ...patch } : d)));

  return (
    <main className="screen" aria-labelledby="screen-title">
      <ViewHeader title={`Check in ${b.ref}`} focus={false} />
      <p className="lead">
        <span className="plate">{b.vehicle.plate}</span> {b.vehicle.make} {b.vehicle.model} from <strong>{b.customer.name}</strong>, due back {showDateTime(b.returnAt, timeZone, locale)}.
      </p>
      <div className="form-layout">
        <form aria-label="Check-in checklist" className="checklist form-main" onSubmit={(e) => void submit(e)} noValidate>
          <fieldset className="card">
            <legend>1. Return and readings</legend>
            <div className="grid-2">
              <Field id="ci-returned" label={`Returned at (${clockName(b.returnLocation, shopZone)})`} error={err('returnedAt')}>
                {(c) => <ShopDateTime control={c} name="Returned" locale={locale} value={returnedAt} onChange={(v) => { setReturnedAt(v); setTimeEdited(true); }} onBlur={() => touch('returnedAt')} />}
              </Field>
              <Field id="ci-odometer" label="Odometer" error={err('odometer')} hint={out ? `At check-out: ${out.odometer.toLocaleString(locale)}` : undefined}>
                {(c) => <input {...c} inputMode="numeric" autoComplete="off" autoFocus value={odometer} onChange={(e) => setOdometer(e.target.value)} onBlur={() => touch('odometer')} />}
              </Field>
            </div>
            <FuelPicker name="ci-fuel" legend={`Fuel${out ? ` (at check-out: ${fuelLabel(out.fuelEighths)})` : ''}`} value={fuel} onChange={(n) => { setFuel(n); touch('fuelEighths'); }} error={err('fuelEighths')} />
          </fieldset>

          <fieldset className="card">
            <legend>2. New damage</legend>
            {out?.damageNotes && <p className="muted">Noted at check-out: {out.damageNotes}</p>}
            {damage.length === 0 && <p className="muted">No new damage recorded.</p>}
            {damage.map((d, i) => (
              <div key={d.key} className="damage-row" role="group" aria-label={`Damage item ${i + 1}`}>
                <Field id={`ci-dmg-${d.key}-desc`} label="What and where" error={err(`newDamage.${i}.description`)}>
                  {(c) => <input {...c} autoComplete="off" value={d.description} onChange={(e) => setItem(d.key, { description: e.target.value })} onBlur={() => touch(`dmg:${d.key}`)} />}
                </Field>
                <Field id={`ci-dmg-${d.key}-amount`} label={`Charge (${currency})`} error={err(`newDamage.${i}.amount`) ?? err(`newDamage.${i}.currency`)}>
                  {(c) => <input {...c} inputMode="decimal" autoComplete="off" value={d.amount} onChange={(e) => setItem(d.key, { amount: e.target.value })} onBlur={() => touch(`dmg:${d.key}`)} />}
                </Field>
                <button type="button" aria-label={`Remove damage item ${i + 1}`} onClick={() => setDamage(damage.filter((x) => x.key !== d.key))}>
                  Remove
                </button>
              </div>
            ))}
            {err('newDamage') && !damage.some((_, i) => err(`newDamage.${i}`)) && <p className="field-error">{err('newDamage')}</p>}
            <button type="button" onClick={() => setDamage([...damage, { key: nextKey++, description: '', amount: '' }])}>
              Add damage item
            </button>
          </fieldset>

          <fieldset className="card">
            <legend>3. Diagram and photos</legend>
            <DamageDiagram id="ci-diagram" caption="Damage at return" marks={marks} before={b.checkOut?.marks ?? []} onChange={setMarks} />
            <PhotoCapture id="ci-photos" refs={photos} onChange={setPhotos} error={err('photos')} />
          </fieldset>

          <div className="card">
            <Field id="ci-notes" label="Notes" error={err('notes')}>
              {(c) => <textarea {...c} rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} onBlur={() => touch('notes')} />}
            </Field>
          </div>
          <div className="actions">
            <button type="submit" className="primary" disabled={saving}>{saving ? 'Saving…' : 'Check in and re-price'}</button>
          </div>
        </form>
        <aside className="form-side" aria-labelledby="ci-price-title">
          <div className="card sticky" aria-busy={live.pending}>
            {live.preview ? (
              <>
                <h2 id="ci-price-title">Price after check-in</h2>
                <QuoteTable quote={live.preview.quote} locale={locale} caption="Price after check-in" hideCaption highlightReturn />
                <p className="muted">
                  Booked total {showMoney(b.total, locale)}. Not saved yet: the price is fixed when you check in.
                </p>
                <p className="balance-due">
                  <span id="ci-balance">Balance due after check-in</span>
                  <output aria-labelledby="ci-balance" className="amount">{showMoney(live.preview.balanceDue, locale)}</output>
                </p>
              </>
            ) : (
              <>
                <h2 id="ci-price-title">Price as booked</h2>
                <QuoteTable quote={b.quote} locale={locale} caption="Price as booked" hideCaption />
                <p className="muted">
                  {live.problem ??
                    (local.odometer !== undefined || local.fuelEighths !== undefined
                      ? 'Enter the odometer and fuel level to see the new total and balance due, before saving.'
                      : 'Late return, fuel, mileage and damage are added here as soon as the return time and each damage item are complete.')}
                </p>
                <p className="balance-due small">
                  <span id="ci-balance">Balance due now</span>
                  <output aria-labelledby="ci-balance" className="amount">{showMoney(b.balanceDue, locale)}</output>
                </p>
              </>
            )}
            <p className="muted small" aria-live="polite">{live.pending ? 'Updating the price…' : ''}</p>
          </div>
        </aside>
      </div>
    </main>
  );
}
