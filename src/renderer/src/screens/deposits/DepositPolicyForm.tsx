import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { DepositPolicy } from '../../../../shared/contract/deposits';
import type { CurrencyCode } from '../../../../shared/money';
import { majorText, parseAmount } from '../../format/money';
import { call } from '../../rpc/client';
import { useApp } from '../../stores/appStore';
import { useCatalog } from '../../stores/catalogStore';

type Row = { classCode: string; amount: string; longAmount: string };

/** Settings: the deposit by vehicle class and rental length, with a minimum (managers edit; main audits). */
export function DepositPolicyForm() {
  const notify = useApp((s) => s.notify);
  const canEdit = useApp((s) => s.session?.role === 'manager');
  const card = useCatalog((s) => s.card);
  const classes = card?.classes ?? [];
  const [policy, setPolicy] = useState<DepositPolicy | null>(null);
  const [rows, setRows] = useState<Row[]>([]);
  const [minimum, setMinimum] = useState('');
  const [fallback, setFallback] = useState('');
  const [longDays, setLongDays] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);

  function load(p: DepositPolicy) {
    const c = p.currency as CurrencyCode;
    setPolicy(p);
    setMinimum(majorText(p.minimum, c));
    setFallback(majorText(p.defaultAmount, c));
    setLongDays(String(p.longRentalDays));
    const codes = [...new Set([...p.classes.map((x) => x.classCode), ...classes.map((x) => x.code)])];
    setRows(codes.map((code) => {
      const line = p.classes.find((x) => x.classCode === code);
      return { classCode: code, amount: line ? majorText(line.amount, c) : '', longAmount: line ? majorText(line.longAmount, c) : '' };
    }));
  }
  useEffect(() => {
    if (!useCatalog.getState().card) void useCatalog.getState().loadCatalog();
    void call('deposits.policy', {}).then((r) => r.ok && load(r.value));
  }, [card]);
  if (!policy) return null;
  const cur = policy.currency as CurrencyCode;

  async function save(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    const amount = (key: string, text: string, allowEmpty = false): number | null => {
      if (allowEmpty && text.trim() === '') return null;
      const p = parseAmount(text, cur);
      if (!p.ok) errs[key] = p.problem;
      return p.ok ? p.minor : null;
    };
    const min = amount('minimum', minimum);
    const def = amount('defaultAmount', fallback);
    const days = Number(longDays);
    if (!Number.isInteger(days) || days < 2 || days > 365) errs.longRentalDays = 'A whole number of days from 2 to 365';
    const lines = rows.flatMap((r) => {
      const a = amount(`${r.classCode}.amount`, r.amount, true);
      const l = amount(`${r.classCode}.longAmount`, r.longAmount, true);
      return a === null ? [] : [{ classCode: r.classCode, amount: a, longAmount: l ?? a }];
    });
    setErrors(errs);
    if (Object.keys(errs).length > 0 || min === null || def === null) return;
    setSaving(true);
    const r = await call('deposits.setPolicy', { policy: { currency: cur, minimum: min, defaultAmount: def, longRentalDays: days, classes: lines } });
    setSaving(false);
    if (!r.ok) return notify('error', r.error.message, 'deposit-policy');
    load(r.value);
    notify('success', 'Deposit policy saved. New holds use it; holds already taken keep their amount.', 'deposit-policy');
  }

  const input = (id: string, label: string, value: string, set: (v: string) => void, mode: 'decimal' | 'numeric' = 'decimal') => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} inputMode={mode} value={value} disabled={!canEdit} aria-invalid={errors[id.replace('dp-', '')] ? true : undefined} onChange={(e) => set(e.target.value)} />
      {errors[id.replace('dp-', '')] && <p className="field-error">{errors[id.replace('dp-', '')]}</p>}
    </div>
  );

  return (
    <form className="settings-form" aria-label="Deposit policy" onSubmit={(e) => void save(e)} noValidate>
      <fieldset>
        <legend>Deposits</legend>
        {input('dp-minimum', `Minimum deposit (${cur})`, minimum, setMinimum)}
        {input('dp-defaultAmount', `Deposit for a class not listed (${cur})`, fallback, setFallback)}
        {input('dp-longRentalDays', 'Long rental from (days)', longDays, setLongDays, 'numeric')}
        <table className="deposit-policy">
          <caption className="visually-hidden">Deposit by vehicle class</caption>
          <thead><tr><th scope="col">Class</th><th scope="col">Deposit ({cur})</th><th scope="col">Long rental ({cur})</th></tr></thead>
          <tbody>
            {rows.map((r, i) => {
              const name = classes.find((c) => c.code === r.classCode)?.name ?? r.classCode;
              const set = (k: 'amount' | 'longAmount', v: string) => setRows(rows.map((x, j) => (j === i ? { ...x, [k]: v } : x)));
              return (
                <tr key={r.classCode}>
                  <th scope="row">{name}</th>
                  <td><input aria-label={`${name} deposit`} inputMode="decimal" value={r.amount} disabled={!canEdit} onChange={(e) => set('amount', e.target.value)} />{errors[`${r.classCode}.amount`] && <p className="field-error">{errors[`${r.classCode}.amount`]}</p>}</td>
                  <td><input aria-label={`${name} long rental deposit`} inputMode="decimal" value={r.longAmount} disabled={!canEdit} onChange={(e) => set('longAmount', e.target.value)} />{errors[`${r.classCode}.longAmount`] && <p className="field-error">{errors[`${r.classCode}.longAmount`]}</p>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </fieldset>
      {canEdit && <div className="actions"><button type="submit" className="primary" disabled={saving}>{saving ? 'Saving…' : 'Save deposit policy'}</button></div>}
    </form>
  );
}
