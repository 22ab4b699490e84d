import { useState } from 'react';
import type { DepositView, Hold, PayLink } from '../../../../shared/contract/deposits';
import type { Result } from '../../../../shared/errors';
import { showMoney } from '../../format/money';
import { showDateTime } from '../../format/time';
import { useShop } from '../../lib/useShop';
import { call } from '../../rpc/client';
import { useApp } from '../../stores/appStore';
import { HOLD_LABEL } from './holdLabels';
import { OverrideDialog } from './OverrideDialog';
import { PayLinkDialog } from './PayLinkDialog';
import { useDeposit } from './useDeposit';

/**
 * The deposit on a booking: what the policy asks and why, the hold on the reader at pickup, its
 * expiry (Stripe's), settlement at return (capture the extras, release the rest), and pay links.
 * Every amount comes from main; the buttons only name the booking and the choice.
 */
export function DepositPanel({ bookingId, bookingVersion }: { bookingId: string; bookingVersion: number }) {
  const shop = useShop();
  const notify = useApp((s) => s.notify);
  const demo = useApp((s) => s.info?.mode === 'demo');
  const manager = useApp((s) => s.session?.role === 'manager');
  // An extension or a check-in changes the booking's version: the required deposit and settlement follow.
  const { data, error, set } = useDeposit(bookingId, bookingVersion);
  const [busy, setBusy] = useState<string | null>(null);
  const [override, setOverride] = useState(false);
  const [link, setLink] = useState<PayLink | null>(null);
  const money = (m: { amount: number; currency: string }) => showMoney(m as never, shop.locale);
  const when = (at: string) => showDateTime(at, shop.timeZone, shop.locale);

  async function run<T>(what: string, fn: () => Promise<Result<T>>, done?: (v: T) => void) {
    setBusy(what);
    const r = await fn();
    setBusy(null);
    if (!r.ok) return notify('error', r.error.message, 'deposit');
    if (done) done(r.value);
  }
  const asView = (v: DepositView) => set(v);

  if (error) return <section className="card" aria-labelledby="dep-title"><h3 id="dep-title">Deposit</h3><p role="alert" className="panel-error">{error}</p></section>;
  if (!data) return null;
  const a = data.active;
  const atPickup = data.bookingStatus === 'reserved' || data.bookingStatus === 'checked_out';
  const back = data.settlement !== null;
  const short = a?.state === 'held' && data.held.amount < data.required.amount;
  const openLink = data.links.find((l) => l.status === 'open');

  async function simulate(outcome: 'approve' | 'card_declined') {
    const readers = await call('readers.list', {});
    const reader = readers.ok ? readers.value.readers.find((r) => r.selected) : undefined;
    if (!reader) return notify('error', 'No demo reader is paired.', 'deposit');
    await run('tap', () => call('readers.simulate', { readerId: reader.id, outcome }));
  }

  return (
    <section className="card deposit-panel" aria-labelledby="dep-title">
      <h3 id="dep-title">Deposit</h3>
      <p>
        <strong>{money(data.required)}</strong> required. <span className="muted">{data.reason}</span>{' '}
        {atPickup && <button type="button" onClick={() => setOverride(true)}>Change…</button>}
      </p>

      {a?.state === 'pending' && (
        <div className="deposit-waiting" role="status">
          <p>Waiting for the card on the reader: hold {money(a.authorized)}.</p>
          {demo && (
            <div className="outcomes" role="group" aria-label="Demo card reader (deposit)">
              <button type="button" className="approve" disabled={busy !== null} onClick={() => void simulate('approve')}>Approve card</button>
              <button type="button" disabled={busy !== null} onClick={() => void simulate('card_declined')}>Decline card</button>
            </div>
          )}
          <button type="button" disabled={busy !== null} onClick={() => void run('cancel', () => call('deposits.cancelHold', { paymentId: a.paymentId }), asView)}>Cancel</button>
        </div>
      )}
      {a?.state === 'failed' && <p role="alert" className="panel-error">{a.errorMessage ?? 'The card was declined.'} Try again or ask for another card.</p>}
      {a && ['held', 'capturing', 'releasing'].includes(a.state) && <HeldLine hold={a} money={money} when={when} returnAt={data.returnAt} />}

      <div className="actions">
        {atPickup && (!a || a.state === 'failed') && data.required.amount > 0 && (
          <button type="button" className="primary" disabled={busy !== null} onClick={() => void run('hold', () => call('deposits.startHold', { bookingId }), asView)}>
            {busy === 'hold' ? 'Sending to the reader…' : a?.state === 'failed' ? 'Try the card again' : `Hold ${money(data.required)} on the reader`}
          </button>
        )}
        {atPickup && short && (
          <button type="button" disabled={busy !== null} onClick={() => void run('topup', () => call('deposits.topUp', { bookingId }), asView)}>
            Top up to {money(data.required)}
          </button>
        )}
        {atPickup && manager && a && (a.expiresBeforeReturn || a.state === 'expired') && (
          <button type="button" disabled={busy !== null} onClick={() => void run('reauth', () => call('deposits.reauthorize', { paymentId: a.paymentId }), asView)}>Re-authorize (new hold)</button>
        )}
        {data.bookingStatus === 'reserved' && a?.state === 'held' && (
          <button type="button" disabled={busy !== null} onClick={() => void run('release', () => call('deposits.cancelHold', { paymentId: a.paymentId }), asView)}>Release hold</button>
        )}
        <button type="button" disabled={busy !== null} onClick={() => void run('refresh', () => call('deposits.refresh', { bookingId }), asView)}>Check with Stripe</button>
      </div>

      {back && data.settlement && data.held.amount > 0 && (
        <div className="deposit-settle" aria-label="Settle the deposit">
          <p>
            Owed at return: <strong>{money(data.settlement.due)}</strong>.{' '}
            {data.settlement.capture.amount > 0 ? `Capture ${money(data.settlement.capture)} from the hold` : 'Nothing to capture'}
            {data.settlement.release.amount > 0 ? `, release ${money(data.settlement.release)}` : ''}
            {data.settlement.remaining.amount > 0 ? `; ${money(data.settlement.remaining)} is still due after that (charge it on the reader or send a pay link).` : '.'}
          </p>
          <button type="button" className="primary" disabled={busy !== null} onClick={() => void run('settle', () => call('deposits.settle', { bookingId }), (v) => {
            set(v);
            notify('success', `Deposit settled for ${v.bookingRef}.`, 'deposit');
          })}>
            {busy === 'settle' ? 'Settling…' : data.settlement.capture.amount > 0 ? 'Settle deposit' : 'Release deposit'}
          </button>
        </div>
      )}

      {(data.balanceDue.amount > 0 || data.links.length > 0) && (
        <div className="paylinks">
          {data.balanceDue.amount > 0 && !openLink && (
            <button type="button" disabled={busy !== null} onClick={() => void run('link', () => call('paylinks.create', { bookingId }), (l) => setLink(l))}>
              Send pay link for {money(data.balanceDue)}
            </button>
          )}
          {data.links.length > 0 && (
            <ul className="paylink-list" aria-label="Pay links">
              {data.links.map((l) => (
                <li key={l.id}>
                  Pay link {money(l.amount)} · <span className={`status paylink-${l.status}`}>{l.status === 'open' ? `open until ${when(l.expiresAt)}` : l.status}</span>{' '}
                  {l.status === 'open' && <button type="button" onClick={() => setLink(l)}>Show link</button>}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}

      {data.holds.length > 0 && (
        <ul className="hold-list" aria-label="Deposit history">
          {data.holds.map((h) => (
            <li key={h.paymentId}>
              <span className={`status hold-${h.state}`}>{HOLD_LABEL[h.state]}</span>{' '}
              {h.state === 'captured' && h.captured
                ? `${money(h.captured)} of a ${money(h.authorized)} hold${h.released && h.released.amount > 0 ? ` · released ${money(h.released)}` : ''}`
                : `${money(h.authorized)} hold`}
              {h.cardBrand ? ` · ${h.cardBrand.toUpperCase()} •${h.cardLast4}` : ''}
              {h.state === 'held' && h.captureBefore ? ` · until ${when(h.captureBefore)}` : ''}
              {h.flag && <strong className="deposit-flag" role="alert"> {h.flag}</strong>}
            </li>
          ))}
        </ul>
      )}
      <OverrideDialog view={data} open={override} onOpenChange={setOverride} onDone={set} />
      {/* The relay may mark the link paid while the dialog is open: show main's latest. */}
      <PayLinkDialog link={link ? (data.links.find((l) => l.id === link.id && l.status !== link.status) ?? link) : null} open={link !== null} onOpenChange={(o) => !o && setLink(null)} onChanged={setLink} />
    </section>
  );
}

function HeldLine({ hold, money, when, returnAt }: { hold: Hold; money: (m: { amount: number; currency: string }) => string; when: (at: string) => string; returnAt: string }) {
  return (
    <p className={hold.expiresBeforeReturn ? 'deposit-held warn' : 'deposit-held'}>
      Held {money(hold.authorized)}{hold.cardBrand ? ` on ${hold.cardBrand.toUpperCase()} •${hold.cardLast4}` : ''}
      {hold.captureBefore ? `, until ${when(hold.captureBefore)}${hold.extended ? ' (extended authorization)' : ''}` : ''}.
      {hold.expiresBeforeReturn && <strong role="alert"> The hold lapses before the vehicle is due back ({when(returnAt)}). A manager should re-authorize it.</strong>}
    </p>
  );
}
