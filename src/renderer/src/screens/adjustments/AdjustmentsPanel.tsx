import './adjustments.css';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { Output } from '../../../../shared/contract';
import type { BookingDetail } from '../../../../shared/contract/bookings';
import type { StaffMember } from '../../../../shared/contract/staff';
import type { CurrencyCode } from '../../../../shared/money';
import { Field } from '../../components/Field';
import { ShopDate } from '../../components/ShopDateTime';
import { datePattern } from '../../format/typedDate';
import { parseAmount, showMoney } from '../../format/money';
import { call } from '../../rpc/client';
import { useShop } from '../../lib/useShop';
import { useApp } from '../../stores/appStore';
import { errorFor, useChange } from '../settings/adminKit';

type Adjusted = Output<'bookings.adjustments'>;

/**
 * A booking's discounts and additional drivers. A clerk adds a driver while the booking is
 * reserved or the car is out (the young-driver fee is priced for each), and a discount
 * (percentage or amount, with a reason; above the shop's limit a manager enters their PIN) until
 * the booking is closed, goodwill at the return included. Main re-prices the booking and says
 * what is still due, or owed back when more was paid; this panel never sends a total.
 */
export function AdjustmentsPanel({ booking, onChanged }: { booking: BookingDetail; onChanged: () => void }) {
  const { locale } = useShop();
  const act = useChange();
  const [data, setData] = useState<Adjusted | null>(null);
  const [kind, setKind] = useState<'percent' | 'fixed'>('percent');
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [needPin, setNeedPin] = useState(false);
  const [managers, setManagers] = useState<StaffMember[]>([]);
  const [managerId, setManagerId] = useState('');
  const [managerPin, setManagerPin] = useState('');
  const [driver, setDriver] = useState({ name: '', licenceNumber: '', licenceExpiry: '', dateOfBirth: '' });
  const canDiscount = data?.canDiscount ?? false;
  const canDrivers = data?.canChangeDrivers ?? false;
  const currency = booking.total.currency as CurrencyCode;
  // The engine takes a fixed discount off the price before tax when tax is added on top.
  const beforeTax = booking.quote.taxMode === 'exclusive' && booking.quote.taxRateBp > 0;

  useEffect(() => {
    void call('bookings.adjustments', { bookingId: booking.id }).then((res) => {
      if (res.ok) setData(res.value);
    });
  }, [booking.id, booking.version]);

  // Main asked for a manager's PIN (the discount is above the limit): keep asking until it is given.
  const showPin = needPin || act.fields.managerPin !== undefined;

  if (!data || (!canDiscount && !canDrivers && data.discounts.length === 0 && data.drivers.length === 0)) return null;

  function changed(next: Adjusted | null) {
    if (!next) return false;
    setData(next);
    onChanged();
    return true;
  }

  /** What the re-priced booking means at the till, in one sentence. */
  function moneyNow(next: Adjusted): string {
    const b = next.balanceDue;
    if (b.amount < 0) return `The booking now costs ${money(next.total)} and ${money(next.paid)} was paid: ${money({ ...b, amount: -b.amount })} is owed back to the customer. Refund it with Refund… on this booking.`;
    if (b.amount > 0 && next.paid.amount > 0) return `The booking now costs ${money(next.total)}; ${money(b)} is still to pay.`;
    return `The booking now costs ${money(next.total)}.`;
  }

  async function addDiscount(e: FormEvent) {
    e.preventDefault();
    let amountPart: { percentBp: number } | { amount: number };
    if (kind === 'percent') {
      if (!/^\d{1,3}([.,]\d{1,2})?$/.test(value.trim())) {
        act.setFields({ value: 'Enter a percentage like 10 or 12.5' });
        return;
      }
      amountPart = { percentBp: Math.round(Number(value.trim().replace(',', '.')) * 100) };
    } else {
      const p = parseAmount(value, currency);
      if (!p.ok) {
        act.setFields({ value: p.problem });
        return;
      }
      amountPart = { amount: p.minor };
    }
    const pin = showPin && managerId ? { managerId, managerPin } : {};
    const res = await act.run('bookings.discounts.add', { bookingId: booking.id, kind, reason, ...amountPart, ...pin });
    if (res) useApp.getState().notify('success', `Discount added. ${moneyNow(res)}`);
    if (changed(res)) {
      setValue('');
      setReason('');
      setNeedPin(false);
      setManagerPin('');
    } else if (!showPin && act.lastError()?.fields?.managerPin !== undefined) {
      // Above the limit: ask for a manager, as refunds do.
      const r = await call('staff.list', {});
      setNeedPin(true);
      if (r.ok) {
        const list = r.value.staff.filter((s) => s.role !== 'clerk');
        setManagers(list);
        setManagerId((m) => m || list[0]?.id || '');
      }
    }
  }

  async function addDriver(e: FormEvent) {
    e.preventDefault();
    // The date fields give "" until a whole date is typed: say how to type it, on the field.
    const local: Record<string, string> = {};
    if (driver.licenceExpiry === '') local.licenceExpiry = `Type the licence’s expiry date as ${datePattern(locale)}`;
    if (driver.dateOfBirth === '') local.dateOfBirth = `Type the driver’s date of birth as ${datePattern(locale)}`;
    if (Object.keys(local).length > 0) {
      act.setFields(local);
      return;
    }
    const res = await act.run('bookings.drivers.add', { bookingId: booking.id, ...driver }, `${driver.name.trim()} added as a driver; the booking is re-priced.`);
    if (changed(res)) setDriver({ name: '', licenceNumber: '', licenceExpiry: '', dateOfBirth: '' });
  }

  const money = (m: { amount: number; currency: CurrencyCode }) => showMoney(m, locale);
  const pct = (bp: number) => `${(bp / 100).toLocaleString(locale)} %`;

  return (
    <section aria-labelledby="bk-adjust" className="card adjustments">
      <h2 id="bk-adjust">Discounts and drivers</h2>
      {act.error && <p role="alert" className="panel-error">{act.error}</p>}
      {data.balanceDue.amount < 0 && (
        <p className="panel-warn" role="status">
          {money({ ...data.balanceDue, amount: -data.balanceDue.amount })} is owed back to the customer: the booking now costs {money(data.total)} and {money(data.paid)} was paid. Refund it with Refund… on this booking before closing it.
        </p>
      )}
      <ul className="plain-list" aria-label="Discounts">
        {data.discounts.map((d) => (
          <li key={d.id}>
            {d.kind === 'percent' ? pct(d.percentBp ?? 0) : money(d.amount ?? { amount: 0, currency })} off — {d.reason}
            {canDiscount && <button type="button" onClick={() => void act.run('bookings.discounts.remove', { bookingId: booking.id, discountId: d.id }).then((r) => { if (r) useApp.getState().notify('success', `Discount removed. ${moneyNow(r)}`); changed(r); })}>Remove discount {d.reason}</button>}
          </li>
        ))}
        {data.discounts.length === 0 && <li className="muted">No discount.</li>}
      </ul>
      <ul className="plain-list" aria-label="Additional drivers">
        {data.drivers.map((d) => (
          <li key={d.id}>
            {d.name}, {d.ageAtPickup} at pickup, licence {d.licenceNumber}
            {canDrivers && <button type="button" onClick={() => void act.run('bookings.drivers.remove', { bookingId: booking.id, driverId: d.id }, `${d.name} removed.`).then(changed)}>Remove driver {d.name}</button>}
          </li>
        ))}
        {data.drivers.length === 0 && <li className="muted">No additional driver.</li>}
      </ul>
      {(canDiscount || canDrivers) && (
        <div className="adjust-forms">
          {canDiscount && (
          <form aria-label="Add a discount" onSubmit={(e) => void addDiscount(e)} noValidate>
            <fieldset className="plain">
              <legend>Add a discount</legend>
              <div role="radiogroup" aria-label="Discount type" className="radio-inline">
                <label><input type="radio" name="disc-kind" checked={kind === 'percent'} onChange={() => setKind('percent')} /> Percentage</label>
                <label><input type="radio" name="disc-kind" checked={kind === 'fixed'} onChange={() => setKind('fixed')} /> Fixed amount</label>
              </div>
              <Field id="disc-value" label={kind === 'percent' ? 'Percentage off' : `Amount off (${currency})`} hint={kind === 'fixed' && beforeTax ? 'Taken off the price before tax: the total drops by this plus its tax' : undefined} error={errorFor(act.fields, 'value') ?? errorFor(act.fields, kind === 'percent' ? 'percentBp' : 'amount')}>
                {(c) => <input {...c} inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)} />}
              </Field>
              <Field id="disc-reason" label="Reason" error={errorFor(act.fields, 'reason')}>
                {(c) => <input {...c} value={reason} onChange={(e) => setReason(e.target.value)} />}
              </Field>
              {showPin && (
                <>
                  <Field id="disc-manager" label="Approving manager">
                    {(c) => (
                      <select {...c} value={managerId} onChange={(e) => setManagerId(e.target.value)}>
                        {managers.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
                      </select>
                    )}
                  </Field>
                  <Field id="disc-pin" label="Manager PIN" error={errorFor(act.fields, 'managerPin')}>
                    {(c) => <input {...c} type="password" inputMode="numeric" autoComplete="off" maxLength={8} value={managerPin} onChange={(e) => setManagerPin(e.target.value.replace(/\D/g, ''))} />}
                  </Field>
                </>
              )}
              <button type="submit" disabled={act.busy}>Add discount</button>
            </fieldset>
          </form>
          )}
          {canDrivers && (
          <form aria-label="Add a driver" onSubmit={(e) => void addDriver(e)} noValidate>
            <fieldset className="plain">
              <legend>Add a driver</legend>
              <Field id="drv-name" label="Driver’s name" error={errorFor(act.fields, 'name')}>{(c) => <input {...c} value={driver.name} onChange={(e) => setDriver({ ...driver, name: e.target.value })} />}</Field>
              <Field id="drv-licence" label="Driving licence number" error={errorFor(act.fields, 'licenceNumber')}>{(c) => <input {...c} value={driver.licenceNumber} onChange={(e) => setDriver({ ...driver, licenceNumber: e.target.value })} />}</Field>
              <Field id="drv-expiry" label="Licence valid until" error={errorFor(act.fields, 'licenceExpiry')}>{(c) => <ShopDate control={c} locale={locale} value={driver.licenceExpiry} onChange={(v) => setDriver((x) => ({ ...x, licenceExpiry: v }))} />}</Field>
              <Field id="drv-dob" label="Driver’s date of birth" error={errorFor(act.fields, 'dateOfBirth')}>{(c) => <ShopDate control={c} locale={locale} value={driver.dateOfBirth} onChange={(v) => setDriver((x) => ({ ...x, dateOfBirth: v }))} />}</Field>
              <button type="submit" disabled={act.busy}>Add driver</button>
            </fieldset>
          </form>
          )}
        </div>
      )}
    </section>
  );
}
