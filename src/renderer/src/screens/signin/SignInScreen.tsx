import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { errorSentence } from '../../format/errors';
import { useApp } from '../../stores/appStore';
import { useSession } from '../../stores/sessionStore';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/** Signed out: pick your name, type or tap your PIN. */
export function SignInScreen() {
  const staff = useSession((s) => s.staff);
  const staffError = useSession((s) => s.staffError);
  const { loadStaff, signIn, setNewPin } = useSession.getState();
  // Set when main says this person's PIN was set by a manager: they choose their own now.
  const [temp, setTemp] = useState<string | null>(null);
  const [newPin, setNewPinText] = useState('');
  const [newPin2, setNewPin2] = useState('');
  const [who, setWho] = useState<string | null>(null);
  const [pin, setPin] = useState('');
  const [problem, setProblem] = useState<{ field: 'staffId' | 'pin' | null; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const pinInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void loadStaff();
  }, [loadStaff]);

  const pick = (id: string) => {
    setWho(id);
    setTemp(null);
    setPin('');
    setProblem(null);
    pinInput.current?.focus();
  };
  const press = (d: string) => {
    setPin((p) => (p.length < 8 ? p + d : p));
    pinInput.current?.focus();
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!who) {
      setProblem({ field: 'staffId', text: 'Pick your name first.' });
      return;
    }
    if (!/^\d{4,8}$/.test(pin)) {
      setProblem({ field: 'pin', text: 'Your PIN is 4 to 8 digits.' });
      return;
    }
    setBusy(true);
    const res = await signIn(who, pin);
    setBusy(false);
    setPin('');
    if (!res.ok && res.error.fields?.newPin) {
      // Main checks this temporary PIN (and counts a wrong one) when the new PIN is saved.
      setTemp(pin);
      setProblem(null);
      return;
    }
    if (!res.ok) {
      const fields = res.error.fields ?? {};
      setProblem({ field: fields.staffId ? 'staffId' : 'pin', text: fields.pin ?? errorSentence(res.error, { staffId: 'Name', pin: 'PIN' }) });
      pinInput.current?.focus();
    }
  }

  const demo = useApp((s) => s.info?.mode === 'demo');

  async function submitNewPin(e: FormEvent) {
    e.preventDefault();
    if (!who || temp === null) return;
    if (!/^\d{4,8}$/.test(newPin)) {
      setProblem({ field: 'pin', text: 'Your new PIN is 4 to 8 digits.' });
      return;
    }
    if (newPin !== newPin2) {
      setProblem({ field: 'pin', text: 'The two new PINs differ; type the same PIN twice.' });
      return;
    }
    setBusy(true);
    const res = await setNewPin(who, temp, newPin);
    setBusy(false);
    if (!res.ok) setProblem({ field: 'pin', text: res.error.fields?.newPin ?? res.error.fields?.pin ?? res.error.message });
  }

  const person = staff.find((s) => s.id === who);
  if (temp !== null && person) {
    return (
      <main className="screen signin" aria-labelledby="screen-title">
        <h1 id="screen-title">Choose your own PIN</h1>
        <p>{person.name}, a manager set your PIN. Choose a new PIN of 4 to 8 digits that only you know.</p>
        <form aria-label="Choose your own PIN" onSubmit={(e) => void submitNewPin(e)} noValidate className="card pin-card">
          <div className="field">
            <label htmlFor="si-new">New PIN</label>
            <input id="si-new" type="password" inputMode="numeric" autoComplete="off" maxLength={8} autoFocus value={newPin}
              aria-invalid={problem ? true : undefined} aria-describedby={problem ? 'si-err' : undefined}
              onChange={(e) => setNewPinText(e.target.value.replace(/\D/g, '').slice(0, 8))} />
          </div>
          <div className="field">
            <label htmlFor="si-new2">New PIN again</label>
            <input id="si-new2" type="password" inputMode="numeric" autoComplete="off" maxLength={8} value={newPin2}
              onChange={(e) => setNewPin2(e.target.value.replace(/\D/g, '').slice(0, 8))} />
          </div>
          {problem && <p id="si-err" role="alert" className="field-error">{problem.text}</p>}
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>{busy ? 'Saving…' : 'Save PIN and sign in'}</button>
            <button type="button" onClick={() => { setTemp(null); setProblem(null); }}>Back</button>
          </div>
        </form>
      </main>
    );
  }

  return (
    <main className="screen signin" aria-labelledby="screen-title">
      <h1 id="screen-title">Sign in</h1>
      {demo && <p className="hint">Demo shop: the demo manager’s PIN is 1234, the demo clerk’s 0000, the demo admin’s 2580.</p>}
      <form aria-label="Sign in" onSubmit={(e) => void submit(e)} noValidate className="signin-grid">
        <fieldset className="card" aria-describedby={problem?.field === 'staffId' ? 'si-err' : undefined}>
          <legend>Who are you?</legend>
          {staffError && <p role="alert" className="panel-error">{staffError}</p>}
          <div className="staff-list" role="radiogroup" aria-label="Staff">
            {staff.map((s) => (
              <label key={s.id} className={`staff${who === s.id ? ' on' : ''}`}>
                <input type="radio" name="si-staff" value={s.id} checked={who === s.id} onChange={() => pick(s.id)} />
                <span className="staff-name">{s.name}</span>
                <span className="muted">{s.role === 'admin' ? 'Admin' : s.role === 'manager' ? 'Manager' : 'Clerk'}</span>
              </label>
            ))}
          </div>
        </fieldset>
        {/* Not a fieldset: its legend and the field's label would both say "PIN" ("PIN PIN"). */}
        <div className="card pin-card">
          <p className="pin-title" aria-hidden="true">{person ? `PIN for ${person.name}` : 'PIN'}</p>
          <label htmlFor="si-pin" className="visually-hidden">PIN</label>
          <input
            ref={pinInput}
            id="si-pin"
            className="pin-input"
            type="password"
            inputMode="numeric"
            autoComplete="off"
            maxLength={8}
            value={pin}
            aria-invalid={problem?.field === 'pin' ? true : undefined}
            aria-describedby={problem ? 'si-err' : undefined}
            onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))}
          />
          <div className="pinpad" role="group" aria-label="PIN pad">
            {DIGITS.map((d) => (
              <button key={d} type="button" aria-label={`Digit ${d}`} onClick={() => press(d)}>{d}</button>
            ))}
            <button type="button" aria-label="Clear PIN" onClick={() => { setPin(''); pinInput.current?.focus(); }}>Clear</button>
            <button type="button" aria-label="Digit 0" onClick={() => press('0')}>0</button>
            <button type="button" aria-label="Delete last digit" onClick={() => { setPin((p) => p.slice(0, -1)); pinInput.current?.focus(); }}>⌫</button>
          </div>
          {problem && <p id="si-err" role="alert" className="field-error">{problem.text}</p>}
          <button type="submit" className="primary wide" disabled={busy}>{busy ? 'Checking…' : 'Sign in'}</button>
        </div>
      </form>
    </main>
  );
}
