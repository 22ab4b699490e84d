import { useEffect, useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { BookingDetail, Selection } from '../../../../shared/contract/bookings';
import type { Customer } from '../../../../shared/contract/customers';
import type { Vehicle } from '../../../../shared/contract/fleet';
import { DEFAULT_MESSAGES } from '../../../../shared/errors';
import type { Money } from '../../../../shared/money';
import { Field } from '../../components/Field';
import { QuoteTable } from '../../components/QuoteTable';
import { ShopDateTime } from '../../components/ShopDateTime';
import { ViewHeader } from '../../components/ViewHeader';
import { errorSentence, fieldMessage, renameFields } from '../../format/errors';
import type { FieldErrors } from '../../format/errors';
import { fuelLabel } from '../../format/labels';
import { showMoney } from '../../format/money';
import { clockName, fromLocalInput, shopDate, toLocalInput, zoneOf } from '../../format/time';
import { debouncer } from '../../lib/latest';
import { useShop } from '../../lib/useShop';
import { useApp } from '../../stores/appStore';
import { useBookings } from '../../stores/bookingStore';
import { useCatalog } from '../../stores/catalogStore';
import { useCustomers } from '../../stores/customerStore';
import { useViews } from '../../stores/viewStore';
import { CustomerPicker } from './CustomerPicker';

const LABELS: Record<string, string> = {
  customerId: 'Customer',
  vehicleId: 'Vehicle',
  vehicleClass: 'Vehicle class',
  pickupAt: 'Pickup',
  returnAt: 'Return',
  pickupLocationId: 'Pickup location',
  returnLocationId: 'Return location',
  extras: 'Extras',
  fees: 'Fees',
  notes: 'Notes',
};

const HALF_HOUR = 30 * 60_000;

/** New booking, or changes to a reserved one (`id`). */
export function BookingForm({ id, customerId }: { id?: string | undefined; customerId?: string | undefined }) {
  const entry = useBookings((s) => (id ? s.byId[id] : undefined));
  const preset = useCustomers((s) => (customerId ? s.byId[customerId]?.page?.customer : undefined));
  const loadCatalog = useCatalog((s) => s.loadCatalog);
  useEffect(() => {
    void loadCatalog();
    useCatalog.getState().resetForm();
    useCustomers.getState().clearSearch();
    if (id) void useBookings.getState().load(id);
    if (customerId) void useCustomers.getState().load(customerId);
  }, [id, customerId, loadCatalog]);

  if (id && !entry?.detail) {
    return (
      <main className="screen" aria-labelledby="screen-title">
        <ViewHeader title="Change booking" />
        {entry?.error ? <p role="alert" className="panel-error">{entry.error}</p> : <p className="muted">Loading the booking…</p>}
      </main>
    );
  }
  if (customerId && !preset) {
    return (
      <main className="screen" aria-labelledby="screen-title">
        <ViewHeader title="New booking" />
        <p className="muted">Loading the customer…</p>
      </main>
    );
  }
  return <FormBody existing={entry?.detail ?? null} presetCustomer={preset ?? null} />;
}

function FormBody({ existing, presetCustomer }: { existing: BookingDetail | null; presetCustomer: Customer | null }) {
  const { locale, timeZone } = useShop();
  const notifyApp = useApp((s) => s.notify);
  const notify = (kind: 'error' | 'success', text: string) => notifyApp(kind, text, 'booking-form');
  const replace = useViews((s) => s.replace);
  const { locations, card, catalogError, available, availableError, quote, quoteError } = useCatalog();
  const [customer, setCustomer] = useState<Customer | null>(existing?.customer ?? presetCustomer);
  // Times are typed on the clock of the location they happen at (the home location's for a new booking).
  const homeAtStart = () => locations.find((l) => l.isHome) ?? locations[0];
  const [pickup, setPickup] = useState(() => toLocalInput(existing?.pickupAt ?? Math.ceil(Date.now() / HALF_HOUR) * HALF_HOUR, zoneOf(existing?.pickupLocation ?? homeAtStart(), timeZone)));
  const [ret, setRet] = useState(() => toLocalInput(existing?.returnAt ?? Math.ceil(Date.now() / HALF_HOUR) * HALF_HOUR + 86_400_000, zoneOf(existing?.returnLocation ?? homeAtStart(), timeZone)));
  const [pickupLoc, setPickupLoc] = useState(existing?.pickupLocation.id ?? '');
  const [returnLoc, setReturnLoc] = useState(existing && existing.returnLocation.id !== existing.pickupLocation.id ? existing.returnLocation.id : '');
  const [vehicleClass, setVehicleClass] = useState(existing?.vehicle.class ?? '');
  const [vehicle, setVehicle] = useState<Vehicle | null>(existing?.vehicle ?? null);
  const [extras, setExtras] = useState<Record<string, number>>(() => Object.fromEntries((existing?.extras ?? []).map((e) => [e.code, e.quantity])));
  const [fees, setFees] = useState<Record<string, boolean>>(() => Object.fromEntries((existing?.fees ?? []).map((f) => [f.code, true])));
  const [notes, setNotes] = useState(existing?.notes ?? '');
  const [saveErrors, setSaveErrors] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);
  const soon = useRef(debouncer(200));

  const home = locations.find((l) => l.isHome) ?? locations[0];
  const pickupLocationId = pickupLoc || home?.id;
  const returnLocationId = returnLoc || pickupLocationId;
  const pickupPlace = locations.find((l) => l.id === pickupLocationId);
  const returnPlace = locations.find((l) => l.id === returnLocationId);
  const pickupZone = zoneOf(pickupPlace, timeZone);
  const returnZone = zoneOf(returnPlace, timeZone);
  const pickupAt = fromLocalInput(pickup, pickupZone);
  const returnAt = fromLocalInput(ret, returnZone);
  const selections = useMemo(
    () => ({
      extras: Object.entries(extras).filter(([, q]) => q > 0).map(([code, quantity]): Selection => ({ code, quantity })),
      fees: Object.entries(fees).filter(([, on]) => on).map(([code]): Selection => ({ code, quantity: 1 })),
    }),
    [extras, fees],
  );

  // Availability and the live quote follow every change, a moment after the clerk stops typing.
  useEffect(() => {
    const { checkAvailability, requestQuote, clearQuote } = useCatalog.getState();
    // Nothing left to price ("Any class", no vehicle): the last quote goes at once, not later.
    if (!vehicle && !vehicleClass) clearQuote();
    soon.current.schedule(() => {
      if (!pickupAt || !returnAt) return;
      void checkAvailability({ from: pickupAt, to: returnAt, ...(vehicleClass ? { class: vehicleClass } : {}), ...(existing ? { excludeBookingId: existing.id } : {}), ...(pickupLocationId ? { pickupLocationId } : {}), ...(returnLocationId ? { returnLocationId } : {}) });
      if (!vehicle && !vehicleClass) return;
      void requestQuote({
        ...(customer ? { customerId: customer.id } : {}),
        ...(vehicle ? { vehicleId: vehicle.id } : { vehicleClass }),
        pickupAt,
        returnAt,
        ...(pickupLocationId ? { pickupLocationId } : {}),
        ...(returnLocationId ? { returnLocationId } : {}),
        ...selections,
        // A change is priced on the booking's own rate card, as the save will be.
        ...(existing ? { bookingId: existing.id } : {}),
      });
    });
  }, [pickupAt, returnAt, vehicleClass, vehicle, customer, pickupLocationId, returnLocationId, selections, existing]);
  useEffect(() => {
    const d = soon.current;
    return () => d.cancel();
  }, []);

  const liveFields: FieldErrors = {
    ...renameFields(availableError?.fields, { from: 'pickupAt', to: 'returnAt', class: 'vehicleClass' }),
    ...(quoteError?.fields ?? {}),
  };
  const err = (key: string) => fieldMessage(saveErrors, key) ?? fieldMessage(liveFields, key);
  const edited = (...keys: string[]) => {
    // The clerk is fixing what was refused: the form's error message goes with it.
    useApp.getState().dismissErrors('booking-form');
    if (keys.some((k) => Object.keys(saveErrors).some((s) => s === k || s.startsWith(`${k}.`)))) {
      setSaveErrors(Object.fromEntries(Object.entries(saveErrors).filter(([s]) => !keys.some((k) => s === k || s.startsWith(`${k}.`)))));
    }
  };

  const vehicleFree = !vehicle || !available || available.some((v) => v.id === vehicle.id);
  const listed = available ?? [];
  // A car that will be at another location at pickup can still be chosen (a manager may move it): say where it will be.
  const elsewhere = (at: string | null) => {
    const place = at && at !== pickupLocationId ? locations.find((l) => l.id === at) : undefined;
    return place ? `At ${place.name} at pickup — would need moving` : undefined;
  };
  const returnDate = returnAt ? shopDate(returnAt, returnZone) : null;

  async function save(e: FormEvent) {
    e.preventDefault();
    const local: FieldErrors = {};
    if (!customer) local.customerId = 'Choose a customer, or add a new one';
    if (!pickupAt) local.pickupAt = 'Enter the pickup date and time';
    if (!returnAt) local.returnAt = 'Enter the return date and time';
    // A new booking may name only the class: main holds a free car of it, given at pickup.
    const byClass = !vehicle && !existing && vehicleClass !== '';
    if (!vehicle && !byClass) local.vehicleId = 'Choose a vehicle class, or one of the available vehicles';
    if (Object.keys(local).length > 0 || !customer || (!vehicle && !byClass) || !pickupAt || !returnAt) {
      setSaveErrors(local);
      notify('error', errorSentence({ code: 'invalid_input', message: DEFAULT_MESSAGES.invalid_input, fields: local }, LABELS));
      return;
    }
    const body = {
      customerId: customer.id,
      ...(vehicle ? { vehicleId: vehicle.id } : { vehicleClass }),
      pickupAt,
      returnAt,
      ...(pickupLocationId ? { pickupLocationId } : {}),
      ...(returnLocationId ? { returnLocationId } : {}),
      ...selections,
      notes,
    };
    setSaving(true);
    const store = useBookings.getState();
    const res = existing ? await store.modify({ id: existing.id, expectedVersion: existing.version, ...body, ...(vehicle ? { vehicleId: vehicle.id } : {}) }) : await store.create(body);
    setSaving(false);
    if (!res.ok) {
      setSaveErrors(res.error.fields ?? {});
      notify('error', errorSentence(res.error, LABELS));
      return;
    }
    notify('success', `${existing ? 'Changes to' : 'Booking'} ${res.value.ref} saved for ${res.value.customer.name}. Total ${showMoney(res.value.total, locale)}.`);
    replace({ kind: 'booking', id: res.value.id });
  }

  const money = (m: Money) => showMoney(m, locale);

  return (
    <main className="screen booking-form" aria-labelledby="screen-title">
      <ViewHeader title={existing ? `Change booking ${existing.ref}` : 'New booking'} focus={false} />
      {catalogError && <p role="alert" className="panel-error">{catalogError}</p>}
      <div className="form-layout">
        <div className="form-main">
          <section aria-labelledby="bf-customer-title" className="card">
            <h2 id="bf-customer-title">Customer</h2>
            <CustomerPicker
              value={customer}
              returnDate={returnDate}
              error={err('customerId')}
              onChange={(c) => {
                setCustomer(c);
                edited('customerId');
              }}
            />
          </section>

          <form id="booking-form" aria-label={existing ? 'Change booking' : 'New booking'} onSubmit={(e) => void save(e)} noValidate>
            <fieldset className="card">
              <legend>When and where</legend>
              <div className="grid-2">
                <Field id="bf-pickup" label={`Pickup (${clockName(pickupPlace, timeZone)})`} error={err('pickupAt')}>
                  {(c) => <ShopDateTime control={c} name="Pickup" locale={locale} value={pickup} onChange={(v) => { setPickup(v); edited('pickupAt', 'returnAt'); }} />}
                </Field>
                <Field id="bf-return" label={`Return (${clockName(returnPlace, timeZone)})`} error={err('returnAt')}>
                  {(c) => <ShopDateTime control={c} name="Return" locale={locale} value={ret} onChange={(v) => { setRet(v); edited('pickupAt', 'returnAt'); }} />}
                </Field>
                <Field id="bf-pickup-loc" label="Pickup location" error={err('pickupLocationId')}>
                  {(c) => (
                    <select {...c} value={pickupLocationId ?? ''} onChange={(e) => { setPickupLoc(e.target.value); edited('pickupLocationId'); }}>
                      {locations.map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}
                    </select>
                  )}
                </Field>
                <Field id="bf-return-loc" label="Return location" error={err('returnLocationId')}>
                  {(c) => (
                    <select {...c} value={returnLoc} onChange={(e) => { setReturnLoc(e.target.value); edited('returnLocationId'); }}>
                      <option value="">Same as pickup</option>
                      {locations.map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}
                    </select>
                  )}
                </Field>
              </div>
            </fieldset>

            <fieldset className="card">
              <legend>Vehicle</legend>
              <Field id="bf-class" label="Vehicle class" error={err('vehicleClass')}>
                {(c) => (
                  <select
                    {...c}
                    value={vehicleClass}
                    onChange={(e) => {
                      setVehicleClass(e.target.value);
                      if (vehicle && e.target.value && vehicle.class !== e.target.value) setVehicle(null);
                      edited('vehicleClass', 'vehicleId');
                    }}
                  >
                    <option value="">Any class</option>
                    {card?.classes.map((k) => (
                      <option key={k.code} value={k.code}>
                        {k.name} — {money(k.dailyRate)} a day
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <div role="radiogroup" aria-labelledby="bf-vehicles-title" aria-describedby={err('vehicleId') ? 'bf-vehicle-err' : undefined} aria-invalid={err('vehicleId') ? true : undefined} className="vehicles">
                <p id="bf-vehicles-title" className="group-title">
                  {available === null ? 'Available vehicles' : `Available vehicles (${listed.length})`}
                </p>
                {vehicle && !listed.some((v) => v.id === vehicle.id) && (
                  <VehicleOption v={vehicle} checked note={vehicleFree ? undefined : 'Not free for these times'} onPick={() => undefined} />
                )}
                {listed.map((v) => (
                  <VehicleOption
                    key={v.id}
                    v={v}
                    checked={vehicle?.id === v.id}
                    where={elsewhere(v.projectedLocationId)}
                    onPick={() => {
                      setVehicle(v);
                      edited('vehicleId');
                    }}
                  />
                ))}
                {available !== null && listed.length === 0 && <p className="muted">No vehicle{vehicleClass ? ' of this class' : ''} is free for the whole window.</p>}
                {!existing && !vehicle && vehicleClass && listed.length > 0 && (
                  <p className="hint" role="note">No car chosen: saving books the class and holds a free car of it; the car is given at pickup.</p>
                )}
                {availableError && Object.keys(availableError.fields ?? {}).length === 0 && <p role="alert" className="panel-error">{availableError.message}</p>}
                {err('vehicleId') && <p id="bf-vehicle-err" className="field-error">{err('vehicleId')}</p>}
              </div>
            </fieldset>

            {card && (card.extras.length > 0 || card.fees.length > 0) && (
              <fieldset className="card">
                <legend>Extras and fees</legend>
                <div className="grid-3">
                  {card.extras.map((x) =>
                    x.maxQuantity <= 1 ? (
                      <label key={x.code} className="check">
                        <input type="checkbox" checked={(extras[x.code] ?? 0) > 0} onChange={(e) => { setExtras({ ...extras, [x.code]: e.target.checked ? 1 : 0 }); edited('extras'); }} />
                        {x.name} <span className="muted">{money(x.amount)}{x.charge === 'per_day' ? ' a day' : ''}</span>
                      </label>
                    ) : (
                      <Field key={x.code} id={`bf-extra-${x.code}`} label={<>{x.name} <span className="muted">{money(x.amount)}{x.charge === 'per_day' ? ' a day' : ''}</span></>}>
                        {(c) => (
                          <select {...c} value={extras[x.code] ?? 0} onChange={(e) => { setExtras({ ...extras, [x.code]: Number(e.target.value) }); edited('extras'); }}>
                            {Array.from({ length: x.maxQuantity + 1 }, (_, n) => <option key={n} value={n}>{n === 0 ? 'None' : n}</option>)}
                          </select>
                        )}
                      </Field>
                    ),
                  )}
                  {card.fees.map((f) => (
                    <label key={f.code} className="check">
                      <input type="checkbox" checked={fees[f.code] ?? false} onChange={(e) => { setFees({ ...fees, [f.code]: e.target.checked }); edited('fees'); }} />
                      {f.name} <span className="muted">{money(f.amount)}</span>
                    </label>
                  ))}
                </div>
                {(err('extras') ?? err('fees')) && <p className="field-error">{err('extras') ?? err('fees')}</p>}
              </fieldset>
            )}

            <div className="card">
              <Field id="bf-notes" label="Notes" error={err('notes')} hint={`${notes.length.toLocaleString(locale)} of 2,000 characters`}>
                {(c) => <textarea {...c} rows={3} value={notes} onChange={(e) => { setNotes(e.target.value); edited('notes'); }} />}
              </Field>
            </div>
          </form>
        </div>

        <aside className="form-side" aria-labelledby="bf-quote-title">
          <div className="card sticky">
            <h2 id="bf-quote-title">Price</h2>
            {quote ? (
              <>
                <QuoteTable quote={quote} locale={locale} caption={vehicle ? `Quote for ${vehicle.plate}` : 'Quote for the class'} />
                {existing && (
                  <p role="status" aria-label="Price change" className="price-change">
                    Total now {money(existing.total)}; after the change {money(quote.total)}.
                  </p>
                )}
              </>
            ) : quoteError && !Object.keys(quoteError.fields ?? {}).length ? (
              <p role="alert" className="panel-error">{quoteError.message}</p>
            ) : quoteError || availableError ? (
              <p className="muted">Fix the highlighted fields to see the price.</p>
            ) : (
              <p className="muted">Choose a class or a vehicle to see the price.</p>
            )}
            <div className="actions">
              <button type="submit" form="booking-form" className="primary wide" disabled={saving}>
                {saving ? 'Saving…' : existing ? 'Save changes' : 'Save booking'}
              </button>
            </div>
          </div>
        </aside>
      </div>
    </main>
  );
}

function VehicleOption({ v, checked, onPick, note, where }: { v: Vehicle; checked: boolean; onPick: () => void; note?: string | undefined; where?: string | undefined }) {
  return (
    <label className={`vehicle-option${checked ? ' on' : ''}`}>
      <input type="radio" name="bf-vehicle" checked={checked} onChange={onPick} />
      <span className="plate">{v.plate}</span>
      <span>
        {v.make} {v.model}
        {v.colour ? `, ${v.colour}` : ''}
      </span>
      <span className="muted">{v.className}</span>
      <span className="muted">Fuel {fuelLabel(v.fuelEighths)}</span>
      {note && <span className="warn-inline">{note}</span>}
      {where && <span className="where-inline">{where}</span>}
    </label>
  );
}
