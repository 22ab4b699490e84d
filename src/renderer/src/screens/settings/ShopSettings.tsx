import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { Settings } from '../../../../shared/contract/settings';
import { CURRENCY_CODES } from '../../../../shared/money';
import type { CurrencyCode } from '../../../../shared/money';
import { majorText, parseAmount } from '../../format/money';
import { useApp } from '../../stores/appStore';
import { DepositPolicyForm } from '../deposits/DepositPolicyForm';
import { SetupSummary } from '../setup/SetupSummary';

type Draft = Omit<Settings, 'turnaroundMinutes' | 'refundPinThreshold' | 'discountPinThresholdBp'> & { turnaroundMinutes: string; refundPinThreshold: string; discountPinThresholdBp: string };

function toDraft(s: Settings): Draft {
  return { ...s, turnaroundMinutes: String(s.turnaroundMinutes), refundPinThreshold: majorText(s.refundPinThreshold, s.currency), discountPinThresholdBp: String(s.discountPinThresholdBp / 100) };
}

/** "12.5" → 1250 basis points; null when it is not a percentage with at most two decimals. */
function percentToBp(text: string): number | null {
  const t = text.trim().replace(',', '.');
  return /^\d{1,3}(\.\d{1,2})?$/.test(t) ? Math.round(Number(t) * 100) : null;
}

/** The shop-wide settings and what this counter is. */
export function ShopSettings() {
  const settings = useApp((s) => s.settings);
  const info = useApp((s) => s.info);
  const session = useApp((s) => s.session);
  const save = useApp((s) => s.saveSettings);
  const notify = useApp((s) => s.notify);
  const [draft, setDraft] = useState<Draft | null>(settings ? toDraft(settings) : null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (settings && !draft) setDraft(toDraft(settings));
  }, [settings, draft]);

  if (!draft || !settings) return <p>Loading…</p>;
  const canEdit = session?.role === 'manager' || session?.role === 'admin';

  const describedBy = (key: string, hint: boolean) => [hint ? `set-${key}-hint` : '', errors[key] ? `set-${key}-err` : ''].filter(Boolean).join(' ') || undefined;
  const field = (key: keyof Draft, label: string, props: Record<string, unknown> = {}, hint?: string) => (
    <div className="field">
      <label htmlFor={`set-${key}`}>{label}</label>
      <input
        id={`set-${key}`}
        value={draft[key]}
        disabled={!canEdit}
        aria-invalid={errors[key] ? true : undefined}
        aria-describedby={describedBy(key, hint !== undefined)}
        onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
        {...props}
      />
      {hint && <p id={`set-${key}-hint`} className="field-hint">{hint}</p>}
      {errors[key] && <p id={`set-${key}-err`} className="field-error">{errors[key]}</p>}
    </div>
  );

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!draft) return;
    const parsed = parseAmount(draft.refundPinThreshold, draft.currency);
    const threshold = parsed.ok ? parsed.minor : null;
    const local: Record<string, string> = {};
    if (!parsed.ok) local.refundPinThreshold = parsed.problem;
    if (!/^\d+$/.test(draft.turnaroundMinutes.trim())) local.turnaroundMinutes = 'Whole minutes only';
    const discountBp = percentToBp(draft.discountPinThresholdBp);
    if (discountBp === null) local.discountPinThresholdBp = draft.discountPinThresholdBp.trim().startsWith('-') ? 'Cannot be below 0 %' : 'Enter a percentage from 0 to 100, e.g. 10 or 12.5';
    else if (discountBp > 10_000) local.discountPinThresholdBp = 'Cannot be above 100 %';
    if (Object.keys(local).length > 0) {
      setErrors(local);
      return;
    }
    setSaving(true);
    const res = await save({ ...draft, turnaroundMinutes: Number(draft.turnaroundMinutes), refundPinThreshold: threshold ?? 0, discountPinThresholdBp: discountBp ?? 0 });
    setSaving(false);
    if (res.ok) {
      setErrors({});
      notify('success', 'Settings saved.');
    } else {
      setErrors(res.error.fields ?? {});
      notify('error', res.error.message);
    }
  }

  return (
    <>
      {!canEdit && <p className="hint">Only a manager can change settings.</p>}
      <form className="settings-form" onSubmit={(e) => void onSubmit(e)} aria-label="Shop settings" noValidate>
        <fieldset>
          <legend>Shop</legend>
          {field('shopName', 'Shop name')}
          {field('counterName', 'Counter name')}
          <div className="field">
            <label htmlFor="set-currency">Currency</label>
            <select id="set-currency" value={draft.currency} disabled={!canEdit} aria-describedby={describedBy('currency', true)} aria-invalid={errors.currency ? true : undefined} onChange={(e) => setDraft({ ...draft, currency: e.target.value as CurrencyCode })}>
              {CURRENCY_CODES.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
            <p id="set-currency-hint" className="field-hint">The currency of the amounts on this tab (refund limit, deposits). A location that sets no currency of its own prices in the rate card’s.</p>
            {errors.currency && <p id="set-currency-err" className="field-error">{errors.currency}</p>}
          </div>
          {field('locale', 'Language and region (e.g. en-GB)')}
          {field('timeZone', 'Time zone (e.g. Europe/London)', {}, 'The shop’s clock, and the clock of every location that sets no time zone of its own (Locations tab).')}
        </fieldset>
        <fieldset>
          <legend>Counter rules</legend>
          {field('turnaroundMinutes', 'Turnaround between rentals (minutes)', { inputMode: 'numeric' })}
          {field('refundPinThreshold', `Refunds above this need a manager PIN (${draft.currency})`, { inputMode: 'decimal' })}
          {field('discountPinThresholdBp', "A clerk's discounts above this share of the price need a manager PIN (%)", { inputMode: 'decimal' })}
          {field('relayUrl', 'Office relay address (changed in counter setup, below)', { type: 'url', disabled: true })}
          <div className="field">
            <label htmlFor="set-receiptFooter">Receipt footer</label>
            <textarea id="set-receiptFooter" value={draft.receiptFooter} disabled={!canEdit} rows={2} onChange={(e) => setDraft({ ...draft, receiptFooter: e.target.value })} />
            {errors.receiptFooter && <p className="field-error">{errors.receiptFooter}</p>}
          </div>
          <div className="field">
            <label htmlFor="set-rentalTerms">Rental agreement terms</label>
            <textarea id="set-rentalTerms" value={draft.rentalTerms} disabled={!canEdit} rows={6} onChange={(e) => setDraft({ ...draft, rentalTerms: e.target.value })} />
            {errors.rentalTerms && <p className="field-error">{errors.rentalTerms}</p>}
          </div>
        </fieldset>
        {canEdit && (
          <div className="actions">
            <button type="submit" className="primary" disabled={saving}>{saving ? 'Saving…' : 'Save settings'}</button>
            <button type="button" onClick={() => { setDraft(toDraft(settings)); setErrors({}); }}>Discard changes</button>
          </div>
        )}
      </form>
      <DepositPolicyForm />
      <SetupSummary />
      {info && (
        <section aria-labelledby="about-title" className="about">
          <h2 id="about-title">About this counter</h2>
          <dl>
            <dt>Version</dt><dd>{info.version}</dd>
            <dt>Mode</dt><dd>{info.mode}</dd>
            <dt>Connected through</dt><dd>{info.transport === 'electron' ? 'Desktop app' : 'Browser (loopback)'}</dd>
            <dt>Database</dt><dd className="mono">{info.dbPath}</dd>
            <dt>Schema version</dt><dd>{info.schemaVersion}</dd>
            <dt>Install id</dt><dd className="mono">{info.installId}</dd>
          </dl>
        </section>
      )}
    </>
  );
}
