import type { BookingDiscount, BookingDriver } from '../../../shared/contract/discounts';
import { PosError } from '../../../shared/errors';
import type { CurrencyCode } from '../../../shared/money';
import type { Db } from '../../db/connection';
import { appendAudit } from '../../core/audit';
import type { CallContext } from '../../core/handlers';
import { badInput } from '../../core/errors';
import { newId } from '../../core/ids';
import { ageOn, localDate } from '../../core/shopTime';
import { formatMoney } from '../../../shared/money';
import { balanceDue, createBookingsRepo } from '../bookings/index';
import type { BookingDiscountFact, BookingRow } from '../bookings/index';
import type { DriversApi } from '../drivers/index';
import type { Repricer } from './repricer';

/**
 * Discounts (percentage or fixed, with a reason) and additional drivers on a booking.
 *
 * When: a driver is added while the booking is reserved or the car is out (a second driver at
 * pickup or during the rental); a discount while reserved, out, or returned and not yet closed
 * (goodwill at the return). Never on a closed, cancelled or no-show booking.
 *
 * Limits: a clerk's discounts not approved by a manager, together, may take at most the shop's
 * `discountPinThresholdBp` share of the undiscounted price; above it a manager's PIN. A fixed
 * discount above what the booking still costs is refused. Both are checked again inside the
 * write-locking transaction, so discounts given at the same moment cannot stack past either.
 *
 * Each change re-prices the booking with the rate-card version it was quoted on (a returned
 * booking with its return: late hours, fuel, mileage, damage), in one transaction with its audit
 * row. Money already paid stays; the balance follows, and a price below what was paid leaves a
 * credit the refund flow returns.
 */

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
type Money = { amount: number; currency: CurrencyCode };
export type Adjusted = {
  status: BookingRow['status'];
  discounts: BookingDiscount[];
  drivers: BookingDriver[];
  total: Money;
  paid: Money;
  /** Still to take; negative when more was paid than the booking now costs (owed back). */
  balanceDue: Money;
  canDiscount: boolean;
  canChangeDrivers: boolean;
};

const DISCOUNT_STATUSES: readonly BookingRow['status'][] = ['reserved', 'checked_out', 'returned'];
const DRIVER_STATUSES: readonly BookingRow['status'][] = ['reserved', 'checked_out'];
const STATUS_WORDS: Record<BookingRow['status'], string> = {
  reserved: 'reserved',
  checked_out: 'out on rent',
  returned: 'returned',
  closed: 'closed',
  cancelled: 'cancelled',
  no_show: 'a no-show',
};
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
  /** The shop's PIN threshold for discounts, in basis points of the price (settings). */
  pinThresholdBp: () => number;
  locale: () => string;
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


  function editable(bookingId: string, what: 'discount' | 'driver'): BookingRow {
    const b = bookings.get(bookingId);
    if (!b) throw badInput('bookingId', 'That booking could not be found; search for it again');
    const allowed = what === 'discount' ? DISCOUNT_STATUSES : DRIVER_STATUSES;
    if (!allowed.includes(b.status)) {
      const sentence =
        what === 'discount'
          ? `${b.ref} is ${STATUS_WORDS[b.status]}; discounts can be given or removed only until the booking is closed (reserved, out on rent, or returned)`
          : `${b.ref} is ${STATUS_WORDS[b.status]}; drivers can be added or removed only while it is reserved or the car is out`;
      throw new PosError('conflict', `${sentence}.`, { fields: { bookingId: sentence } });
    }
    return b;
  }

  const factOf = (d: Pick<DiscountRow, 'kind' | 'percent_bp' | 'amount' | 'reason'>): BookingDiscountFact =>
    d.kind === 'percent' ? { kind: 'percent', percentBp: d.percent_bp ?? 0, reason: d.reason } : { kind: 'fixed', amount: d.amount ?? 0, reason: d.reason };

  /** What bookings price into every quote of this booking. */
  const facts = (bookingId: string): BookingDiscountFact[] => live.all(bookingId).map(factOf);

  /**
   * What the discounts a manager has not approved take off the price, with `added` among them,
   * against the price with no discount at all: the PIN threshold is a share of the latter, so
   * several small discounts cannot add up past it without a manager.
   */
  function unapprovedShare(b: BookingRow, added: BookingDiscountFact): { value: number; base: number } {
    const r = deps.repricer();
    const rows = live.all(b.id);
    const base = r.price(b, []).total;
    const approvedOnly = r.price(b, rows.filter((d) => d.approved_by !== null).map(factOf)).total;
    const all = r.price(b, [...rows.map(factOf), added]).total;
    return { value: approvedOnly - all, base };
  }

  function pinSentence(): string {
    const bp = deps.pinThresholdBp();
    return bp === 0 ? "Every discount given by a clerk needs a manager's PIN" : `Discounts above ${(bp / 100).toLocaleString(deps.locale())} % of the price need a manager's PIN`;
  }

  function needsPin(b: BookingRow, added: BookingDiscountFact, ctx: Actor): boolean {
    if (ctx.role !== 'clerk') return false;
    const { value, base } = unapprovedShare(b, added);
    return value * 10_000 > base * deps.pinThresholdBp();
  }

  /**
   * A fixed discount above what the booking still costs would be cut short by the engine: refused
   * instead. The engine takes a fixed discount off the price before tax when tax is added on top
   * (exclusive), so that is the price it is compared with.
   */
  function checkNotAbovePrice(b: BookingRow, input: DiscountInput): void {
    if (input.kind !== 'fixed') return;
    const q = b.quote_id ? bookings.getQuote(b.quote_id) : undefined;
    const exclusive = q?.tax_mode === 'exclusive' && q.tax_total > 0;
    const price = q ? q.subtotal + q.discount_total : b.total;
    if ((input.amount ?? 0) <= price) return;
    const m = (n: number) => formatMoney({ amount: n, currency: b.currency as CurrencyCode }, deps.locale());
    const what = exclusive ? `${m(price)} before tax` : m(price);
    throw badInput('amount', `The discount (${m(input.amount ?? 0)}) is more than the price of ${b.ref} as it stands (${what}); enter at most ${m(price)}`);
  }

  function view(bookingId: string): Adjusted {
    const b = bookings.get(bookingId);
    if (!b) throw badInput('bookingId', 'That booking could not be found; search for it again');
    const currency = b.currency as CurrencyCode;
    const pickup = localDate(Date.parse(b.pickup_at), deps.timeZone());
    const { paid, refunded } = bookings.money(b.id);
    return {
      status: b.status,
      paid: { amount: paid - refunded, currency },
      balanceDue: { amount: balanceDue(b.status, b.total, paid, refunded, b.end_fee), currency },
      canDiscount: DISCOUNT_STATUSES.includes(b.status),
      canChangeDrivers: DRIVER_STATUSES.includes(b.status),
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
    const added = factOf({ kind: input.kind, percent_bp: input.percentBp ?? null, amount: input.amount ?? null, reason: input.reason });
    const b0 = editable(input.bookingId, 'discount');
    checkNotAbovePrice(b0, input);
    // A manager giving a discount approves it; a clerk's above the limit needs a manager's PIN.
    let approvedBy: string | null = ctx.role === 'clerk' ? null : ctx.staffId;
    const askPin = () => {
      const sentence = pinSentence();
      return new PosError('forbidden', `${sentence}. Ask a manager to enter theirs.`, { fields: { managerPin: sentence } });
    };
    if (ctx.role === 'clerk' && input.managerId && input.managerPin) {
      approvedBy = (await deps.verifyManagerPin(input.managerId, input.managerPin)).id;
    } else if (needsPin(b0, added, ctx)) {
      throw askPin();
    }
    return db.transaction(() => {
      // Checked again under the write lock: another discount may have been given meanwhile.
      const b = editable(input.bookingId, 'discount');
      checkNotAbovePrice(b, input);
      if (approvedBy === null && needsPin(b, added, ctx)) throw askPin();
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
      commit(b, 'booking.discount', ctx, { discountId: id, kind: input.kind, percentBp: input.percentBp ?? null, amount: input.amount ?? null, reason: input.reason, approvedBy, status: b.status });
      return view(b.id);
    }).immediate();
  }

  function removeDiscount(input: { bookingId: string; discountId: string }, ctx: Actor): Adjusted {
    return db.transaction(() => {
      const b = editable(input.bookingId, 'discount');
      if (remove.run({ id: input.discountId, bookingId: b.id, at: now().toISOString() }).changes !== 1) {
        throw badInput('discountId', 'That discount is not on this booking; reload it');
      }
      commit(b, 'booking.discount_removed', ctx, { discountId: input.discountId });
      return view(b.id);
    }).immediate();
  }

  function addDriver(input: DriverInput, ctx: Actor): Adjusted {
    return db.transaction(() => {
      const b = editable(input.bookingId, 'driver');
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
    }).immediate();
  }

  function removeDriver(input: { bookingId: string; driverId: string }, ctx: Actor): Adjusted {
    return db.transaction(() => {
      const b = editable(input.bookingId, 'driver');
      drivers.remove(b.id, input.driverId, now().toISOString());
      commit(b, 'booking.driver_removed', ctx, { driverId: input.driverId });
      return view(b.id);
    }).immediate();
  }

  return { facts, view, addDiscount, removeDiscount, addDriver, removeDriver };
}
