/** Create, modify and extend: each re-prices the booking and checks the vehicle is free. */
import { newId } from '../../core/ids';
import { assertWithinHorizon } from '../../../shared/contract/bookingHorizon';
import type { BookingDetail } from '../../../shared/contract/bookings';
import type { LocationRow } from '../fleet/index';
import { badInput, staleVersion } from '../../core/errors';
import { PosError } from '../../../shared/errors';
import { blockWindow } from '../fleet/index';
import { priceFacts } from './bookingPricing';
import { uniqueBookingRef } from './bookingRef';
import type { BookingRow } from './bookingsRepo';
import { writeQuote } from './quoteStore';
import { toStored } from '../../core/shopTime';
import type { BookingContext, CreateInput, Ctx, ModifyInput } from './bookingContext';

export function createBookingWrites(k: BookingContext, get: (id: string) => BookingDetail) {
  const { db, installId, now, rates, repo, fleetRepo, load, customerOf, vehicleOf, locationOf, requireStatus, checkLicence, checkInService, checkNotBeforeToday, checkConflicts, bookingCard, facts, audit, saveUpdate, snapshot, notesOf, termsOf, pricingTerms, keptTerms, checkOpeningHours } = k;

  /**
   * Booking by class: refused when the class is full for those times (its cars against its
   * overlapping bookings, turnaround included); else a free car of the class is held for it, to
   * be confirmed or swapped at pickup. The per-car check in the write transaction still decides.
   */
  function heldCarOf(cls: string, pickupAt: string, returnAt: string, pl: LocationRow, rl: LocationRow) {
    const name = k.fleet.className(cls);
    const { cars, booked } = repo.classCount(cls, blockWindow(pickupAt, returnAt, k.fleet.gaps(rl.id), now(), null));
    if (cars === 0) throw badInput('vehicleClass', `The fleet has no ${name} car; choose another class`);
    // Cars that will be at the pickup location come first: hold one of those when any is free.
    const free = k.fleet.availability({ from: pickupAt, to: returnAt, class: cls, returnLocationId: rl.id, pickupLocationId: pl.id });
    if (booked >= cars || free.length === 0) {
      const tz = termsOf(pl.id).timeZone;
      throw new PosError('conflict', `Every ${name} car (${cars}) is booked from ${k.fmtIn(pickupAt, tz)} to ${k.fmtIn(returnAt, tz)}, turnaround included. Choose another class or other times.`, {
        fields: { vehicleClass: `All ${cars} ${name} cars are booked for these times` },
      });
    }
    return vehicleOf((free[0] as { id: string }).id, 'vehicleClass');
  }

  /**
   * A new booking (or a booking moved to another customer) needs a record that was not erased or
   * merged away. Checked first (for the clear sentence) and again inside the write transaction, so
   * an erasure at another counter either commits first and is seen, or the write fails.
   */
  function requireBookableCustomer(id: string): void {
    const c = k.customersRepo.get(id);
    if (c?.erased_at) throw badInput('customerId', 'This customer was erased on request; add a new record if they come back');
    if (c?.merged_into) throw badInput('customerId', 'This record was merged into another; book the one it was merged into');
  }

  // ─── commands ───────────────────────────────────────────────────────────────────────────────

  function create(input: CreateInput, ctx: Ctx): BookingDetail {
    const at = now();
    const customer = customerOf(input.customerId);
    requireBookableCustomer(customer.id);
    const pl = locationOf(input.pickupLocationId, 'pickupLocationId', fleetRepo.home());
    const rl = locationOf(input.returnLocationId, 'returnLocationId', pl);
    const pickupAt = toStored(input.pickupAt);
    const returnAt = toStored(input.returnAt);
    const tz = termsOf(pl.id).timeZone;
    checkNotBeforeToday(pickupAt, tz);
    assertWithinHorizon({ pickupAt, returnAt }, at, k.deps.settings().bookingHorizonDays);
    checkOpeningHours({ pickup: { locationId: pl.id, at: pickupAt }, ret: { locationId: rl.id, at: returnAt } });
    const card = rates.current();
    const terms = pricingTerms(pl.id, card);
    const byClass = input.vehicleId === undefined;
    const vehicle = byClass ? heldCarOf(input.vehicleClass ?? '', pickupAt, returnAt, pl, rl) : vehicleOf(input.vehicleId ?? '');
    checkInService(vehicle);
    checkLicence(customer, returnAt, pickupAt, card, 'customerId', tz);
    const draft = { vehicle_class: vehicle.class, pickup_at: pickupAt, return_at: returnAt, extras_json: JSON.stringify(input.extras), fees_json: JSON.stringify(input.fees) };
    const q = priceFacts(card, facts(draft, customer, pl, rl), terms, at);
    const id = newId(at.getTime());
    db.transaction(() => {
      requireBookableCustomer(customer.id);
      checkConflicts(vehicle, pickupAt, returnAt, null, rl.id, pl.id);
      const stamp = at.toISOString();
      const quoteId = newId(at.getTime());
      const row: BookingRow = {
        id,
        ref: uniqueBookingRef(repo.refTaken),
        status: 'reserved',
        customer_id: customer.id,
        vehicle_id: vehicle.id,
        vehicle_class: vehicle.class,
        car_assigned: byClass ? 0 : 1,
        pickup_location_id: pl.id,
        return_location_id: rl.id,
        pickup_at: pickupAt,
        return_at: returnAt,
        extras_json: draft.extras_json,
        fees_json: draft.fees_json,
        notes: input.notes,
        quote_id: quoteId,
        total: q.total,
        currency: q.currency,
        cancelled_at: null,
        cancelled_by: null,
        cancel_reason: null,
        closed_at: null,
        created_by: ctx.staffId,
        install_id: installId,
        version: 1,
        created_at: stamp,
        updated_at: stamp,
      };
      repo.insert(row);
      // The booking already points at this quote id; the deferred foreign key is checked at commit.
      writeQuote(repo, id, q, 'create', installId, stamp, quoteId);
      audit('booking.create', ctx, row, undefined, snapshot(row, vehicle.plate), at, notesOf(row, 'after'));
    })();
    return get(id);
  }

  function modify(input: ModifyInput, ctx: Ctx): BookingDetail {
    const at = now();
    const before = load(input.id);
    staleVersion(before.ref, input.expectedVersion, before.version);
    const onlyNotes = Object.keys(input).every((k) => ['id', 'expectedVersion', 'notes'].includes(k));
    requireStatus(before, onlyNotes ? ['reserved', 'checked_out', 'returned'] : ['reserved'], 'changed');

    const customer = customerOf(input.customerId ?? before.customer_id);
    if (customer.id !== before.customer_id) requireBookableCustomer(customer.id);
    const vehicle = vehicleOf(input.vehicleId ?? before.vehicle_id);
    const pl = locationOf(input.pickupLocationId ?? before.pickup_location_id, 'pickupLocationId', undefined);
    const rl = locationOf(input.returnLocationId ?? before.return_location_id, 'returnLocationId', undefined);
    const next: BookingRow = {
      ...before,
      customer_id: customer.id,
      vehicle_id: vehicle.id,
      vehicle_class: vehicle.class,
      // Choosing the car on a booking made by class gives it its car.
      car_assigned: input.vehicleId !== undefined ? 1 : before.car_assigned ?? 1,
      pickup_location_id: pl.id,
      return_location_id: rl.id,
      pickup_at: input.pickupAt !== undefined ? toStored(input.pickupAt) : before.pickup_at,
      return_at: input.returnAt !== undefined ? toStored(input.returnAt) : before.return_at,
      extras_json: input.extras !== undefined ? JSON.stringify(input.extras) : before.extras_json,
      fees_json: input.fees !== undefined ? JSON.stringify(input.fees) : before.fees_json,
      notes: input.notes ?? before.notes,
      updated_at: at.toISOString(),
    };
    if (next.return_at <= next.pickup_at) {
      throw badInput(input.returnAt !== undefined ? 'returnAt' : 'pickupAt', 'Return must be after pickup');
    }
    const keys = ['customer_id', 'vehicle_id', 'pickup_location_id', 'return_location_id', 'pickup_at', 'return_at', 'extras_json', 'fees_json', 'notes'] as const;
    const changed = keys.filter((k) => before[k] !== next[k]);
    if (changed.length === 0) return get(before.id);
    // A new return location brings its own turnaround, so the car is checked again.
    const timesOrVehicle = changed.some((k) => k === 'vehicle_id' || k === 'pickup_at' || k === 'return_at' || k === 'return_location_id');
    const tz = termsOf(pl.id).timeZone;
    if (changed.includes('vehicle_id')) checkInService(vehicle);
    if (changed.includes('pickup_at')) checkNotBeforeToday(next.pickup_at, tz);
    if (changed.some((c) => c === 'pickup_at' || c === 'return_at')) assertWithinHorizon({ pickupAt: next.pickup_at, returnAt: next.return_at }, at, k.deps.settings().bookingHorizonDays);
    const pickupMoved = changed.includes('pickup_at') || changed.includes('pickup_location_id');
    const returnMoved = changed.includes('return_at') || changed.includes('return_location_id');
    checkOpeningHours({
      ...(pickupMoved ? { pickup: { locationId: pl.id, at: next.pickup_at } } : {}),
      ...(returnMoved ? { ret: { locationId: rl.id, at: next.return_at } } : {}),
    });
    if (changed.some((k) => k === 'customer_id' || k === 'return_at' || k === 'pickup_at')) checkLicence(customer, next.return_at, next.pickup_at, bookingCard(before), 'customerId', tz);
    const reprice = changed.some((k) => k !== 'notes');
    // Same pickup location: the booking keeps the clock and tax it was quoted with; a new one brings its own.
    const terms = changed.includes('pickup_location_id') ? pricingTerms(pl.id, bookingCard(before)) : keptTerms(before);
    const q = reprice ? priceFacts(bookingCard(before), facts(next, customer, pl, rl), terms, at) : null;

    db.transaction(() => {
      if (changed.includes('customer_id')) requireBookableCustomer(customer.id);
      if (timesOrVehicle) checkConflicts(vehicle, next.pickup_at, next.return_at, before.id, rl.id, pl.id);
      if (q) {
        next.quote_id = writeQuote(repo, before.id, q, 'modify', installId, at.toISOString());
        next.total = q.total;
        next.currency = q.currency;
      }
      saveUpdate(next);
      const names = changed.map((k) => k.replace(/_json$/, '').replace(/_id$/, '').replace(/_at$/, ' time').replace(/_/g, ' '));
      const was: Record<string, unknown> = snapshot(before, fleetRepo.getVehicle(before.vehicle_id)?.plate ?? '');
      const now_: Record<string, unknown> = snapshot(next, vehicle.plate);
      const diff = Object.keys(now_).filter((k) => k === 'total' || k === 'currency' || JSON.stringify(was[k]) !== JSON.stringify(now_[k]));
      const personal = changed.includes('notes') ? [...notesOf(before, 'before'), ...notesOf(next, 'after')] : [];
      audit('booking.modify', ctx, next, Object.fromEntries(diff.map((k) => [k, was[k]])), { ...Object.fromEntries(diff.map((k) => [k, now_[k]])), changed: names }, at, personal);
    })();
    return get(before.id);
  }

  function extend(input: { id: string; expectedVersion?: number | undefined; returnAt: string }, ctx: Ctx): BookingDetail {
    const at = now();
    const before = load(input.id);
    staleVersion(before.ref, input.expectedVersion, before.version);
    requireStatus(before, ['reserved', 'checked_out'], 'extended');
    const returnAt = toStored(input.returnAt);
    const rlTz = termsOf(before.return_location_id, 'returnAt').timeZone;
    if (returnAt <= before.return_at) throw badInput('returnAt', `New return must be later than the current return (${k.fmtIn(before.return_at, rlTz)})`);
    assertWithinHorizon({ returnAt }, at, k.deps.settings().bookingHorizonDays);
    checkOpeningHours({ ret: { locationId: before.return_location_id, at: returnAt } });
    const customer = customerOf(before.customer_id);
    const vehicle = vehicleOf(before.vehicle_id);
    checkLicence(customer, returnAt, before.pickup_at, bookingCard(before), 'customerId', termsOf(before.pickup_location_id).timeZone);
    const pl = fleetRepo.getLocation(before.pickup_location_id) as LocationRow;
    const rl = fleetRepo.getLocation(before.return_location_id) as LocationRow;
    const next: BookingRow = { ...before, return_at: returnAt, updated_at: at.toISOString() };
    const q = priceFacts(bookingCard(before), facts(next, customer, pl, rl), keptTerms(before), at);
    db.transaction(() => {
      checkConflicts(vehicle, next.pickup_at, returnAt, before.id, rl.id, pl.id);
      next.quote_id = writeQuote(repo, before.id, q, 'extend', installId, at.toISOString());
      next.total = q.total;
      saveUpdate(next);
      audit('booking.extend', ctx, next, { returnAt: before.return_at, total: before.total, currency: before.currency }, { returnAt, total: q.total, currency: q.currency }, at);
    })();
    return get(before.id);
  }

  return { create, modify, extend };
}
