import { PosError } from '../../../shared/errors';
import { maxTendered } from '../../../shared/contract/payments';
import { formatMoney } from '../../../shared/money';
import { badInput } from '../../core/errors';
import { newId } from '../../core/ids';
import { idempotencyKey } from '../../stripe/stripeGateway';
import { audit, available, money, refuse } from './context';
import type { Ctx, PaymentsKit } from './context';
import { chooseAmount } from './paymentView';
import type { PaymentRow } from './paymentsRepo';

/**
 * Cash at the counter: the amount taken (the balance or a part), what the customer handed over,
 * the change due, and a cash movement into the drawer. The payment, the movement and their audit
 * rows commit together.
 *
 * Shifts: until the shifts issue lands there is no "open shift" screen, so the first cash payment
 * of a till opens a shift implicitly (float 0, note saying so) and every later one books against
 * it. The shifts capability will take over opening and closing; the rows stay valid.
 */
export function takeCash(kit: PaymentsKit, input: { bookingId: string; amount?: number | undefined; tendered: number }, ctx: Ctx) {
  const b = kit.booking(input.bookingId);
  const amount = chooseAmount(kit, ctx, 'payment.cash', b, input.amount);
  const fmt = (n: number) => formatMoney(money(n, b.total.currency), kit.shop().locale);
  if (input.tendered < amount) {
    refuse(kit, ctx, 'payment.cash', b.id, badInput('tendered', `${fmt(input.tendered)} handed over is less than the ${fmt(amount)} to take. Take at least ${fmt(amount)}, or take a smaller part.`));
  }
  const most = maxTendered(amount, b.total.currency);
  if (input.tendered > most) {
    refuse(kit, ctx, 'payment.cash', b.id, badInput('tendered', `${fmt(input.tendered)} handed over for ${fmt(amount)} would mean ${fmt(input.tendered - amount)} change; the drawer gives at most ${fmt(most - amount)}. Count the cash again and enter what was handed over.`));
  }
  const change = input.tendered - amount;
  const at = kit.now().toISOString();
  const id = newId();
  let opened = false;
  kit.db.transaction(() => {
    // Checked again inside the write: a card payment may have started since the read above.
    if (available(kit, b).due < amount) throw new PosError('conflict', 'The balance changed while cash was counted. Look at the balance due again.');
    let shift = kit.repo.openShift(kit.installId);
    if (!shift) {
      const shiftId = newId();
      kit.repo.insertShift({ id: shiftId, opened_by: ctx.staffId ?? 'system', at, currency: b.total.currency, notes: 'Opened implicitly by the first cash payment (no shift screen yet).', install_id: kit.installId });
      audit(kit, ctx, 'shift.open_implicit', 'shift', shiftId, null, { reason: 'first cash payment', openingFloat: 0 });
      shift = { id: shiftId };
      opened = true;
    }
    kit.repo.insert({
      id,
      booking_id: b.id,
      shift_id: shift.id,
      kind: 'charge',
      method: 'cash',
      status: 'succeeded',
      amount,
      amount_captured: amount,
      currency: b.total.currency,
      idempotency_key: idempotencyKey(id, 'cash'),
      stripe_payment_intent_id: null,
      card_brand: null,
      card_last4: null,
      reader_id: null,
      tendered: input.tendered,
      change_given: change,
      created_by: ctx.staffId,
      install_id: kit.installId,
      version: 1,
      created_at: at,
      updated_at: at,
    });
    kit.repo.insertCash({ id: newId(), shift_id: shift.id, amount, currency: b.total.currency, payment_id: id, reason: `Booking ${b.ref}`, created_by: ctx.staffId, install_id: kit.installId, at });
    audit(kit, ctx, 'payment.cash', 'payment', id, null, { bookingId: b.id, amount, tendered: input.tendered, change, currency: b.total.currency, shiftId: shift.id });
  })();
  const row = kit.repo.get(id) as PaymentRow;
  kit.emit({ bookingId: b.id, paymentId: id, status: 'succeeded' });
  return { row, change: money(change, b.total.currency), balanceDue: money(available(kit, kit.booking(b.id)).due, b.total.currency), shiftOpenedImplicitly: opened };
}
