import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { Output } from '../../../../shared/contract';
import type { ParsedRateCard } from '../../../../shared/contract/pricing';
import type { CurrencyCode } from '../../../../shared/money';
import { Field } from '../../components/Field';
import { ShopDateTime } from '../../components/ShopDateTime';
import { majorText, parseAmount, showMoney } from '../../format/money';
import { fromLocalInput, showDateTime } from '../../format/time';
import { useApp } from '../../stores/appStore';
import { errorFor, useChange, useLoad } from './adminKit';
import { RateCardVersions } from './RateCardVersions';
import { LaterVersionsChoice } from './LaterVersionsChoice';
import type { PendingSave } from './LaterVersionsChoice';

/**
 * The rate card as a form: each rate its own field, checked here as typed (amounts) and by main
 * field by field (the card's schema). "Preview" prices one sample booking with the card in force
 * and with this draft side by side; "Save" stores the draft as a new version. Bookings keep the
 * version they were quoted with.
 */
type Kind = 'money' | 'int' | 'percent';
/** `hidden` prefixes the label for screen readers (the legend shows it on screen). */
type Spec = { path: string; label: string; hidden?: string; kind: Kind; optional?: boolean };

function specsOf(card: ParsedRateCard): { legend: string; fields: Spec[] }[] {
  const groups: { legend: string; fields: Spec[] }[] = Object.entries(card.classes).map(([code, c]) => ({
    legend: `${c.name} (${code})`,
    fields: [
      { path: `classes.${code}.dailyRate`, label: 'Day rate', hidden: c.name, kind: 'money' },
      { path: `classes.${code}.weekendDailyRate`, label: 'Weekend day', hidden: c.name, kind: 'money', optional: true },
      { path: `classes.${code}.weeklyRate`, label: 'Week rate', hidden: c.name, kind: 'money', optional: true },
      { path: `classes.${code}.lateHourlyRate`, label: 'Late, per hour', hidden: c.name, kind: 'money' },
    ],
  }));
  groups.push({ legend: 'Extras', fields: Object.entries(card.extras).map(([code, x]) => ({ path: `extras.${code}.amount`, label: `${x.name} (${x.charge === 'per_day' ? 'per day' : 'per rental'})`, kind: 'money' })) });
  groups.push({ legend: 'Fees', fields: Object.entries(card.fees).map(([code, x]) => ({ path: `fees.${code}.amount`, label: x.name, kind: 'money' })) });
  const rules: Spec[] = [
    { path: 'tax.rateBp', label: `${card.tax.name} rate (%)`, kind: 'percent' },
    { path: 'lateReturn.graceMinutes', label: 'Late return: minutes of grace', kind: 'int' },
  ];
  if (card.fuel) rules.push({ path: 'fuel.pricePerUnit', label: `Fuel price per ${card.fuel.unit}`, kind: 'money' });
  if (card.mileage) {
    rules.push({ path: 'mileage.included', label: `Mileage allowance (${card.mileage.unit} per ${card.mileage.per})`, kind: 'int' });
    rules.push({ path: 'mileage.excessPrice', label: `Price per extra ${card.mileage.unit}`, kind: 'money' });
  }
  if (card.youngDriver) {
    rules.push({ path: 'youngDriver.underAge', label: 'Young driver: under this age', kind: 'int' });
    rules.push({ path: 'youngDriver.perDay', label: 'Young driver fee per day', kind: 'money' });
  }
  groups.push({ legend: 'Tax, late return, fuel, mileage, young drivers', fields: rules });
  return groups.filter((g) => g.fields.length > 0);
}

/** The card with classes added in this draft (rates empty until typed: build() then asks for them). */
function withClasses(card: ParsedRateCard, added: readonly { code: string; name: string }[]): ParsedRateCard {
  if (added.length === 0) return card;
  const classes = { ...card.classes };
  for (const a of added) classes[a.code] = { name: a.name, dailyRate: 0, lateHourlyRate: 0 };
  return { ...card, classes };
}

function read(card: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), card);
}

function write(card: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let o = card;
  for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
  const last = keys.at(-1) as string;
  if (value === undefined) delete o[last];
  else o[last] = value;
}

function toText(v: unknown, kind: Kind, cur: CurrencyCode): string {
  if (typeof v !== 'number') return '';
  if (kind === 'money') return majorText(v, cur);
  if (kind === 'percent') return String(v / 100);
  return String(v);
}

/** Draft texts → a card, or the local errors (money by string arithmetic, never floats). */
function build(base: ParsedRateCard, specs: Spec[], texts: Record<string, string>): { card: ParsedRateCard } | { errors: Record<string, string> } {
  const card = structuredClone(base) as unknown as Record<string, unknown>;
  const errors: Record<string, string> = {};
  for (const s of specs) {
    const t = (texts[s.path] ?? '').trim();
    if (t === '' && s.optional) {
      write(card, s.path, undefined);
      continue;
    }
    if (s.kind === 'money') {
      const p = parseAmount(t, base.currency as CurrencyCode);
      if (p.ok) write(card, s.path, p.minor);
      else errors[`card.${s.path}`] = p.problem;
    } else if (s.kind === 'percent') {
      if (/^\d{1,3}([.,]\d{1,2})?$/.test(t)) write(card, s.path, Math.round(Number(t.replace(',', '.')) * 100));
      else errors[`card.${s.path}`] = 'Enter a percentage like 21 or 9.5';
    } else if (/^\d+$/.test(t)) write(card, s.path, Number(t));
    else errors[`card.${s.path}`] = t.startsWith('-') ? 'Cannot be negative' : 'Enter a whole number';
  }
  return Object.keys(errors).length > 0 ? { errors } : { card: card as unknown as ParsedRateCard };
}

export function RateCardSettings() {
  const tz = useApp((s) => s.settings?.timeZone ?? 'UTC');
  const locale = useApp((s) => s.settings?.locale ?? 'en-GB');
  const rates = useLoad('rates.get', {});
  const save = useChange();
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [sample, setSample] = useState({ vehicleClass: '', pickup: '', ret: '', ages: '30' });
  const [preview, setPreview] = useState<Output<'rates.preview'> | null>(null);
  // "now": the new version applies as soon as it is saved; else from `appliesFrom` (shop time).
  const [appliesWhen, setAppliesWhen] = useState<'now' | 'later'>('now');
  const [appliesFrom, setAppliesFrom] = useState('');
  const versions = useLoad('rates.versions', {});
  const scheduled = (versions.data?.versions ?? []).filter((v) => v.state === 'scheduled').sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1));
  // A save that would take effect before a scheduled version: the manager chooses what happens to it.
  const [pending, setPending] = useState<PendingSave | null>(null);
  const stored = rates.data?.raw as ParsedRateCard | undefined;
  // Vehicle classes are the card's classes: a new one is added to the draft and saved with it.
  const [added, setAdded] = useState<{ code: string; name: string }[]>([]);
  const [newClass, setNewClass] = useState({ code: '', name: '' });
  const raw = stored ? withClasses(stored, added) : undefined;
  const groups = raw ? specsOf(raw) : [];
  const specs = groups.flatMap((g) => g.fields);

  useEffect(() => {
    const raw = stored;
    if (!raw) return;
    setAdded([]);
    setTexts(Object.fromEntries(specsOf(raw).flatMap((g) => g.fields).map((s) => [s.path, toText(read(raw, s.path), s.kind, raw.currency as CurrencyCode)])));
    const first = Object.keys(raw.classes)[0] ?? '';
    // A sample over a weekend (next Friday 09:00 to Monday 09:00) shows weekday and weekend rates.
    const d = new Date();
    d.setDate(d.getDate() + ((5 - d.getDay() + 7) % 7 || 7));
    const day = (x: Date) => `${x.getFullYear()}-${String(x.getMonth() + 1).padStart(2, '0')}-${String(x.getDate()).padStart(2, '0')}`;
    const mon = new Date(d);
    mon.setDate(d.getDate() + 3);
    setSample((s) => (s.vehicleClass ? s : { ...s, vehicleClass: first, pickup: `${day(d)}T09:00`, ret: `${day(mon)}T09:00` }));
  }, [stored]);

  if (!raw) return <p>{rates.error ?? 'Loading the rate card…'}</p>;

  function addClass() {
    const code = newClass.code.trim().toLowerCase();
    const name = newClass.name.trim();
    const local: Record<string, string> = {};
    if (!/^[a-z0-9][a-z0-9_-]{0,39}$/.test(code)) local['newClass.code'] = 'A code of lower-case letters and digits, e.g. minivan';
    else if (raw && Object.hasOwn(raw.classes, code)) local['newClass.code'] = `The card already has ${code}`;
    if (name === '') local['newClass.name'] = 'Give the class a name, e.g. Minivan';
    if (Object.keys(local).length > 0) {
      save.setFields(local);
      return;
    }
    setAdded([...added, { code, name }]);
    setNewClass({ code: '', name: '' });
    save.setFields({});
    setSample((x) => ({ ...x, vehicleClass: code }));
    // Its rates are empty: the manager types them next.
    setTimeout(() => document.getElementById(`rc-classes-${code}-dailyRate`)?.focus(), 0);
  }

  function draftCard(): ParsedRateCard | null {
    const b = build(raw as ParsedRateCard, specs, texts);
    if ('errors' in b) {
      save.setFields(b.errors);
      return null;
    }
    return b.card;
  }

  async function onPreview() {
    const card = draftCard();
    if (!card) return;
    const pickupAt = fromLocalInput(sample.pickup, tz);
    const returnAt = fromLocalInput(sample.ret, tz);
    if (!pickupAt || !returnAt) {
      save.setFields({ 'sample.pickupAt': pickupAt ? '' : 'Type the sample pickup as dd/mm/yyyy and hh:mm (24-hour)', 'sample.returnAt': returnAt ? '' : 'Type the sample return as dd/mm/yyyy and hh:mm (24-hour)' });
      return;
    }
    const ages = sample.ages.split(/[ ,]+/).filter(Boolean).map(Number);
    const res = await save.run('rates.preview', { card, sample: { vehicleClass: sample.vehicleClass, pickupAt, returnAt, driverAges: ages } });
    setPreview(res);
  }

  async function onSave(e: FormEvent) {
    e.preventDefault();
    const card = draftCard();
    if (!card) return;
    let effectiveFrom: string | null = null;
    if (appliesWhen === 'later') {
      effectiveFrom = fromLocalInput(appliesFrom, tz);
      if (!effectiveFrom) {
        save.setFields({ effectiveFrom: 'Type the date (dd/mm/yyyy) and the time (hh:mm, 24-hour) the new prices apply from' });
        return;
      }
    }
    const from = effectiveFrom ?? new Date().toISOString();
    const later = scheduled.filter((v) => v.effectiveFrom > from);
    // Main asks too (and decides); asking first shows both dates before anything is sent.
    if (later.length > 0) {
      setPending({ card, effectiveFrom, later, message: null });
      return;
    }
    await send({ card, effectiveFrom, later: [], message: null }, undefined);
  }

  async function send(p: PendingSave, laterVersions: 'cancel' | 'keep' | undefined) {
    const choice = laterVersions === undefined ? {} : { laterVersions };
    const ok =
      p.effectiveFrom === null
        ? await save.run('rates.update', { card: p.card, ...choice }, 'Rate card saved as a new version. New bookings use it; existing bookings keep their price.')
        : await save.run('rates.schedule', { card: p.card, effectiveFrom: p.effectiveFrom, ...choice }, 'Rate card saved as a new version that applies from the date you gave. Until then the current prices stay.');
    if (ok) {
      setPreview(null);
      setAppliesFrom('');
      setAppliesWhen('now');
      setPending(null);
      await Promise.all([rates.reload(), versions.reload()]);
      return;
    }
    const refused = save.lastError();
    if (refused?.fields?.laterVersions !== undefined) {
      // A version was scheduled meanwhile (another counter): ask with main's sentence.
      await versions.reload();
      setPending({ ...p, message: refused.fields.laterVersions });
    }
  }

  const money = (m: { amount: number; currency: CurrencyCode }) => showMoney(m, locale);

  function sideBySide(p: Output<'rates.preview'>) {
    const keys: string[] = [];
    for (const l of [...(p.current?.lines ?? []), ...p.proposed.lines]) if (!keys.includes(l.key)) keys.push(l.key);
    const cell = (q: typeof p.proposed | null, key: string) => {
      const hits = q?.lines.filter((l) => l.key === key) ?? [];
      if (hits.length === 0) return <td className="num">—</td>;
      const detail = hits.map((l) => l.description.split(', ').slice(1).join(', ')).filter(Boolean).join('; ');
      return (
        <td className="num">
          {money({ amount: hits.reduce((n, l) => n + l.amount.amount, 0), currency: p.proposed.total.currency })}
          {detail && <span className="cell-detail">{detail}</span>}
        </td>
      );
    };
    const label = (key: string) => (p.proposed.lines.find((l) => l.key === key) ?? p.current?.lines.find((l) => l.key === key))?.description.split(', ')[0] ?? key;
    return (
      <table className="admin-table" aria-label="Price preview">
        <thead>
          <tr><th scope="col">Sample booking</th><th scope="col" className="num">Now (v{p.current?.rateCardVersion ?? '—'})</th><th scope="col" className="num">Draft (v{p.proposed.rateCardVersion})</th></tr>
        </thead>
        <tbody>
          {keys.map((k) => <tr key={k}><td>{label(k)}</td>{cell(p.current, k)}{cell(p.proposed, k)}</tr>)}
          <tr><td>{raw?.tax.name ?? 'Tax'}</td><td className="num">{p.current ? money(p.current.taxTotal) : '—'}</td><td className="num">{money(p.proposed.taxTotal)}</td></tr>
          <tr className="total"><th scope="row">Total</th><td className="num">{p.current ? money(p.current.total) : '—'}</td><td className="num">{money(p.proposed.total)}</td></tr>
        </tbody>
      </table>
    );
  }

  return (
    <div className="admin-section">
      <h2>Rate card: {raw.name}, version {raw.version}</h2>
      <p className="hint">Amounts in {raw.currency}{raw.tax.mode === 'inclusive' ? `, including ${raw.tax.name}` : `, before ${raw.tax.name}`}. Saving makes a new version that applies at once, or from the date you give below; bookings already made keep the version they were priced with.</p>
      <div className="rc-layout">
        <form className="settings-form" aria-label="Rate card" onSubmit={(e) => void onSave(e)} noValidate>
          {groups.map((g) => (
            <fieldset key={g.legend}>
              <legend>{g.legend}</legend>
              {g.fields.map((s) => (
                <Field key={s.path} id={`rc-${s.path.replace(/\./g, '-')}`} label={s.hidden ? <><span className="visually-hidden">{s.hidden} </span>{s.label}</> : s.label} hint={s.optional ? 'Empty: none' : undefined} error={errorFor(save.fields, `card.${s.path}`)}>
                  {(c) => (
                    <input {...c} inputMode="decimal" value={texts[s.path] ?? ''}
                      onChange={(e) => {
                        setTexts({ ...texts, [s.path]: e.target.value });
                        // Preview the class being edited.
                        const cls = /^classes\.([^.]+)\./.exec(s.path)?.[1];
                        if (cls) setSample((x) => ({ ...x, vehicleClass: cls }));
                      }} />
                  )}
                </Field>
              ))}
            </fieldset>
          ))}
          <fieldset>
            <legend>Add a vehicle class</legend>
            <Field id="rc-new-code" label="Class code" hint="e.g. minivan; vehicles refer to it" error={errorFor(save.fields, 'newClass.code')}>
              {(c) => <input {...c} value={newClass.code} autoComplete="off" onChange={(e) => setNewClass({ ...newClass, code: e.target.value })} />}
            </Field>
            <Field id="rc-new-name" label="Class name" error={errorFor(save.fields, 'newClass.name')}>
              {(c) => <input {...c} value={newClass.name} onChange={(e) => setNewClass({ ...newClass, name: e.target.value })} />}
            </Field>
            <div className="actions span-all"><button type="button" onClick={addClass}>Add class to the draft</button></div>
          </fieldset>
          {Object.entries(save.fields)
            .filter(([k]) => /^card\.classes\.[^.]+$/.test(k) || k === 'card.classes')
            .map(([k, v]) => <p key={k} role="alert" className="field-error">{v}</p>)}
          {scheduled.length > 0 && (
            <p className="hint" role="note">
              Already scheduled: {scheduled.map((u) => `version ${u.version} from ${showDateTime(u.effectiveFrom, tz, locale)}`).join('; ')}.
            </p>
          )}
          <fieldset className="plain rc-applies">
            <legend>New prices apply</legend>
            <label className="radio-row"><input type="radio" name="rc-applies-when" checked={appliesWhen === 'now'} onChange={() => setAppliesWhen('now')} /> <span>As soon as I save</span></label>
            <label className="radio-row"><input type="radio" name="rc-applies-when" checked={appliesWhen === 'later'} onChange={() => setAppliesWhen('later')} /> <span>From a date and time</span></label>
            {appliesWhen === 'later' && (
              <Field id="rc-applies" label="New prices apply from (shop time)" hint="dd/mm/yyyy and hh:mm, 24-hour" error={errorFor(save.fields, 'effectiveFrom')}>
                {(c) => <ShopDateTime control={c} name="Apply from" locale={locale} value={appliesFrom} onChange={(v) => { setAppliesFrom(v); if (save.fields.effectiveFrom) save.setFields({}); }} />}
              </Field>
            )}
          </fieldset>
          {pending && (
            <LaterVersionsChoice pending={pending} nextVersion={preview?.proposed.rateCardVersion ?? null} tz={tz} locale={locale} busy={save.busy}
              onChoose={(c) => void send(pending, c)} onBack={() => setPending(null)} />
          )}
          <div className="actions">
            <button type="submit" className="primary" disabled={save.busy || pending !== null}>Save as new version</button>
            <button type="button" onClick={() => { void rates.reload(); setPreview(null); setPending(null); save.setFields({}); }}>Discard changes</button>
          </div>
        </form>

        <section className="rc-preview" aria-labelledby="rc-preview-title">
          <h3 id="rc-preview-title">Preview: now and with your changes</h3>
          <Field id="pv-class" label="Sample vehicle class" error={errorFor(save.fields, 'sample.vehicleClass')}>
            {(c) => (
              <select {...c} value={sample.vehicleClass} onChange={(e) => setSample({ ...sample, vehicleClass: e.target.value })}>
                {Object.entries(raw.classes).map(([code, k]) => <option key={code} value={code}>{k.name}</option>)}
              </select>
            )}
          </Field>
          <Field id="pv-pickup" label="Sample pickup" error={errorFor(save.fields, 'sample.pickupAt') || undefined}>{(c) => <ShopDateTime control={c} name="Sample pickup" locale={locale} value={sample.pickup} onChange={(v) => setSample((x) => ({ ...x, pickup: v }))} />}</Field>
          <Field id="pv-return" label="Sample return" error={errorFor(save.fields, 'sample.returnAt') || undefined}>{(c) => <ShopDateTime control={c} name="Sample return" locale={locale} value={sample.ret} onChange={(v) => setSample((x) => ({ ...x, ret: v }))} />}</Field>
          <Field id="pv-ages" label="Driver ages (main driver first)" hint="e.g. 30, 22" error={errorFor(save.fields, 'sample.driverAges')}>{(c) => <input {...c} value={sample.ages} onChange={(e) => setSample({ ...sample, ages: e.target.value })} />}</Field>
          <button type="button" onClick={() => void onPreview()} disabled={save.busy}>Preview prices</button>
          {preview && (
            <div aria-live="polite" className="admin-section">
              {preview.missingClasses.length > 0 && <p role="alert" className="field-error">This draft has no rate for {preview.missingClasses.join(', ')}, which the fleet still has vehicles in: it cannot be saved like this.</p>}
              {preview.currentError && <p className="hint">{preview.currentError}</p>}
              {sideBySide(preview)}
              {preview.current && (
                <p>Difference: <strong>{money({ amount: preview.proposed.total.amount - preview.current.total.amount, currency: preview.proposed.total.currency })}</strong></p>
              )}
            </div>
          )}
        </section>
      </div>
      {versions.data && <RateCardVersions versions={versions.data.versions} tz={tz} locale={locale} onChanged={async () => { await Promise.all([rates.reload(), versions.reload()]); }} />}
    </div>
  );
}
