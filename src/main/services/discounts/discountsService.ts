import type { BookingDiscount, BookingDriver } from '../../../shared/contract/discounts';
import { PosError } from '../../../shared/errors';
import type { CurrencyCode } from '../../../shared/money';
import type { Db } from '../../db/connection';
import { appendAudit } from '../../core/audit';
import type { CallContext } from '../../core/handlers';
import { badInput } from '../../core/errors';
import { newId } from '../../core/ids';
import { ageOn, localDate } from '../../core/shopTime';
import { createBookingsRepo } from '../bookings/index';
import type { BookingDiscountFact, BookingRow } from '../bookings/index';
import type { DriversApi } from '../drivers/index';
import type { Repricer } from './repricer';

/**
 * Discounts (percentage or fixed, with a reason) and additional drivers on a reserved booking.
 * A discount worth more than DISCOUNT_PIN_SHARE_BP of the booking's price needs a manager's PIN
 * when a clerk gives it; a discount worth more than the price is refused. Each change re-prices
 * the booking with the rate-card version it was quoted on, in one transaction with its audit row.
 */
export const DISCOUNT_PIN_SHARE_BP = 1000;

type DiscountRow = {
  id: string;
  booking_id: string;
  kind: 'percent' | 'fixed';
  percent_bp: number | null;
  amount: number | null;
  currency: string;
  reason: string;
  approved_by: string | null;
};

type Actor = Pick<CallContext, 'staffId' | 'role'>;
export type Adjusted = { discounts: BookingDiscount[]; drivers: BookingDriver[]; total: { amount: number; currency: CurrencyCode } };
export type DiscountInput = {
  bookingId: string;
  kind: 'percent' | 'fixed';
  percentBp?: number | undefined;
  amount?: number | undefined;
  reason: string;
  managerId?: string | undefined;
  managerPin?: string | undefined;
};
export type DriverInput = { bookingId: string; name: string; licenceNumber: string; licenceExpiry: string; dateOfBirth: string };

export function createDiscountsService(deps: {
  db: Db;
  installId: string;
  now: () => Date;
  timeZone: () => string;
  drivers: DriversApi;
  repricer: () => Repricer;
  verifyManagerPin: (staffId: string, pin: string) => Promise<{ id: string; name: string }>;
}) {
  const { db, installId, now, drivers } = deps;
  const bookings = createBookingsRepo(db);
  const live = db.prepare<[string], DiscountRow>('SELECT * FROM booking_discounts WHERE booking_id = ? AND removed_at IS NULL ORDER BY created_at, id');
  const insert = db.prepare(
    `INSERT INTO booking_discounts (id, booking_id, kind, percent_bp, amount, currency, reason, approved_by, created_by, install_id, created_at, updated_at)
     VALUES (@id, @booking_id, @kind, @percent_bp, @amount, @currency, @reason, @approved_by, @created_by, @install_id, @at, @at)`,
  );
  const remove = db.prepare<{ id: string; bookingId: string; at: string }>(
    'UPDATE booking_discounts SET removed_at = @at, version = version + 1, updated_at = @at WHERE id = @id AND booking_id = @bookingId AND removed_at IS NULL',
  );

  /** What bookings price into every quote of this booking. */
  function facts(bookingId: string): BookingDiscountFact[] {
    return live.all(bookingId).map((d) =>
      d.kind === 'percent' ? { kind: 'percent', percentBp: d.percent_bp ?? 0, reason: d.reason } : { kind: 'fixed', amount: d.amount ?? 0, reason: d.reason },
    );
  }

  function reserved(bookingId: string): BookingRow {
    const b = bookings.get(bookingId);
    if (!b) throw badInput('bookingId', 'That booking could not be found; search for it again');
    if (b.status !== 'reserved') {
      throw new PosError('conflict', `${b.ref} is ${b.status.replace('_', ' ')}; discounts and drivers can be changed only while it is reserved.`, { fields: { bookingId: 'Not reserved' } });
    }
    return b;
  }

  function view(bookingId: string): Adjusted {
    const b = bookings.get(bookingId);
    if (!b) throw badInput('bookingId', 'That booking could not be found; search for it again');
    const currency = b.currency as CurrencyCode;
    const pickup = localDate(Date.parse(b.pickup_at), deps.timeZone());
    return {
      discounts: live.all(bookingId).map((d) => ({
        id: d.id,
        kind: d.kind,
        percentBp: d.percent_bp,
        amount: d.amount === null ? null : { amount: d.amount, currency },
        reason: d.reason,
        approvedBy: d.approved_by,
      })),
      drivers: drivers.list(bookingId).map((d) => ({
        id: d.id,
        name: d.name,
        licenceNumber: d.licence_number,
        licenceExpiry: d.licence_expiry,
        dateOfBirth: d.date_of_birth,
        ageAtPickup: ageOn(d.date_of_birth, pickup),
      })),
      total: { amount: b.total, currency },
    };
  }

  /** Re-prices inside the transaction; `change` has already written the new row. */
  function commit(b: BookingRow, action: string, ctx: Actor, after: object): void {
    const r = deps.repricer();
    const q = r.price(b);
    const at = now().toISOString();
    r.save(b, q, at);
    appendAudit(db, installId, { actorId: ctx.staffId, actorRole: ctx.role, action, entityType: 'booking', entityId: b.id, before: { total: b.total }, after: { ...after, total: q.total } });
  }

  async function addDiscount(input: DiscountInput, ctx: Actor): Promise<Adjusted> {
    const b0 = reserved(input.bookingId);
    // Value of the discount against the price before it: what the booking costs now.
    const value = input.kind === 'percent' ? Math.round((b0.total * (input.percentBp ?? 0)) / 10_000) : (input.amount ?? 0);
    if (input.kind === 'fixed' && value > b0.total) {
      throw badInput('amount', `The discount (${(value / 100).toFixed(2)}) is more than the price of ${b0.ref} (${(b0.total / 100).toFixed(2)}); enter at most the price`);
    }
    let approvedBy: string | null = null;
    const needsPin = ctx.role === 'clerk' && value * 10_000 > b0.total * DISCOUNT_PIN_SHARE_BP;
    if (needsPin) {
      if (!input.managerId || !input.managerPin) {
        const sentence = `A discount above ${DISCOUNT_PIN_SHARE_BP / 100} % of the price needs a manager's PIN`;
        throw new PosError('forbidden', `${sentence}. Ask a manager to enter theirs.`, { fields: { managerPin: sentence } });
      }
      approvedBy = (await deps.verifyManagerPin(input.managerId, input.managerPin)).id;
    }
    return db.transaction(() => {
      const b = reserved(input.bookingId);
      if (b.version !== b0.version) throw new PosError('conflict', `${b.ref} changed while the PIN was checked. Try again.`);
      const id = newId();
      insert.run({
        id,
        booking_id: b.id,
        kind: input.kind,
        percent_bp: input.kind === 'percent' ? (input.percentBp ?? null) : null,
        amount: input.kind === 'fixed' ? (input.amount ?? null) : null,
        currency: b.currency,
        reason: input.reason,
        approved_by: approvedBy,
        created_by: ctx.staffId,
        install_id: installId,
        at: now().toISOString(),
      });
      commit(b, 'booking.discount', ctx, { discountId: id, kind: input.kind, percentBp: input.percentBp ?? null, amount: input.amount ?? null, reason: input.reason, approvedBy });
      return view(b.id);
    })();
  }

  function removeDiscount(input: { bookingId: string; discountId: string }, ctx: Actor): Adjusted {
    return db.transaction(() => {
      const b = reserved(input.bookingId);
      if (remove.run({ id: input.discountId, bookingId: b.id, at: now().toISOString() }).changes !== 1) {
        throw badInput('discountId', 'That discount is not on this booking; reload it');
      }
      commit(b, 'booking.discount_removed', ctx, { discountId: input.discountId });
      return view(b.id);
    })();
  }

  function addDriver(input: DriverInput, ctx: Actor): Adjusted {
    return db.transaction(() => {
      const b = reserved(input.bookingId);
      if (input.licenceExpiry < b.return_at.slice(0, 10)) throw badInput('licenceExpiry', `The licence expires before the return on ${b.return_at.slice(0, 10)}`);
      if (input.dateOfBirth >= localDate(now().getTime(), deps.timeZone())) throw badInput('dateOfBirth', 'Date of birth must be in the past');
      const d = drivers.add(input, now().toISOString());
      try {
        commit(b, 'booking.driver_added', ctx, { driverId: d.id });
      } catch (err) {
        // The engine refuses a driver below the card's minimum age; say it on the date field.
        if (err instanceof PosError && err.code === 'invalid_input') throw new PosError('invalid_input', err.message, { fields: { dateOfBirth: err.message } });
        throw err;
      }
      return view(b.id);
    })();
  }

  function removeDriver(input: { bookingId: string; driverId: string }, ctx: Actor): Adjusted {
    return db.transaction(() => {
      const b = reserved(input.bookingId);
      drivers.remove(b.id, input.driverId, now().toISOString());
      commit(b, 'booking.driver_removed', ctx, { driverId: input.driverId });
      return view(b.id);
    })();
  }

  return { facts, view, addDiscount, removeDiscount, addDriver, removeDriver };
}
