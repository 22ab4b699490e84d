import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { maxTendered } from '../../../../shared/contract/payments';
import type { BookingPayments, Payment, Reader } from '../../../../shared/contract/payments';
import type { Money } from '../../../../shared/money';
import { Field } from '../../components/Field';
import { CHARGE_KEYS } from '../../keymap';
import { errorSentence } from '../../format/errors';
import { majorText, parseAmount, showMoney } from '../../format/money';
import { useShop } from '../../lib/useShop';
import { readerStateOf } from '../../readers/serverDrivenDriver';
import { useApp } from '../../stores/appStore';
import { usePayments } from '../../stores/paymentStore';
import { DemoReaderPanel, SdkDemoCardPanel } from './DemoReaderPanel';
import { ReaderDriverChoice } from './ReaderDriverChoice';
import { READER_STATE_LABEL, awaitsRetry, cardText, failureSentence, isOpen, readerProblem } from './paymentLabels';

type Method = 'card' | 'cash';

const LABELS = { amount: 'Amount to take', tendered: 'Cash handed over' };

/**
 * Take money on a booking: the balance (or a part of it, for split payments) by card on the
 * reader or in cash. Keyboard-first: Enter charges, Esc cancels the payment on the reader, F8
 * brings the clerk here from anywhere on the booking. Every figure is main's; a typed amount
 * is only a request that main checks against the balance.
 */
export function ChargePanel({ bookingId, onPaid }: { bookingId: string; onPaid?: () => void }) {
  const entry = usePayments((s) => s.byBooking[bookingId]);
  const load = usePayments((s) => s.load);
  // F8 pressed while the payments are still loading still lands here once they arrive.
  const mountTick = useRef(usePayments.getState().chargeFocus);
  useEffect(() => {
    void load(bookingId);
  }, [bookingId, load]);
  const data = entry?.data;
  if (!data) {
    return (
      <section aria-labelledby="charge-title" className="card charge">
        <h2 id="charge-title">Take payment</h2>
        {entry?.error ? <p role="alert" className="panel-error">{entry.error}</p> : <p className="muted">Loading the payments…</p>}
      </section>
    );
  }
  return <Charge data={data} onPaid={onPaid} focusFrom={mountTick.current} />;
}

function Charge({ data, onPaid, focusFrom }: { data: BookingPayments; onPaid?: (() => void) | undefined; focusFrom: number }) {
  const { locale } = useShop();
  const store = usePayments.getState();
  const notifyApp = useApp((s) => s.notify);
  const notify = (kind: 'error' | 'success', text: string) => notifyApp(kind, text, 'charge');
  const focusTick = usePayments((s) => s.chargeFocus);
  const money = (m: Money) => showMoney(m, locale);
  const currency = data.balanceDue.currency;
  const balanceText = majorText(data.balanceDue.amount, currency);

  const [method, setMethod] = useState<Method>('card');
  const [amount, setAmount] = useState(balanceText);
  const [tendered, setTendered] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [change, setChange] = useState<{ change: Money; tendered: Money | null } | null>(null);
  const panel = useRef<HTMLElement>(null);
  const amountInput = useRef<HTMLInputElement>(null);

  // A new balance (a payment landed, the booking was re-priced) resets the amount to it.
  useEffect(() => setAmount(balanceText), [balanceText]);

  // F8: bring the panel into view and put the cursor in the amount.
  const seenTick = useRef(focusFrom);
  useEffect(() => {
    if (focusTick === seenTick.current) return;
    seenTick.current = focusTick;
    panel.current?.scrollIntoView({ block: 'center' });
    (amountInput.current ?? panel.current?.querySelector<HTMLElement>('button.primary'))?.focus();
  }, [focusTick]);

  const active = data.active && isOpen(data.active) ? data.active : null;
  const last = data.payments.at(-1) ?? null;
  // A declined card waits for "Try another card" on the same payment until the clerk chooses otherwise.
  const [setAside, setSetAside] = useState<string | null>(null);
  const declineKey = last ? `${last.id}:${last.attempts.length}` : null;
  const declined = !active && last && awaitsRetry(last) && last.thisTill && data.balanceDue.amount > 0 && setAside !== declineKey ? last : null;

  // Tell the clerk once when a card payment they were following is paid.
  const followed = useRef<string | null>(null);
  useEffect(() => {
    if (active) {
      followed.current = active.id;
      return;
    }
    const id = followed.current;
    if (!id) return;
    followed.current = null;
    const p = data.payments.find((x) => x.id === id);
    if (p?.status === 'succeeded' || p?.status === 'authorized') {
      const card = cardText(p.cardBrand, p.cardLast4);
      notify('success', `Paid ${money(p.amount)}${card ? ` by ${card}` : ''}. ${data.balanceDue.amount > 0 ? `${money(data.balanceDue)} is still due.` : 'Nothing is left to pay.'}`);
      onPaid?.();
    }
  });

  // A cancelled or no-show booking stays open for the fee it owes (main refuses anything more).
  const closed = data.bookingStatus === 'closed' || (['cancelled', 'no_show'].includes(data.bookingStatus) && data.balanceDue.amount <= 0);
  const demo = useApp((s) => s.info?.mode === 'demo');
  const sdkProblem = usePayments((s) => s.sdkProblem);
  // terminal-js: the page's SDK reader is the one that matters, not the server-side reader's state.
  const problem = method !== 'card' ? null : data.driver === 'terminal-js' ? sdkProblem : readerProblem(data.reader);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const local: Record<string, string> = {};
    const a = parseAmount(amount, currency);
    if (!a.ok) local.amount = a.problem;
    else if (a.minor === 0) local.amount = 'Enter an amount above zero';
    let given: number | null = null;
    if (method === 'cash') {
      const t = parseAmount(tendered, currency);
      if (!t.ok) local.tendered = t.problem === 'Enter an amount' ? 'Enter the cash the customer handed over' : t.problem;
      else given = t.minor;
      if (a.ok && given !== null && given < a.minor) local.tendered = `That is less than ${money({ amount: a.minor, currency })}. Count the cash again, or take less now`;
      // Main refuses it too; said here before the call so a slip of the keyboard is caught at once.
      if (a.ok && given !== null && given > maxTendered(a.minor, currency)) local.tendered = `That would mean ${money({ amount: given - a.minor, currency })} change; the drawer gives at most ${money({ amount: maxTendered(a.minor, currency) - a.minor, currency })}. Count the cash again`;
    }
    setProblems(local);
    if (!a.ok || Object.keys(local).length > 0) {
      notify('error', Object.entries(local).map(([k, v]) => `${LABELS[k as keyof typeof LABELS]}: ${v}.`).join(' '));
      return;
    }
    // The whole balance goes as "no amount": main takes what is due now, even if it moved.
    const part = a.minor === data.balanceDue.amount ? undefined : a.minor;
    setBusy(true);
    setChange(null);
    useApp.getState().dismissErrors('charge');
    if (method === 'card') {
      const res = await store.startCard(data.bookingId, part);
      setBusy(false);
      if (!res.ok) {
        setProblems(res.error.fields ?? {});
        notify('error', errorSentence(res.error, LABELS));
      }
      return;
    }
    const res = await store.cash(part === undefined ? { bookingId: data.bookingId, tendered: given ?? 0 } : { bookingId: data.bookingId, amount: part, tendered: given ?? 0 });
    setBusy(false);
    if (!res.ok) {
      setProblems(res.error.fields ?? {});
      notify('error', errorSentence(res.error, LABELS));
      return;
    }
    setTendered('');
    setChange({ change: res.value.change, tendered: res.value.payment.tendered });
    const rest = res.value.balanceDue.amount > 0 ? `${money(res.value.balanceDue)} is still due.` : 'Nothing is left to pay.';
    notify('success', `Took ${money(res.value.payment.amount)} in cash. ${rest}${res.value.shiftOpenedImplicitly ? ' A shift was opened for this till.' : ''}`);
    if (res.value.balanceDue.amount === 0) onPaid?.();
  }

  return (
    <section aria-labelledby="charge-title" className="card charge" ref={panel}>
      <div className="section-head">
        <h2 id="charge-title">Take payment</h2>
        <kbd title="Press F8 anywhere on the booking to come here">{CHARGE_KEYS}</kbd>
      </div>
      <p className={`left-to-pay ${data.balanceDue.amount > 0 ? 'due' : 'settled'}`}>
        <span id="left-label">Left to pay</span>
        <output aria-labelledby="left-label" className="amount">{money(data.balanceDue)}</output>
        <span className="muted">of {money(data.total)} · paid {money(data.paid)}</span>
      </p>

      {change && (
        <div className="change-due" role="status" aria-labelledby="change-label">
          <span id="change-label">Change due</span>
          <output className="amount">{money(change.change)}</output>
          {change.tendered && <span className="muted">from {money(change.tendered)} handed over</span>}
          <button type="button" onClick={() => setChange(null)}>Done</button>
        </div>
      )}

      {active ? (
        <CardProgress data={data} p={active} />
      ) : declined ? (
        <DeclinePanel data={data} p={declined} onOther={() => setSetAside(declineKey)} />
      ) : closed ? (
        <p className="muted">This booking is {data.bookingStatus.replace('_', '-')}: no payment can be taken.</p>
      ) : data.balanceDue.amount <= 0 ? (
        !change && <p className="muted">Nothing is left to pay.</p>
      ) : (
        <form aria-label="Charge" className="charge-form" onSubmit={(e) => void submit(e)} noValidate>
          <fieldset className="method">
            <legend>How is the customer paying?</legend>
            <label className="check">
              <input type="radio" name="charge-method" checked={method === 'card'} onChange={() => setMethod('card')} />
              Card on the reader
            </label>
            <label className="check">
              <input type="radio" name="charge-method" checked={method === 'cash'} onChange={() => setMethod('cash')} />
              Cash
            </label>
          </fieldset>
          <div className="grid-2">
            <Field id="charge-amount" label="Amount to take" error={problems.amount} hint="The whole balance, or part of it to split between card and cash.">
              {(c) => <input {...c} ref={amountInput} inputMode="decimal" autoComplete="off" value={amount} onChange={(e) => setAmount(e.target.value)} />}
            </Field>
            {method === 'cash' && (
              <Field id="charge-tendered" label="Cash handed over" error={problems.tendered}>
                {(c) => <input {...c} inputMode="decimal" autoComplete="off" autoFocus value={tendered} onChange={(e) => setTendered(e.target.value)} />}
              </Field>
            )}
          </div>
          {method === 'card' && <ReaderLine data={data} />}
          {problem && <p className="warn" role="note">{problem}</p>}
          <div className="actions">
            <button type="submit" className="primary big-action" disabled={busy || problem !== null}>
              {busy ? 'Working…' : method === 'card' ? `Charge ${amountLabel(amount, currency, money)} on the reader` : `Take ${amountLabel(amount, currency, money)} cash`}
            </button>
            <span className="muted key-hint"><kbd>Enter</kbd> to {method === 'card' ? 'charge' : 'take the cash'}</span>
          </div>
        </form>
      )}
      {data.driver === 'simulated' && data.reader && (active || (!closed && data.balanceDue.amount > 0)) && <DemoReaderPanel reader={data.reader} active={active} />}
      {data.driver === 'terminal-js' && demo && (active || (!closed && data.balanceDue.amount > 0)) && <SdkDemoCardPanel />}
    </section>
  );
}

function amountLabel(text: string, currency: Money['currency'], money: (m: Money) => string): string {
  const a = parseAmount(text, currency);
  return a.ok ? money({ amount: a.minor, currency }) : '';
}

/** The reader this till charges on, its state, and (with several paired) a choice kept in main's settings. */
function ReaderLine({ data }: { data: BookingPayments }) {
  const sdk = data.driver === 'terminal-js';
  const sdkReader = usePayments((s) => s.sdkReader);
  const demo = useApp((s) => s.info?.mode === 'demo');
  const state = sdk ? (sdkReader ?? 'connecting') : readerStateOf(data.reader);
  const [readers, setReaders] = useState<Reader[]>([]);
  const notify = useApp((s) => s.notify);
  useEffect(() => {
    let live = true;
    void usePayments.getState().readers().then((r) => live && r.ok && setReaders(r.value.readers));
    return () => {
      live = false;
    };
  }, [data.reader?.id]);

  async function choose(readerId: string) {
    const r = await usePayments.getState().selectReader(data.bookingId, readerId);
    if (!r.ok) notify('error', r.error.message, 'charge');
  }

  return (
    <p className="reader-line">
      <span className="muted" id="reader-label">Reader</span>{' '}
      {sdk && demo ? (
        <strong>Simulated reader (Terminal JS)</strong>
      ) : readers.length > 1 ? (
        <select aria-labelledby="reader-label" value={data.reader?.id ?? ''} onChange={(e) => void choose(e.target.value)}>
          {readers.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label} ({READER_STATE_LABEL[readerStateOf(r)]})
            </option>
          ))}
        </select>
      ) : (
        <strong>{data.reader?.label ?? 'None paired'}</strong>
      )}{' '}
      <span className={`reader-state ${state}`} {...(sdk ? { role: 'status', 'aria-label': 'Terminal JS reader' } : {})}>
        {READER_STATE_LABEL[state]}
      </span>{' '}
      <ReaderDriverChoice driver={data.driver} />
    </p>
  );
}

/** A card payment on the reader: waiting for the card or processing. Esc (or the button) cancels it on the reader. */
function CardProgress({ data, p }: { data: BookingPayments; p: Payment }) {
  const { locale } = useShop();
  const store = usePayments.getState();
  const notifyApp = useApp((s) => s.notify);
  const [busy, setBusy] = useState(false);
  const mine = p.thisTill;

  async function cancel() {
    if (busy || !mine) return;
    setBusy(true);
    const res = await store.cancel(data.bookingId, p.id);
    setBusy(false);
    if (res.ok) notifyApp('success', 'Payment cancelled. Nothing was charged.', 'charge');
    else notifyApp('error', res.error.message, 'charge');
  }

  // Esc cancels the reader's action; taken before the app's Esc (Back) so the booking stays open.
  useEscape(() => void cancel());

  const amount = showMoney(p.amount, locale);
  return (
    <div className="card-progress" aria-busy="true">
      <p role="status" className="progress-line">
        <span className="spinner" aria-hidden="true" />
        {p.status === 'processing' ? `Processing ${amount}… keep the card on the reader.` : p.status === 'pending' ? `Sending ${amount} to the reader…` : `Waiting for the card: ${amount}. Ask the customer to tap, insert or swipe.`}
      </p>
      {!mine && <p className="warn" role="note">This payment was started at another till; only that till can cancel it.</p>}
      <div className="actions">
        <button type="button" className="danger-outline" disabled={busy || !mine} onClick={() => void cancel()}>
          {busy ? 'Cancelling…' : 'Cancel payment'} <kbd>Esc</kbd>
        </button>
      </div>
    </div>
  );
}

/** The card was refused: one sentence with the next step, then another card on the same payment (Enter) or something else (Esc). */
function DeclinePanel({ data, p, onOther }: { data: BookingPayments; p: Payment; onOther: () => void }) {
  const { locale } = useShop();
  const store = usePayments.getState();
  const notifyApp = useApp((s) => s.notify);
  const [busy, setBusy] = useState(false);
  const retryButton = useRef<HTMLButtonElement>(null);
  const card = cardText(p.cardBrand, p.cardLast4);

  useEffect(() => retryButton.current?.focus(), [p.id, p.attempts.length]);
  useEscape(onOther);

  async function retry() {
    if (busy) return;
    setBusy(true);
    const res = await store.retry(data.bookingId, p.id);
    setBusy(false);
    if (!res.ok) notifyApp('error', res.error.message, 'charge');
  }

  return (
    <div className="card-progress">
      <div role="alert" className="decline">
        <strong>{failureSentence(p) ?? 'The card was declined. Ask for another card, or take cash.'}</strong>
        <span className="sub">{showMoney(p.amount, locale)}{card ? ` on ${card}` : ''} was not charged.</span>
      </div>
      <div className="actions">
        <button type="button" className="primary big-action" ref={retryButton} disabled={busy} onClick={() => void retry()}>
          {busy ? 'Working…' : `Try another card for ${showMoney(p.amount, locale)}`}
        </button>
        <button type="button" onClick={onOther}>
          Take cash or change the amount <kbd>Esc</kbd>
        </button>
      </div>
    </div>
  );
}

/** Esc for the panel, ahead of the app's Esc (Back); a dialog keeps its own Esc. */
function useEscape(run: () => void): void {
  const latest = useRef(run);
  latest.current = run;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || document.querySelector('[role="dialog"]')) return;
      e.preventDefault();
      e.stopPropagation();
      latest.current();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}
