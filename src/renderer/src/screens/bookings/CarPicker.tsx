import { useEffect, useState } from 'react';
import type { BookingDetail } from '../../../../shared/contract/bookings';
import type { Output } from '../../../../shared/contract';
import { showMoney } from '../../format/money';
import { latestOnly } from '../../lib/latest';
import { call } from '../../rpc/client';
import { useApp } from '../../stores/appStore';
import { useBookings } from '../../stores/bookingStore';
import { useCatalog } from '../../stores/catalogStore';

type Car = Output<'bookings.assignable'>['cars'][number];

/**
 * The car handed over, chosen at pickup by typing part of its plate: free cars of the booked class
 * or better. A better class is an upgrade the clerk charges (main re-prices) or gives free.
 */
export function CarPicker({ b, locale }: { b: BookingDetail; locale: string }) {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Output<'bookings.assignable'> | null>(null);
  const [chosen, setChosen] = useState<Car | null>(null);
  const [upgrade, setUpgrade] = useState<'charge' | 'free' | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [latest] = useState(() => latestOnly());
  const locations = useCatalog((s) => s.locations);
  useEffect(() => {
    if (useCatalog.getState().locations.length === 0) void useCatalog.getState().loadCatalog();
  }, []);
  // The held car's own position now (a car held by class may be anywhere the class had a free car).
  const standsElsewhere = b.vehicle.locationId && b.vehicle.locationId !== b.pickupLocation.id ? locations.find((l) => l.id === b.vehicle.locationId)?.name : undefined;
  // A car that will be at another location at pickup can still be given (someone brings it over): say where it is.
  const elsewhere = (at: string | null) => {
    const place = at && at !== b.pickupLocation.id ? locations.find((l) => l.id === at) : undefined;
    return place ? `At ${place.name} at pickup — would need moving` : undefined;
  };

  useEffect(() => {
    void latest(() => call('bookings.assignable', { id: b.id, query })).then((a) => {
      if (a.stale) return;
      if (a.value.ok) setFound(a.value.value);
      else setProblem(a.value.error.message);
    });
  }, [b.id, b.version, query, latest]);

  async function assign() {
    if (!chosen) return;
    if (chosen.upgrade && !upgrade) {
      setProblem('Choose whether the customer pays for the upgrade');
      return;
    }
    setBusy(true);
    const r = await call('bookings.assign', { id: b.id, expectedVersion: b.version, vehicleId: chosen.id, ...(chosen.upgrade && upgrade ? { upgrade } : {}) });
    setBusy(false);
    if (!r.ok) {
      setProblem(r.error.fields?.vehicleId ?? r.error.fields?.upgrade ?? r.error.message);
      return;
    }
    setChosen(null);
    setUpgrade(null);
    setProblem(null);
    setQuery('');
    await useBookings.getState().load(b.id);
    useApp.getState().notify('success', `${r.value.ref} now has ${r.value.vehicle.plate}${chosen.upgrade ? (upgrade === 'free' ? ' (free upgrade)' : `; new total ${showMoney(r.value.total, locale)}`) : ''}.`, 'checkout');
  }

  const others = (found?.cars ?? []).filter((c) => !c.current);
  return (
    <div className="car-picker">
      <p>
        Booked: <strong>{found?.bookedClass ?? b.vehicle.className}</strong>. Car now: <span className="plate">{b.vehicle.plate}</span> {b.vehicle.make} {b.vehicle.model}{standsElsewhere ? ` (it stands at ${standsElsewhere} now)` : ''}.
      </p>
      <div className="field">
        <label htmlFor="car-plate">Find another car by plate</label>
        <input id="car-plate" autoComplete="off" value={query} placeholder="e.g. GH-1" onChange={(e) => { setQuery(e.target.value); setChosen(null); setProblem(null); }} />
        <p className="field-hint">Free cars of {found?.bookedClass ?? 'this class'} or better for the whole rental.</p>
      </div>
      {found && others.length === 0 && <p className="muted">No other free car matches{query ? ` "${query}"` : ''}.</p>}
      {others.length > 0 && !chosen && (
        <ul className="car-results" aria-label="Free cars">
          {others.map((c) => (
            <li key={c.id}>
              <button type="button" onClick={() => { setChosen(c); setUpgrade(null); setProblem(null); }}>
                <span className="plate">{c.plate}</span> {c.make} {c.model} · {c.className}
                {c.upgrade && <span className="upgrade-tag"> upgrade (+{showMoney(c.upgradeCharge, locale)} if charged)</span>}
                {elsewhere(c.projectedLocationId) && <span> · {elsewhere(c.projectedLocationId)}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
      {chosen && (
        <div className="car-chosen" role="group" aria-label={`Give ${chosen.plate}`}>
          <p>
            <span className="plate">{chosen.plate}</span> {chosen.make} {chosen.model} · {chosen.className}
          </p>
          {chosen.upgrade && (
            <fieldset className="upgrade-choice">
              <legend>Upgrade from {found?.bookedClass}</legend>
              <label className="check">
                <input type="radio" name="upgrade" checked={upgrade === 'charge'} onChange={() => setUpgrade('charge')} />
                Customer pays {showMoney(chosen.upgradeCharge, locale)} more
              </label>
              <label className="check">
                <input type="radio" name="upgrade" checked={upgrade === 'free'} onChange={() => setUpgrade('free')} />
                Free upgrade (the price stays; recorded in the history)
              </label>
            </fieldset>
          )}
          <div className="actions">
            <button type="button" className="primary" disabled={busy} onClick={() => void assign()}>Give this car</button>
            <button type="button" onClick={() => setChosen(null)}>Back to the list</button>
          </div>
        </div>
      )}
      {problem && <p className="field-error" role="alert">{problem}</p>}
    </div>
  );
}
