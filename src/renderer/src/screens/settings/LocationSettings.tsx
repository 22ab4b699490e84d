import { useState } from 'react';
import type { FormEvent } from 'react';
import type { LocationDetail, OpeningHours } from '../../../../shared/contract/locations';
import { Field } from '../../components/Field';
import { ShopTime } from '../../components/ShopDateTime';
import { parseTypedTime } from '../../format/typedDate';
import { useApp } from '../../stores/appStore';
import { errorFor, useChange, useLoad } from './adminKit';

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

type Draft = {
  code: string; name: string; address: string; timeZone: string; currency: string;
  hours: { open: boolean; opens: string; closes: string }[];
  turnaround: string; taxName: string; taxRate: string;
};

/** "Always open", or each open day with its hours ("Mon 07:00–22:00, …"); days not listed are closed. */
function hoursSummary(hours: OpeningHours): string {
  if (hours.length === 0) return 'Always open';
  return hours.map((h) => `${DAYS[h.day - 1]?.slice(0, 3)} ${h.opens}–${h.closes}`).join(', ');
}

function toDraft(l: LocationDetail | null): Draft {
  const hours = DAYS.map((_, i) => {
    const h = l?.openingHours.find((x) => x.day === i + 1);
    return { open: h !== undefined, opens: h?.opens ?? '08:00', closes: h?.closes ?? '18:00' };
  });
  return {
    code: l?.code ?? '', name: l?.name ?? '', address: l?.address ?? '', timeZone: l?.timeZone ?? '', currency: l?.currency ?? '', hours,
    turnaround: l?.turnaroundMinutes === null || l === null ? '' : String(l.turnaroundMinutes),
    taxName: l?.taxName ?? '', taxRate: l?.taxRateBp === null || l === null ? '' : String(l.taxRateBp / 100),
  };
}

/** Locations: address, time zone, currency, opening hours, turnaround gap and tax. Empty means "the shop's setting". */
export function LocationSettings() {
  const list = useLoad('locations.manage.list', {});
  const save = useChange();
  const [editing, setEditing] = useState<LocationDetail | null>(null);
  const [d, setD] = useState<Draft>(toDraft(null));
  const shopZone = useApp((s) => s.settings?.timeZone ?? '');
  const setHour = (i: number, change: Partial<Draft['hours'][number]>) => setD({ ...d, hours: d.hours.map((x, j) => (j === i ? { ...x, ...change } : x)) });

  async function onSave(e: FormEvent) {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (d.turnaround.trim() !== '' && !/^\d+$/.test(d.turnaround.trim())) local.turnaroundMinutes = d.turnaround.trim().startsWith('-') ? 'Turnaround cannot be negative' : 'Whole minutes only';
    if (d.taxRate.trim() !== '' && !/^\d{1,3}([.,]\d{1,2})?$/.test(d.taxRate.trim())) local.taxRateBp = 'Enter a percentage like 21 or 9.5';
    // Each open day's times, 24-hour, on their own fields (keyed by day: main's keys are by open day).
    d.hours.forEach((h, i) => {
      if (!h.open) return;
      const opens = parseTypedTime(h.opens);
      const closes = parseTypedTime(h.closes);
      if (!opens) local[`hours.${i}.opens`] = `Type ${DAYS[i]}’s opening time as hh:mm, 24-hour, e.g. 08:00`;
      if (!closes) local[`hours.${i}.closes`] = `Type ${DAYS[i]}’s closing time as hh:mm, 24-hour, e.g. 18:00`;
      else if (opens && closes <= opens) local[`hours.${i}.closes`] = `${DAYS[i]} must close after it opens (${opens})`;
    });
    if (Object.keys(local).length > 0) {
      save.setFields(local);
      return;
    }
    const openDays = d.hours.flatMap((h, i) => (h.open ? [i] : []));
    const openingHours: OpeningHours = openDays.map((i) => ({ day: i + 1, opens: parseTypedTime(d.hours[i]?.opens ?? '') ?? '', closes: parseTypedTime(d.hours[i]?.closes ?? '') ?? '' }));
    const res = await save.run('locations.upsert', {
      ...(editing ? { id: editing.id, expectedVersion: editing.version } : {}),
      code: d.code, name: d.name, address: d.address, timeZone: d.timeZone.trim(), currency: d.currency.trim(), openingHours,
      turnaroundMinutes: d.turnaround.trim() === '' ? null : Number(d.turnaround),
      taxName: d.taxName, taxRateBp: d.taxRate.trim() === '' ? null : Math.round(Number(d.taxRate.replace(',', '.')) * 100),
    }, editing ? `${d.name} saved.` : `${d.name} added.`);
    if (!res) {
      // Main names the n-th open day ("openingHours.2.closes"): show it on that day's field.
      const byDay: Record<string, string> = {};
      for (const [k, v] of Object.entries(save.lastError()?.fields ?? {})) {
        const m = /^openingHours\.(\d+)\.(opens|closes|day)$/.exec(k);
        const day = m ? openDays[Number(m[1])] : undefined;
        if (m && day !== undefined) byDay[`hours.${day}.${m[2] === 'day' ? 'opens' : m[2]}`] = v;
        else byDay[k] = v;
      }
      save.setFields(byDay);
    }
    if (res) {
      setEditing(null);
      setD(toDraft(null));
      await list.reload();
    }
  }

  const text = (k: keyof Omit<Draft, 'hours'>, id: string, label: string, field: string, hint?: string) => (
    <Field id={id} label={label} hint={hint} error={errorFor(save.fields, field)}>
      {(c) => <input {...c} value={d[k]} onChange={(e) => setD({ ...d, [k]: e.target.value })} />}
    </Field>
  );

  return (
    <div className="admin-section">
      <h2>Locations</h2>
      {list.error && <p role="alert" className="panel-error">{list.error}</p>}
      <table className="admin-table" aria-label="Locations">
        <thead><tr><th scope="col">Code</th><th scope="col">Name</th><th scope="col">Address</th><th scope="col">Time zone</th><th scope="col">Tax</th><th scope="col">Hours</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          {list.data?.locations.map((l) => (
            <tr key={l.id}>
              <th scope="row" className="mono">{l.code}</th>
              <td>{l.name}{l.isHome ? ' (this counter)' : ''}</td>
              <td>{l.address || '—'}</td>
              <td>{l.timeZone || 'Shop’s'}</td>
              <td>{l.taxRateBp === null && !l.taxName ? 'Rate card’s' : `${l.taxName || 'Card’s tax'} ${l.taxRateBp === null ? '(card’s rate)' : `${l.taxRateBp / 100}%`}`}</td>
              <td className="wrap">{hoursSummary(l.openingHours)}</td>
              <td><button type="button" onClick={() => { setEditing(l); setD(toDraft(l)); save.setFields({}); }}>Change {l.name}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="settings-form" aria-label={editing ? `Change ${editing.name}` : 'Add a location'} onSubmit={(e) => void onSave(e)} noValidate>
        <fieldset>
          <legend>{editing ? `Change ${editing.name}` : 'Add a location'}</legend>
          {text('code', 'loc-code', 'Code', 'code', 'Short, e.g. AMS')}
          {text('name', 'loc-name', 'Name', 'name')}
          {text('address', 'loc-address', 'Address', 'address')}
          {text('timeZone', 'loc-tz', 'Time zone', 'timeZone', `e.g. Europe/Amsterdam; empty: the shop’s${shopZone ? ` (${shopZone})` : ''}`)}
          {text('currency', 'loc-currency', 'Currency', 'currency', 'e.g. EUR; empty: the rate card’s')}
          {text('turnaround', 'loc-turnaround', 'Turnaround between rentals (minutes)', 'turnaroundMinutes', 'Empty: the shop’s setting')}
          {text('taxName', 'loc-taxname', 'Tax name', 'taxName', 'e.g. VAT')}
          {text('taxRate', 'loc-taxrate', 'Tax rate (%)', 'taxRateBp', 'Empty: the rate card’s')}
        </fieldset>
        <fieldset className="hours" aria-describedby={`loc-hours-hint${errorFor(save.fields, 'openingHours') ? ' loc-hours-err' : ''}`}>
          <legend>Opening hours</legend>
          <p id="loc-hours-hint" className="muted">No day ticked: always open. Otherwise pickups and returns must fall within the hours, and a day not ticked is closed. Times are 24-hour (hh:mm), in the location’s clock.</p>
          <table className="hours-table" aria-label="Opening hours">
            <thead><tr><th scope="col">Day</th><th scope="col">Open</th><th scope="col">Opens</th><th scope="col">Closes</th></tr></thead>
            <tbody>
              {d.hours.map((h, i) => {
                const day = DAYS[i] ?? '';
                const time = (which: 'opens' | 'closes') => {
                  const id = `loc-${which}-${i}`;
                  const error = save.fields[`hours.${i}.${which}`];
                  return (
                    <td>
                      <ShopTime
                        control={{ id, 'aria-label': `${day} ${which}`, ...(error ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-err` } : {}) }}
                        disabled={!h.open}
                        value={h[which]}
                        onChange={(v) => {
                          setHour(i, { [which]: v });
                          if (error) save.setFields(Object.fromEntries(Object.entries(save.fields).filter(([k]) => k !== `hours.${i}.${which}`)));
                        }}
                      />
                      {error && <p id={`${id}-err`} className="field-error">{error}</p>}
                    </td>
                  );
                };
                return (
                  <tr key={day} className={h.open ? undefined : 'muted'}>
                    <th scope="row">{day}</th>
                    <td>
                      <label className="box-target">
                        <input type="checkbox" checked={h.open} onChange={(e) => setHour(i, { open: e.target.checked })} />
                        <span className="visually-hidden">Open on {day}</span>
                      </label>
                    </td>
                    {time('opens')}
                    {time('closes')}
                  </tr>
                );
              })}
            </tbody>
          </table>
          {errorFor(save.fields, 'openingHours') && <p id="loc-hours-err" className="field-error">{errorFor(save.fields, 'openingHours')}</p>}
        </fieldset>
        <div className="actions">
          <button type="submit" className="primary" disabled={save.busy}>{editing ? 'Save location' : 'Add location'}</button>
          {editing && <button type="button" onClick={() => { setEditing(null); setD(toDraft(null)); save.setFields({}); }}>Cancel change</button>}
        </div>
      </form>
    </div>
  );
}
