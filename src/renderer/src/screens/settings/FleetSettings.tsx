import { useState } from 'react';
import type { FormEvent } from 'react';
import type { DowntimeConflict, Vehicle } from '../../../../shared/contract/fleet';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Field } from '../../components/Field';
import { ShopDateTime } from '../../components/ShopDateTime';
import { datePattern } from '../../format/typedDate';
import { fromLocalInput, showDateTime } from '../../format/time';
import { useApp } from '../../stores/appStore';
import { errorFor, useChange, useLoad } from './adminKit';

const STATUS_WORDS: Record<Vehicle['status'], string> = { available: 'Available', on_rent: 'On rent', in_service: 'In service', retired: 'Retired' };

type Draft = { plate: string; vin: string; make: string; model: string; class: string; locationId: string; odometer: string; tankLitres: string; status: 'available' | 'in_service' | 'retired' };
const EMPTY: Draft = { plate: '', vin: '', make: '', model: '', class: '', locationId: '', odometer: '', tankLitres: '50', status: 'available' };

const whole = (s: string): number => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : Number.NaN);

/** Fleet: add or change a vehicle, move it, retire it, take it out of service for a period. */
export function FleetSettings() {
  const tz = useApp((s) => s.settings?.timeZone ?? 'UTC');
  const locale = useApp((s) => s.settings?.locale ?? 'en-GB');
  const vehicles = useLoad('vehicles.list', {});
  const card = useLoad('rates.get', {});
  const locs = useLoad('locations.list', {});
  const save = useChange();
  const act = useChange();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [editing, setEditing] = useState<Vehicle | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const [downFor, setDownFor] = useState<Vehicle | null>(null);
  const [down, setDown] = useState({ from: '', to: '', reason: '' });
  const [conflicts, setConflicts] = useState<{ plate: string; list: DowntimeConflict[] } | null>(null);
  const classes = card.data?.card.classes ?? [];
  const locations = locs.data?.locations ?? [];
  const locName = (id: string | null) => locations.find((l) => l.id === id)?.name ?? '—';

  function edit(v: Vehicle) {
    setEditing(v);
    save.setFields({});
    setDraft({ plate: v.plate, vin: v.vin ?? '', make: v.make, model: v.model, class: v.class, locationId: v.locationId ?? '', odometer: String(v.odometer), tankLitres: String(v.tankLitres), status: v.status === 'on_rent' ? 'available' : v.status });
  }

  async function onSave(e: FormEvent) {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (Number.isNaN(whole(draft.odometer))) local.odometer = 'Odometer is a whole number, e.g. 12500';
    if (Number.isNaN(whole(draft.tankLitres))) local.tankLitres = 'Fuel capacity is whole litres, e.g. 50';
    if (!draft.class) local.class = 'Choose a class from the rate card';
    if (Object.keys(local).length > 0) {
      save.setFields(local);
      return;
    }
    const input = {
      ...(editing ? { id: editing.id, expectedVersion: editing.version } : {}),
      plate: draft.plate,
      vin: draft.vin.trim() === '' ? null : draft.vin,
      make: draft.make,
      model: draft.model,
      class: draft.class,
      locationId: draft.locationId === '' ? null : draft.locationId,
      odometer: whole(draft.odometer),
      fuelEighths: editing?.fuelEighths ?? 8,
      tankLitres: whole(draft.tankLitres),
      status: draft.status,
    };
    const done = await save.run('vehicles.upsert', input, editing ? `${draft.plate.toUpperCase()} saved.` : `${draft.plate.toUpperCase()} added to the fleet.`);
    if (done) {
      setDraft(EMPTY);
      setEditing(null);
      setFormOpen(false);
      await vehicles.reload();
    }
  }

  async function move(v: Vehicle, locationId: string) {
    if (await act.run('vehicles.move', { id: v.id, expectedVersion: v.version, locationId }, `${v.plate} moved to ${locName(locationId)}.`)) await vehicles.reload();
  }

  async function addDowntime() {
    if (!downFor) return;
    const from = fromLocalInput(down.from, tz);
    const to = fromLocalInput(down.to, tz);
    const local: Record<string, string> = {};
    if (!from) local.from = `Type the date (${datePattern(locale)}) and time (hh:mm, 24-hour) it goes out of service`;
    if (!to) local.to = `Type the date (${datePattern(locale)}) and time (hh:mm, 24-hour) it is back in service`;
    if (!from || !to) {
      act.setFields(local);
      return;
    }
    const res = await act.run('vehicles.downtime.add', { vehicleId: downFor.id, from, to, reason: down.reason }, `${downFor.plate} is out of service for that period.`);
    if (res) {
      if (res.conflicts.length > 0) setConflicts({ plate: downFor.plate, list: res.conflicts });
      setDownFor(null);
      await vehicles.reload();
    }
  }

  const set = (k: keyof Draft) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value });

  return (
    <div className="admin-section">
      <h2>Fleet</h2>
      {(vehicles.error ?? card.error) && <p role="alert" className="panel-error">{vehicles.error ?? card.error}</p>}
      {conflicts && (
        <div role="alert" className="panel-warn">
          <p><strong>{conflicts.list.length} booking(s) need another vehicle</strong> while {conflicts.plate} is out of service:</p>
          <ul>{conflicts.list.map((c) => <li key={c.bookingId}>{c.ref} — {c.customerName}, {showDateTime(c.pickupAt, tz, locale)} to {showDateTime(c.returnAt, tz, locale)}</li>)}</ul>
          <button type="button" onClick={() => setConflicts(null)}>Dismiss</button>
        </div>
      )}
      {!formOpen && !editing && (
        <div className="actions"><button type="button" className="primary" onClick={() => { setFormOpen(true); setDraft(EMPTY); save.setFields({}); }}>Add a vehicle</button></div>
      )}
      {(formOpen || editing) && <form className="settings-form" aria-label={editing ? `Change vehicle ${editing.plate}` : 'Add a vehicle'} onSubmit={(e) => void onSave(e)} noValidate>
        <fieldset>
          <legend>{editing ? `Change ${editing.plate}` : 'Add a vehicle'}</legend>
          <Field id="veh-plate" label="Plate" error={errorFor(save.fields, 'plate')}>{(c) => <input {...c} key={editing?.id ?? 'new'} autoFocus value={draft.plate} autoComplete="off" onChange={set('plate')} />}</Field>
          <Field id="veh-vin" label="VIN (17 characters, optional)" error={errorFor(save.fields, 'vin')}>{(c) => <input {...c} value={draft.vin} autoComplete="off" maxLength={20} onChange={set('vin')} />}</Field>
          <Field id="veh-make" label="Make" error={errorFor(save.fields, 'make')}>{(c) => <input {...c} value={draft.make} onChange={set('make')} />}</Field>
          <Field id="veh-model" label="Model" error={errorFor(save.fields, 'model')}>{(c) => <input {...c} value={draft.model} onChange={set('model')} />}</Field>
          <Field id="veh-class" label="Class" error={errorFor(save.fields, 'class')}>
            {(c) => (
              <select {...c} value={draft.class} onChange={set('class')}>
                <option value="">Choose a class…</option>
                {classes.map((k) => <option key={k.code} value={k.code}>{k.name}</option>)}
              </select>
            )}
          </Field>
          <Field id="veh-location" label="Location" error={errorFor(save.fields, 'locationId')}>
            {(c) => (
              <select {...c} value={draft.locationId} onChange={set('locationId')}>
                <option value="">No fixed location</option>
                {locations.map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}
              </select>
            )}
          </Field>
          <Field id="veh-odometer" label="Odometer" error={errorFor(save.fields, 'odometer')}>{(c) => <input {...c} inputMode="numeric" value={draft.odometer} onChange={set('odometer')} />}</Field>
          <Field id="veh-tank" label="Fuel capacity (litres)" error={errorFor(save.fields, 'tankLitres')}>{(c) => <input {...c} inputMode="numeric" value={draft.tankLitres} onChange={set('tankLitres')} />}</Field>
          <Field id="veh-status" label="Status" error={errorFor(save.fields, 'status')}>
            {(c) => (
              <select {...c} value={draft.status} onChange={set('status')}>
                <option value="available">Available</option>
                <option value="in_service">In service (not bookable)</option>
                <option value="retired">Retired (kept for its bookings)</option>
              </select>
            )}
          </Field>
          <div className="actions span-all">
            <button type="submit" className="primary" disabled={save.busy}>{editing ? 'Save vehicle' : 'Add vehicle'}</button>
            <button type="button" onClick={() => { setEditing(null); setFormOpen(false); setDraft(EMPTY); save.setFields({}); }}>Cancel</button>
          </div>
        </fieldset>
      </form>}

      <table className="admin-table" aria-label="Vehicles">
        <thead><tr><th scope="col">Plate</th><th scope="col">Vehicle</th><th scope="col">Class</th><th scope="col">Location</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          {vehicles.data?.vehicles.map((v) => (
            <tr key={v.id}>
              <th scope="row" className="mono">{v.plate}</th>
              <td>{v.make} {v.model}{v.vin ? <span className="muted mono"> · {v.vin}</span> : null}</td>
              <td>{v.className}</td>
              <td>
                <label className="visually-hidden" htmlFor={`move-${v.id}`}>Location of {v.plate}</label>
                <select id={`move-${v.id}`} value={v.locationId ?? ''} disabled={v.status === 'retired' || act.busy} onChange={(e) => void move(v, e.target.value)}>
                  {v.locationId === null && <option value="">—</option>}
                  {locations.map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}
                </select>
              </td>
              <td>{STATUS_WORDS[v.status]}</td>
              <td className="row-actions">
                <button type="button" onClick={() => edit(v)}>Change {v.plate}</button>
                {v.status !== 'retired' && <button type="button" onClick={() => { setDownFor(v); setDown({ from: '', to: '', reason: '' }); act.clear(); }}>Out of service…</button>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <ConfirmDialog
        open={downFor !== null}
        onOpenChange={(o) => { if (!o) setDownFor(null); }}
        title={`Take ${downFor?.plate ?? ''} out of service`}
        description="It will not be offered for any booking that overlaps this period. Bookings it already has in the period are listed afterwards so you can move them."
        confirmLabel="Take out of service"
        busy={act.busy}
        onConfirm={() => void addDowntime()}
      >
        {act.error && <p role="alert" className="panel-error">{act.error}</p>}
        <Field id="down-from" label="Out of service from" error={errorFor(act.fields, 'from')}>{(c) => <ShopDateTime control={c} name="Out of service from" locale={locale} value={down.from} onChange={(v) => setDown((x) => ({ ...x, from: v }))} />}</Field>
        <Field id="down-to" label="Back in service" error={errorFor(act.fields, 'to')}>{(c) => <ShopDateTime control={c} name="Back in service" locale={locale} value={down.to} onChange={(v) => setDown((x) => ({ ...x, to: v }))} />}</Field>
        <Field id="down-reason" label="Reason" error={errorFor(act.fields, 'reason')}>{(c) => <input {...c} value={down.reason} onChange={(e) => setDown({ ...down, reason: e.target.value })} />}</Field>
      </ConfirmDialog>
    </div>
  );
}
