import { useState } from 'react';
import type { FormEvent } from 'react';
import type { SetupCheck, SetupPlan, SetupState } from '../../../../shared/contract/setup';
import { CURRENCY_CODES } from '../../../../shared/money';
import { Field } from '../../components/Field';
import { call } from '../../rpc/client';
import { useApp } from '../../stores/appStore';
import { reloadWhenMode, useSetup } from './setupStore';

type ModeChoice = 'demo' | 'test' | 'live';
type Draft = { mode: ModeChoice; regCode: string; line1: string; city: string; postalCode: string; country: string; stripeKey: string; relayUrl: string; relayToken: string; location: string; currency: string; reader: SetupPlan['reader']; managerName: string; pin: string; pin2: string };

const READERS: { value: SetupPlan['reader']; label: string; hint: string }[] = [
  { value: 'server-driven', label: 'Smart reader (recommended)', hint: 'A Stripe smart reader, driven by this counter through Stripe. Works on any network.' },
  { value: 'terminal-js', label: 'Reader on this network', hint: 'Stripe’s Terminal SDK finds a reader on the same local network.' },
  { value: 'simulated', label: 'Simulated reader', hint: 'Test cards only; not allowed in live mode.' },
];

function Lock({ on }: { on: boolean }) {
  return on ? <span className="hint"> (set by the office)</span> : null;
}

/** First-run setup, and later a manager's way to change mode, keys or relay. One page, checked as you go. */
export function SetupScreen() {
  const state = useSetup((s) => s.state) as SetupState;
  const close = useSetup((s) => s.close);
  const settings = useApp((s) => s.settings);
  const locked = state.locked;
  const [d, setD] = useState<Draft>({
    mode: locked.mode ?? (state.mode === 'demo' ? 'test' : state.mode),
    stripeKey: '',
    regCode: '',
    line1: '',
    city: '',
    postalCode: '',
    country: '',
    relayUrl: locked.relayUrl ?? state.relayUrl,
    relayToken: '',
    location: locked.location ?? '',
    currency: (locked.currency ?? settings?.currency ?? 'EUR').toUpperCase(),
    reader: state.reader,
    managerName: '',
    pin: '',
    pin2: '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [keyNote, setKeyNote] = useState<string | null>(null);
  const [relayNote, setRelayNote] = useState<string | null>(null);
  const [checks, setChecks] = useState<SetupCheck[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const live = d.mode === 'live';
  const paid = d.mode === 'test' || d.mode === 'live';
  const stored = d.mode === 'test' || d.mode === 'live' ? state.stored[d.mode] : null;
  const upd = (patch: Partial<Draft>) => {
    setD({ ...d, ...patch });
    setChecks(null);
  };

  function plan(): SetupPlan | null {
    const local: Record<string, string> = {};
    if (!d.stripeKey.trim() && !stored?.stripeKey) local.stripeKey = 'Paste this mode’s Stripe secret key.';
    if (!d.location.trim()) local.location = 'Name the location, e.g. Airport desk.';
    if (d.managerName.trim() || d.pin) {
      if (!/^\d{4,8}$/.test(d.pin)) local.pin = 'The PIN must be 4 to 8 digits.';
      else if (d.pin !== d.pin2) local.pin2 = 'The two PINs differ. Type the same PIN twice.';
      if (!d.managerName.trim()) local.managerName = 'Give the manager’s name.';
    }
    setErrors(local);
    if (Object.keys(local).length > 0 || (d.mode !== 'test' && d.mode !== 'live')) return null;
    return {
      mode: d.mode,
      stripeKey: d.stripeKey.trim() || undefined,
      relayUrl: d.relayUrl.trim(),
      relayToken: d.relayToken.trim() || undefined,
      location: d.location.trim(),
      currency: d.currency,
      reader: d.reader,
      manager: d.managerName.trim() ? { name: d.managerName.trim(), pin: d.pin } : undefined,
      pairReader: d.reader === 'server-driven' && d.regCode.trim() ? { registrationCode: d.regCode.trim(), line1: d.line1, city: d.city, postalCode: d.postalCode, country: d.country } : undefined,
    };
  }

  async function checkKey() {
    if (d.mode !== 'test' && d.mode !== 'live') return;
    setBusy('key');
    const res = await call('setup.checkStripeKey', { mode: d.mode, stripeKey: d.stripeKey.trim() });
    setBusy(null);
    setKeyNote(res.ok ? res.value.detail : null);
    setErrors({ ...errors, stripeKey: res.ok ? '' : (res.error.fields?.stripeKey ?? res.error.message) });
  }

  async function checkRelay() {
    setBusy('relay');
    const res = await call('setup.checkRelay', { relayUrl: d.relayUrl.trim(), relayToken: d.relayToken.trim() });
    setBusy(null);
    setRelayNote(res.ok ? res.value.detail : null);
    setErrors({ ...errors, relayToken: res.ok ? '' : (res.error.fields?.relayToken ?? res.error.fields?.relayUrl ?? res.error.message) });
  }

  async function checkAll(): Promise<boolean> {
    const p = plan();
    if (!p) return false;
    setBusy('check');
    const res = await call('setup.check', p);
    setBusy(null);
    if (!res.ok) {
      setProblem(res.error.message);
      setErrors(res.error.fields ?? {});
      return false;
    }
    setProblem(null);
    setChecks(res.value.checks);
    return res.value.ready;
  }

  async function skip() {
    setBusy('finish');
    const res = await call('setup.skipToDemo', {});
    if (!res.ok) {
      setBusy(null);
      setProblem(res.error.message);
      return;
    }
    if (res.value.restarting) await reloadWhenMode('demo');
    else {
      close();
      void useApp.getState().load();
    }
  }

  async function finish(e: FormEvent) {
    e.preventDefault();
    if (d.mode === 'demo') {
      await skip();
      return;
    }
    const p = plan();
    if (!p) return;
    setBusy('finish');
    const res = await call('setup.complete', p);
    if (!res.ok) {
      setBusy(null);
      setProblem(res.error.message);
      setErrors(res.error.fields ?? {});
      if (!res.error.fields) await checkAll();
      return;
    }
    setChecks(res.value.checks);
    if (!(await reloadWhenMode(p.mode))) {
      setBusy(null);
      setProblem('Keydesk did not come back in the new mode. Close it and open it again.');
    }
  }

  return (
    <main className="screen setup" aria-labelledby="screen-title">
      <h1 id="screen-title">{state.firstRun ? 'Set up this counter' : 'Change this counter’s setup'}</h1>
      {state.firstRun && (
        <p>
          Choose how this counter takes money. Not ready yet? Choose <strong>Demo</strong> (or “Skip — try the demo shop” below) to try Keydesk with a
          sample shop; a manager can finish setup later in Settings.
        </p>
      )}
      <p className="hint">
        Keys and tokens are sent to this computer’s Keydesk once and never shown again. {state.secrets.sentence}
        {state.managedSource && <> Some choices are set by the office in {state.managedSource}.</>}
      </p>
      <form className="settings-form" aria-label="Counter setup" noValidate onSubmit={(e) => void finish(e)}>
        <fieldset>
          <legend>Mode<Lock on={locked.mode !== undefined} /></legend>
          {(['demo', 'test', 'live'] as const).map((m) => (
            <label key={m} className="choice">
              <input type="radio" name="mode" value={m} checked={d.mode === m} disabled={locked.mode !== undefined && locked.mode !== m} onChange={() => upd({ mode: m })} />
              {m === 'demo' ? 'Demo — a sample shop, no real Stripe' : m === 'test' ? 'Test — your Stripe account’s test mode' : 'Live — real cards and real money'}
            </label>
          ))}
        </fieldset>
        {paid && (
          <>
            <fieldset>
              <legend>Stripe</legend>
              <Field id="setup-key" label={`Stripe secret key (${live ? 'sk_live_… or rk_live_…' : 'sk_test_… or rk_test_…'})`} error={errors.stripeKey || undefined} hint={stored?.stripeKey ? 'A key is stored for this mode; leave empty to keep it.' : (keyNote ?? undefined)}>
                {(c) => <input {...c} type="password" autoComplete="off" spellCheck={false} value={d.stripeKey} onChange={(e) => upd({ stripeKey: e.target.value })} />}
              </Field>
              <div className="actions">
                <button type="button" disabled={!d.stripeKey.trim() || busy !== null} onClick={() => void checkKey()}>{busy === 'key' ? 'Asking Stripe…' : 'Check key with Stripe'}</button>
              </div>
              <details>
                <summary>A restricted key is safer: the permissions it needs</summary>
                <ul>{state.restrictedKeyPermissions.map((p) => <li key={p}>{p}</li>)}</ul>
              </details>
            </fieldset>
            <fieldset>
              <legend>Location and currency</legend>
              <Field id="setup-location" label={<>Location<Lock on={locked.location !== undefined} /></>} error={errors.location || undefined}>
                {(c) => <input {...c} value={d.location} disabled={locked.location !== undefined} onChange={(e) => upd({ location: e.target.value })} />}
              </Field>
              <Field id="setup-currency" label={<>Currency<Lock on={locked.currency !== undefined} /></>}>
                {(c) => (
                  <select {...c} value={d.currency} disabled={locked.currency !== undefined} onChange={(e) => upd({ currency: e.target.value })}>
                    {CURRENCY_CODES.map((x) => <option key={x} value={x}>{x}</option>)}
                  </select>
                )}
              </Field>
            </fieldset>
            <fieldset>
              <legend>Card reader</legend>
              {READERS.map((r) => (
                <label key={r.value} className="choice">
                  <input type="radio" name="reader" value={r.value} checked={d.reader === r.value} disabled={live && r.value === 'simulated'} onChange={() => upd({ reader: r.value })} />
                  {r.label} <span className="hint">— {r.hint}</span>
                </label>
              ))}
              {d.reader === 'server-driven' && (
                <>
                  <Field id="setup-regcode" label="Registration code shown on the reader" error={errors.registrationCode || undefined} hint={live ? 'Live mode needs the reader paired now.' : 'Leave empty to pair later.'}>
                    {(c) => <input {...c} autoComplete="off" spellCheck={false} value={d.regCode} onChange={(e) => upd({ regCode: e.target.value })} />}
                  </Field>
                  {d.regCode.trim() && (
                    <>
                      <Field id="setup-line1" label="Street address of this location" error={errors['pairReader.line1'] || undefined}>
                        {(c) => <input {...c} value={d.line1} onChange={(e) => upd({ line1: e.target.value })} />}
                      </Field>
                      <Field id="setup-city" label="City" error={errors['pairReader.city'] || undefined}>
                        {(c) => <input {...c} value={d.city} onChange={(e) => upd({ city: e.target.value })} />}
                      </Field>
                      <Field id="setup-postcode" label="Postcode" error={errors['pairReader.postalCode'] || undefined}>
                        {(c) => <input {...c} value={d.postalCode} onChange={(e) => upd({ postalCode: e.target.value })} />}
                      </Field>
                      <Field id="setup-country" label="Country (two letters, e.g. GB)" error={errors['pairReader.country'] || undefined}>
                        {(c) => <input {...c} maxLength={2} value={d.country} onChange={(e) => upd({ country: e.target.value })} />}
                      </Field>
                    </>
                  )}
                </>
              )}
            </fieldset>
            <fieldset>
              <legend>Office relay{live ? '' : ' (optional in test mode)'}</legend>
              <Field id="setup-relay-url" label={<>Relay address<Lock on={locked.relayUrl !== undefined} /></>} error={errors.relayUrl || undefined}>
                {(c) => <input {...c} type="url" value={d.relayUrl} disabled={locked.relayUrl !== undefined} onChange={(e) => upd({ relayUrl: e.target.value })} />}
              </Field>
              <Field id="setup-relay-token" label="Install token for this counter" error={errors.relayToken || undefined} hint={stored?.relayToken ? 'A token is stored for this mode; leave empty to keep it.' : (relayNote ?? 'The office prints it once with “npm run relay -- install add”.')}>
                {(c) => <input {...c} type="password" autoComplete="off" spellCheck={false} value={d.relayToken} onChange={(e) => upd({ relayToken: e.target.value })} />}
              </Field>
              <div className="actions">
                <button type="button" disabled={!d.relayUrl.trim() || !d.relayToken.trim() || busy !== null} onClick={() => void checkRelay()}>{busy === 'relay' ? 'Opening the stream…' : 'Check relay'}</button>
              </div>
            </fieldset>
            <fieldset>
              <legend>First manager</legend>
              <Field id="setup-manager" label="Manager’s name" error={errors.managerName || undefined} hint="Leave empty if this mode already has a manager.">
                {(c) => <input {...c} autoComplete="off" value={d.managerName} onChange={(e) => upd({ managerName: e.target.value })} />}
              </Field>
              <Field id="setup-pin" label="PIN (4 to 8 digits)" error={errors.pin || undefined}>
                {(c) => <input {...c} type="password" inputMode="numeric" autoComplete="off" value={d.pin} onChange={(e) => upd({ pin: e.target.value })} />}
              </Field>
              <Field id="setup-pin2" label="PIN again" error={errors.pin2 || undefined}>
                {(c) => <input {...c} type="password" inputMode="numeric" autoComplete="off" value={d.pin2} onChange={(e) => upd({ pin2: e.target.value })} />}
              </Field>
            </fieldset>
          </>
        )}
        {checks && (
          <section className="checklist" aria-labelledby="checklist-title">
            <h2 id="checklist-title">{live ? 'Live mode needs every check green' : 'Checks'}</h2>
            <ul aria-label="Setup checks">
              {checks.map((c) => (
                <li key={c.id} className={c.ok ? 'ok' : 'bad'}>
                  <strong>{c.ok ? '✓' : '✗'} {c.label}</strong>: {c.detail}
                </li>
              ))}
            </ul>
          </section>
        )}
        {problem && <p role="alert" className="field-error">{problem}</p>}
        <div className="actions">
          {paid && <button type="button" disabled={busy !== null} onClick={() => void checkAll()}>{busy === 'check' ? 'Checking…' : 'Run all checks'}</button>}
          <button type="submit" className="primary" disabled={busy !== null}>
            {busy === 'finish' ? 'Restarting…' : d.mode === 'demo' ? 'Start the demo' : `Finish setup and start in ${d.mode} mode`}
          </button>
          {state.firstRun && paid && locked.mode === undefined && <button type="button" disabled={busy !== null} onClick={() => void skip()}>Skip — try the demo shop</button>}
          {!state.showOnStart && <button type="button" onClick={close}>Cancel</button>}
        </div>
      </form>
    </main>
  );
}
