import { newId } from '../../core/ids';
import type { z } from 'zod';
import type {
  BookingDetail,
  BookingStatus,
  BookingSummary,
  QuoteView,
  bookingCheckInPreviewSchema,
  bookingCheckInSchema,
  bookingCheckOutSchema,
  bookingCreateSchema,
  bookingModifySchema,
  bookingQuoteSchema,
} from '../../../shared/contract/bookings';
import type { bookingSearchResultSchema } from '../../../shared/contract/search';
import type { Customer } from '../../../shared/contract/customers';
import type { Settings } from '../../../shared/contract/settings';
import { PosError } from '../../../shared/errors';
import type { CurrencyCode } from '../../../shared/money';
import { formatMoney } from '../../../shared/money';
import type { Db } from '../../db/connection';
import type { CallContext } from '../../core/handlers';
import { appendAudit, listAudit } from '../../core/audit';
import { createCustomersRepo, toCustomer } from '../customers/index';
import type { CustomerRow } from '../customers/index';
import { blockWindow, createFleetRepo, toLocation } from '../fleet/index';
import type { FleetService, LocationRow, VehicleRow } from '../fleet/index';
import type { LoadedCard, PriceQuote, RateCardService } from '../pricing/index';
import { buildFtsQuery, createSearchRepo } from '../search/index';
import { createStaffRepo } from '../staff/index';
import { badInput, notFound, staleVersion } from '../../core/errors';
import { priceFacts } from './bookingPricing';
import type { PriceFacts } from './bookingPricing';
import { uniqueBookingRef } from './bookingRef';
import { createBookingsRepo } from './bookingsRepo';
import type { BookingRow, HandoverRow, SummaryRow } from './bookingsRepo';
import { balanceDue, describeAudit, toQuoteView, toSummary } from './bookingView';
import { writeQuote } from './quoteStore';
import { dayBounds, formatShopTime, localDate, toStored } from '../../core/shopTime';
import { storeSignature } from './signatureStore';

type Ctx = Pick<CallContext, 'staffId' | 'role'>;
type CreateInput = z.output<typeof bookingCreateSchema>;
type QuoteInput = z.output<typeof bookingQuoteSchema>;
type ModifyInput = z.output<typeof bookingModifySchema>;
type CheckOutInput = z.output<typeof bookingCheckOutSchema>;
type CheckInInput = z.output<typeof bookingCheckInSchema>;
type SearchResult = z.output<typeof bookingSearchResultSchema>;
type CheckInPreview = z.output<typeof bookingCheckInPreviewSchema>;
type Selection = { code: string; quantity: number };

export type BookingsService = {
  today(date?: string): { date: string; timeZone: string; pickups: BookingSummary[]; returns: BookingSummary[]; overdue: BookingSummary[] };
  search(query: string, limit: number): SearchResult[];
  list(f: { from: string; to: string; vehicleId?: string | undefined; customerId?: string | undefined; statuses?: BookingStatus[] | undefined; limit: number }): BookingSummary[];
  get(id: string): BookingDetail;
  quote(input: QuoteInput): QuoteView;
  create(input: CreateInput, ctx: Ctx): BookingDetail;
  modify(input: ModifyInput, ctx: Ctx): BookingDetail;
  extend(input: { id: string; expectedVersion?: number | undefined; returnAt: string }, ctx: Ctx): BookingDetail;
  cancel(input: { id: string; expectedVersion?: number | undefined; reason: string }, ctx: Ctx): BookingDetail;
  noShow(input: { id: string; expectedVersion?: number | undefined; reason: string }, ctx: Ctx): BookingDetail;
  checkOut(input: CheckOutInput, ctx: Ctx): BookingDetail;
  checkIn(input: CheckInInput, ctx: Ctx): BookingDetail;
  /** What checkIn would charge for these readings; writes nothing. */
  checkInPreview(input: CheckInInput, ctx: Ctx): CheckInPreview;
  close(input: { id: string; expectedVersion?: number | undefined }, ctx: Ctx): BookingDetail;
  customerWithBookings(id: string): { customer: Customer; bookings: BookingSummary[] };
};

export type BookingsDeps = {
  db: Db;
  installId: string;
  now: () => Date;
  settings: () => Settings;
  rates: RateCardService;
  fleet: FleetService;
  /** Folder signatures are saved under; null where none may be written. */
  dataDir: string | null;
  /** Extra drivers and discounts of a saved booking, priced into every quote (drivers and discounts modules). */
  adjustments?: (bookingId: string) => Pick<PriceFacts, 'extraDriverBirthDates' | 'discounts'>;
};

const STATUS_WORDS: Record<BookingStatus, string> = {
  reserved: 'reserved',
  checked_out: 'checked out',
  returned: 'returned',
  closed: 'closed',
  cancelled: 'cancelled',
  no_show: 'marked a no-show',
};

/** A clerk may check a vehicle out this long before the booked pickup. */
const EARLY_CHECKOUT_MS = 12 * 3_600_000;
/** Clock drift tolerated between counters for a return time "now". */
const FUTURE_SLACK_MS = 5 * 60_000;

export function createBookingsService(deps: BookingsDeps): BookingsService {
  const { db, installId, now, rates, fleet } = deps;
  const repo = createBookingsRepo(db);
  const fleetRepo = createFleetRepo(db);
  const customersRepo = createCustomersRepo(db);
  const staffRepo = createStaffRepo(db);
  const searchRepo = createSearchRepo(db);

  const shop = () => {
    const s = deps.settings();
    return { timeZone: s.timeZone, locale: s.locale, gap: s.turnaroundMinutes };
  };
  const fmt = (iso: string) => formatShopTime(iso, shop().timeZone, shop().locale);

  // ─── lookups that name the bad field ────────────────────────────────────────────────────────

  function load(id: string): BookingRow {
    const row = repo.get(id);
    if (!row) throw notFound('That booking');
    return row;
  }

  function customerOf(id: string, field = 'customerId'): CustomerRow {
    const c = customersRepo.get(id);
    if (!c) throw badInput(field, 'Unknown customer: no customer with this id');
    return c;
  }

  function vehicleOf(id: string, field = 'vehicleId'): VehicleRow {
    const v = fleetRepo.getVehicle(id);
    if (!v) throw badInput(field, 'Unknown vehicle: no vehicle with this id is in the fleet');
    return v;
  }

  function locationOf(id: string | undefined, field: string, fallback: LocationRow | undefined): LocationRow {
    if (id === undefined) {
      if (fallback) return fallback;
      throw new PosError('configuration', 'This shop has no home location set up. Ask a manager to add one.');
    }
    const l = fleetRepo.getLocation(id);
    if (!l) throw badInput(field, 'Unknown location: no location with this id');
    return l;
  }

  function requireStatus(b: BookingRow, allowed: readonly BookingStatus[], doing: string): void {
    if (!allowed.includes(b.status)) {
      throw new PosError('conflict', `${b.ref} is ${STATUS_WORDS[b.status]}, so it cannot be ${doing}.`);
    }
  }

  function checkLicence(c: CustomerRow, returnAt: string, field = 'customerId'): void {
    const returnDate = localDate(Date.parse(returnAt), shop().timeZone);
    if (c.licence_expiry < returnDate) {
      throw badInput(
        field,
        `${c.first_name} ${c.last_name}'s driving licence expires on ${c.licence_expiry}, before the return on ${returnDate}. Update the licence details or shorten the booking.`,
      );
    }
  }

  function checkInService(v: VehicleRow): void {
    if (v.status === 'in_service') throw badInput('vehicleId', `${v.plate} is in service; choose another vehicle or put it back in the fleet first`);
  }

  function checkNotBeforeToday(pickupAt: string): void {
    const { timeZone } = shop();
    const start = dayBounds(localDate(now().getTime(), timeZone), timeZone).start;
    if (pickupAt < start) throw badInput('pickupAt', 'Pickup cannot be before today');
  }

  /** Refuses an overlap (turnaround included) naming the booking in the way; run inside the write transaction. */
  function checkConflicts(v: VehicleRow, pickupAt: string, returnAt: string, excludeId: string | null): void {
    const { gap } = shop();
    const at = now();
    const clash = repo.conflicts(v.id, blockWindow(pickupAt, returnAt, gap, at, excludeId))[0];
    if (!clash) return;
    const overdue = clash.status === 'checked_out' && clash.return_at < at.toISOString() ? ', out and overdue' : '';
    const turnaround = gap > 0 ? ` (with ${gap} minutes' turnaround between rentals)` : '';
    const sentence =
      `${v.plate} is already booked${turnaround}: ${clash.ref} for ${clash.customer_name}, ` +
      `${fmt(clash.pickup_at)} – ${fmt(clash.return_at)}${overdue}. Choose another vehicle or time.`;
    throw new PosError('conflict', sentence, { fields: { vehicleId: sentence } });
  }

  function bookingCard(b: BookingRow): LoadedCard {
    const q = b.quote_id ? repo.getQuote(b.quote_id) : undefined;
    return q ? rates.version(q.rate_card_id, q.rate_card_version) : rates.current();
  }

  function facts(b: Pick<BookingRow, 'vehicle_class' | 'pickup_at' | 'return_at' | 'extras_json' | 'fees_json'> & { id?: string }, c: CustomerRow, pl: LocationRow, rl: LocationRow): PriceFacts {
    return {
      ...(b.id !== undefined ? deps.adjustments?.(b.id) : undefined),
      vehicleClass: b.vehicle_class,
      pickupAt: b.pickup_at,
      returnAt: b.return_at,
      pickupCode: pl.code,
      returnCode: rl.code,
      dateOfBirth: c.date_of_birth,
      extras: JSON.parse(b.extras_json) as Selection[],
      fees: JSON.parse(b.fees_json) as Selection[],
    };
  }

  function audit(action: string, ctx: Ctx, b: BookingRow, before: object | undefined, after: object, at: Date): void {
    appendAudit(db, installId, { actorId: ctx.staffId, actorRole: ctx.role, action, entityType: 'booking', entityId: b.id, before, after }, at);
  }

  function saveUpdate(next: BookingRow): void {
    if (!repo.update(next)) {
      throw new PosError('conflict', `${next.ref} was changed at another counter or in another window. Reload it and try again.`);
    }
  }

  const snapshot = (b: BookingRow, plate: string) => ({
    status: b.status,
    ref: b.ref,
    customerId: b.customer_id,
    vehicleId: b.vehicle_id,
    plate,
    vehicleClass: b.vehicle_class,
    pickupAt: b.pickup_at,
    returnAt: b.return_at,
    pickupLocationId: b.pickup_location_id,
    returnLocationId: b.return_location_id,
    extras: JSON.parse(b.extras_json) as unknown,
    fees: JSON.parse(b.fees_json) as unknown,
    notes: b.notes,
    total: b.total,
    currency: b.currency,
  });

  // ─── reads ──────────────────────────────────────────────────────────────────────────────────

  function get(id: string): BookingDetail {
    const b = load(id);
    const s = repo.summary(id);
    if (!s) throw notFound('That booking');
    const customer = customersRepo.get(b.customer_id) as CustomerRow;
    const vehicle = fleetRepo.getVehicle(b.vehicle_id) as VehicleRow;
    const pl = fleetRepo.getLocation(b.pickup_location_id) as LocationRow;
    const rl = fleetRepo.getLocation(b.return_location_id) as LocationRow;
    const quote = b.quote_id ? repo.getQuote(b.quote_id) : undefined;
    if (!quote) throw new PosError('internal', `${b.ref} has no price snapshot.`);
    const handovers = repo.handovers(b.id);
    const out = handovers.find((h) => h.kind === 'out');
    const back = handovers.find((h) => h.kind === 'in');
    const auditRows = listAudit(db, 'booking', b.id);
    const names = staffRepo.names([...new Set([...auditRows.map((r) => r.actor_id), out?.staff_id, back?.staff_id, b.cancelled_by].filter((x): x is string => !!x))]);
    const nameOf = (id: string | null | undefined) => (id ? (names.get(id) ?? 'Staff') : 'Keydesk');
    const { timeZone, locale } = shop();
    const cur = b.currency as CurrencyCode;
    const summary = toSummary(s);
    return {
      ...summary,
      customer: toCustomer(customer),
      vehicle: fleet.view(vehicle),
      pickupLocation: toLocation(pl),
      returnLocation: toLocation(rl),
      extras: JSON.parse(b.extras_json) as Selection[],
      fees: JSON.parse(b.fees_json) as Selection[],
      notes: b.notes,
      quote: toQuoteView(quote, repo.linesOf(quote.id)),
      paid: { amount: s.paid, currency: cur },
      refunded: { amount: s.refunded, currency: cur },
      checkOut: out
        ? {
            at: out.at,
            odometer: out.odometer,
            fuelEighths: out.fuel_eighths,
            damageNotes: out.damage_notes,
            photos: JSON.parse(out.photos_json) as string[],
            signatureRef: out.signature_ref,
            staffId: out.staff_id,
            staffName: nameOf(out.staff_id),
          }
        : null,
      checkIn: back
        ? {
            at: back.at,
            odometer: back.odometer,
            fuelEighths: back.fuel_eighths,
            newDamage: (JSON.parse(back.damage_json) as { description: string; amount: number; currency: CurrencyCode }[]).map((d) => ({
              description: d.description,
              amount: { amount: d.amount, currency: d.currency },
            })),
            notes: back.damage_notes,
            staffId: back.staff_id,
            staffName: nameOf(back.staff_id),
          }
        : null,
      cancellation:
        b.cancelled_at !== null ? { at: b.cancelled_at, reason: b.cancel_reason ?? '', staffName: nameOf(b.cancelled_by) } : null,
      audit: auditRows.map((r) => ({ at: r.at, action: r.action, actorName: nameOf(r.actor_id), summary: describeAudit(r, timeZone, locale) })),
      flags: repo.openFlags(b.id),
      createdAt: b.created_at,
      updatedAt: b.updated_at,
    };
  }

  function today(date?: string) {
    const { timeZone } = shop();
    const at = now();
    const day = date ?? localDate(at.getTime(), timeZone);
    const { start, end } = dayBounds(day, timeZone);
    return {
      date: day,
      timeZone,
      pickups: repo.pickupsBetween(start, end).map(toSummary),
      returns: repo.returnsBetween(start, end).map(toSummary),
      overdue: repo.overdue(at.toISOString()).map(toSummary),
    };
  }

  function search(query: string, limit: number): SearchResult[] {
    const match = buildFtsQuery(query);
    if (match === null) return [];
    const { timeZone } = shop();
    const { start, end } = dayBounds(localDate(now().getTime(), timeZone), timeZone);
    const hits = searchRepo.bookings(match, start, end, limit);
    if (hits.length === 0) return [];
    const bySeq = new Map<number, SummaryRow>(repo.summariesBySeq(hits.map((h) => h.seq)).map((r) => [r.seq, r]));
    const when = ['today', 'upcoming', 'past'] as const;
    return hits.flatMap((h) => {
      const r = bySeq.get(h.seq);
      return r ? [{ ...toSummary(r), when: when[h.bucket] }] : [];
    });
  }

  function quote(input: QuoteInput): QuoteView {
    const card = rates.current();
    const home = fleetRepo.home();
    const pl = locationOf(input.pickupLocationId, 'pickupLocationId', home);
    const rl = locationOf(input.returnLocationId, 'returnLocationId', pl);
    const customer = input.customerId !== undefined ? customerOf(input.customerId) : null;
    const vehicle = input.vehicleId !== undefined ? vehicleOf(input.vehicleId) : null;
    const vehicleClass = vehicle?.class ?? input.vehicleClass ?? '';
    const at = now();
    const q = priceFacts(
      card,
      {
        vehicleClass,
        pickupAt: input.pickupAt,
        returnAt: input.returnAt,
        pickupCode: pl.code,
        returnCode: rl.code,
        dateOfBirth: customer?.date_of_birth ?? null,
        extras: input.extras,
        fees: input.fees,
      },
      shop().timeZone,
      at,
      vehicle ? 'vehicleId' : 'vehicleClass',
    );
    return quoteToView(q);
  }

  // ─── commands ───────────────────────────────────────────────────────────────────────────────

  function create(input: CreateInput, ctx: Ctx): BookingDetail {
    const at = now();
    const customer = customerOf(input.customerId);
    const vehicle = vehicleOf(input.vehicleId);
    checkInService(vehicle);
    const pl = locationOf(input.pickupLocationId, 'pickupLocationId', fleetRepo.home());
    const rl = locationOf(input.returnLocationId, 'returnLocationId', pl);
    const pickupAt = toStored(input.pickupAt);
    const returnAt = toStored(input.returnAt);
    checkNotBeforeToday(pickupAt);
    checkLicence(customer, returnAt);
    const card = rates.current();
    const draft = { vehicle_class: vehicle.class, pickup_at: pickupAt, return_at: returnAt, extras_json: JSON.stringify(input.extras), fees_json: JSON.stringify(input.fees) };
    const q = priceFacts(card, facts(draft, customer, pl, rl), shop().timeZone, at);
    const id = newId(at.getTime());
    db.transaction(() => {
      checkConflicts(vehicle, pickupAt, returnAt, null);
      const stamp = at.toISOString();
      const quoteId = newId(at.getTime());
      const row: BookingRow = {
        id,
        ref: uniqueBookingRef(repo.refTaken),
        status: 'reserved',
        customer_id: customer.id,
        vehicle_id: vehicle.id,
        vehicle_class: vehicle.class,
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
      audit('booking.create', ctx, row, undefined, snapshot(row, vehicle.plate), at);
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
    const vehicle = vehicleOf(input.vehicleId ?? before.vehicle_id);
    const pl = locationOf(input.pickupLocationId ?? before.pickup_location_id, 'pickupLocationId', undefined);
    const rl = locationOf(input.returnLocationId ?? before.return_location_id, 'returnLocationId', undefined);
    const next: BookingRow = {
      ...before,
      customer_id: customer.id,
      vehicle_id: vehicle.id,
      vehicle_class: vehicle.class,
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
    const timesOrVehicle = changed.some((k) => k === 'vehicle_id' || k === 'pickup_at' || k === 'return_at');
    if (changed.includes('vehicle_id')) checkInService(vehicle);
    if (changed.includes('pickup_at')) checkNotBeforeToday(next.pickup_at);
    if (changed.some((k) => k === 'customer_id' || k === 'return_at')) checkLicence(customer, next.return_at);
    const reprice = changed.some((k) => k !== 'notes');
    const q = reprice ? priceFacts(bookingCard(before), facts(next, customer, pl, rl), shop().timeZone, at) : null;

    db.transaction(() => {
      if (timesOrVehicle) checkConflicts(vehicle, next.pickup_at, next.return_at, before.id);
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
      audit('booking.modify', ctx, next, Object.fromEntries(diff.map((k) => [k, was[k]])), { ...Object.fromEntries(diff.map((k) => [k, now_[k]])), changed: names }, at);
    })();
    return get(before.id);
  }

  function extend(input: { id: string; expectedVersion?: number | undefined; returnAt: string }, ctx: Ctx): BookingDetail {
    const at = now();
    const before = load(input.id);
    staleVersion(before.ref, input.expectedVersion, before.version);
    requireStatus(before, ['reserved', 'checked_out'], 'extended');
    const returnAt = toStored(input.returnAt);
    if (returnAt <= before.return_at) throw badInput('returnAt', `New return must be later than the current return (${fmt(before.return_at)})`);
    const customer = customerOf(before.customer_id);
    const vehicle = vehicleOf(before.vehicle_id);
    checkLicence(customer, returnAt);
    const pl = fleetRepo.getLocation(before.pickup_location_id) as LocationRow;
    const rl = fleetRepo.getLocation(before.return_location_id) as LocationRow;
    const next: BookingRow = { ...before, return_at: returnAt, updated_at: at.toISOString() };
    const q = priceFacts(bookingCard(before), facts(next, customer, pl, rl), shop().timeZone, at);
    db.transaction(() => {
      checkConflicts(vehicle, next.pickup_at, returnAt, before.id);
      next.quote_id = writeQuote(repo, before.id, q, 'extend', installId, at.toISOString());
      next.total = q.total;
      saveUpdate(next);
      audit('booking.extend', ctx, next, { returnAt: before.return_at, total: before.total, currency: before.currency }, { returnAt, total: q.total, currency: q.currency }, at);
    })();
    return get(before.id);
  }

  function endReservation(kind: 'cancel' | 'no_show', input: { id: string; expectedVersion?: number | undefined; reason: string }, ctx: Ctx): BookingDetail {
    const at = now();
    const before = load(input.id);
    staleVersion(before.ref, input.expectedVersion, before.version);
    requireStatus(before, ['reserved'], kind === 'cancel' ? 'cancelled' : 'marked a no-show');
    if (kind === 'no_show' && at.toISOString() < before.pickup_at) {
      throw new PosError('conflict', `${before.ref} is due at ${fmt(before.pickup_at)}; it can be marked a no-show only after its pickup time.`);
    }
    const next: BookingRow = {
      ...before,
      status: kind === 'cancel' ? 'cancelled' : 'no_show',
      cancelled_at: at.toISOString(),
      cancelled_by: ctx.staffId,
      cancel_reason: input.reason,
      updated_at: at.toISOString(),
    };
    db.transaction(() => {
      saveUpdate(next);
      audit(kind === 'cancel' ? 'booking.cancel' : 'booking.no_show', ctx, next, { status: before.status }, { status: next.status, reason: input.reason }, at);
    })();
    return get(before.id);
  }

  function checkOut(input: CheckOutInput, ctx: Ctx): BookingDetail {
    const at = now();
    const before = load(input.id);
    staleVersion(before.ref, input.expectedVersion, before.version);
    requireStatus(before, ['reserved'], 'checked out');
    const outAt = input.at !== undefined ? toStored(input.at) : at.toISOString();
    if (Date.parse(outAt) > at.getTime() + FUTURE_SLACK_MS) throw badInput('at', 'Check-out time cannot be in the future');
    if (Date.parse(outAt) < Date.parse(before.pickup_at) - EARLY_CHECKOUT_MS) {
      throw new PosError('conflict', `${before.ref} is due for pickup on ${fmt(before.pickup_at)}; check it out on the day, or move the pickup first.`);
    }
    const vehicle = vehicleOf(before.vehicle_id);
    if (vehicle.status !== 'available') {
      const why = vehicle.status === 'on_rent' ? 'still out on another rental' : 'in service';
      throw new PosError('conflict', `${vehicle.plate} is ${why}. Swap the vehicle on this booking before checking out.`, { fields: { vehicleId: `${vehicle.plate} is ${why}` } });
    }
    if (input.odometer < vehicle.odometer) {
      throw badInput('odometer', `Odometer ${input.odometer.toLocaleString('en-GB')} is below the last reading for ${vehicle.plate} (${vehicle.odometer.toLocaleString('en-GB')}); check the reading`);
    }
    const customer = customerOf(before.customer_id);
    checkLicence(customer, before.return_at);
    const signatureRef = input.signature === null ? null : storeSignature(deps.dataDir, before.id, input.signature);
    const stamp = at.toISOString();
    const next: BookingRow = { ...before, status: 'checked_out', updated_at: stamp };
    const handover: HandoverRow = {
      id: newId(at.getTime()),
      booking_id: before.id,
      kind: 'out',
      at: outAt,
      odometer: input.odometer,
      fuel_eighths: input.fuelEighths,
      damage_notes: input.damageNotes,
      damage_json: '[]',
      photos_json: JSON.stringify(input.photos),
      signature_ref: signatureRef,
      staff_id: ctx.staffId,
      install_id: installId,
      version: 1,
      created_at: stamp,
      updated_at: stamp,
    };
    db.transaction(() => {
      repo.insertHandover(handover);
      saveUpdate(next);
      fleetRepo.setReadings(vehicle.id, input.odometer, input.fuelEighths, 'on_rent', stamp);
      audit('booking.check_out', ctx, next, { status: before.status }, {
        status: next.status,
        at: outAt,
        odometer: input.odometer,
        fuelEighths: input.fuelEighths,
        damageNotes: input.damageNotes,
        photos: input.photos,
        signatureRef,
      }, at);
    })();
    return get(before.id);
  }

  /**
   * Everything check-in decides before writing: the business rules (each naming its field) and
   * the re-priced quote. Reads only, so the preview and the save price a return the same way.
   */
  function priceCheckIn(input: CheckInInput, at: Date) {
    const before = load(input.id);
    staleVersion(before.ref, input.expectedVersion, before.version);
    requireStatus(before, ['checked_out'], 'checked in');
    const out = repo.handovers(before.id).find((h) => h.kind === 'out');
    if (!out) throw new PosError('internal', `${before.ref} has no check-out record.`);
    const returnedAt = input.returnedAt !== undefined ? toStored(input.returnedAt) : at.toISOString();
    if (returnedAt <= out.at) throw badInput('returnedAt', `Return time must be after the check-out (${fmt(out.at)})`);
    if (Date.parse(returnedAt) > at.getTime() + FUTURE_SLACK_MS) throw badInput('returnedAt', 'Return time cannot be in the future');
    if (input.odometer < out.odometer) {
      throw badInput('odometer', `Odometer ${input.odometer.toLocaleString('en-GB')} is below the reading at check-out (${out.odometer.toLocaleString('en-GB')}); check the reading`);
    }
    input.newDamage.forEach((d, i) => {
      if (d.currency !== before.currency) throw badInput(`newDamage.${i}.currency`, `Damage must be charged in ${before.currency}, the booking's currency`);
    });
    const customer = customerOf(before.customer_id);
    const vehicle = vehicleOf(before.vehicle_id);
    const pl = fleetRepo.getLocation(before.pickup_location_id) as LocationRow;
    const rl = fleetRepo.getLocation(before.return_location_id) as LocationRow;
    const q = priceFacts(
      bookingCard(before),
      {
        ...facts(before, customer, pl, rl),
        actualReturnAt: returnedAt,
        fuel: { outEighths: out.fuel_eighths, inEighths: input.fuelEighths, tankLitres: vehicle.tank_litres },
        odometer: { out: out.odometer, in: input.odometer },
        damages: input.newDamage.map((d) => ({ description: d.description, amount: d.amount })),
      },
      shop().timeZone,
      at,
    );
    return { before, vehicle, returnedAt, q };
  }

  function checkInPreview(input: CheckInInput, _ctx: Ctx): CheckInPreview {
    const { before, q } = priceCheckIn(input, now());
    const { paid, refunded } = repo.money(before.id);
    const cur = before.currency as CurrencyCode;
    return {
      quote: quoteToView(q),
      total: { amount: q.total, currency: cur },
      balanceDue: { amount: balanceDue('returned', q.total, paid, refunded), currency: cur },
    };
  }

  function checkIn(input: CheckInInput, ctx: Ctx): BookingDetail {
    const at = now();
    const { before, vehicle, returnedAt, q } = priceCheckIn(input, at);
    const stamp = at.toISOString();
    const next: BookingRow = { ...before, status: 'returned', total: q.total, updated_at: stamp };
    db.transaction(() => {
      repo.insertHandover({
        id: newId(at.getTime()),
        booking_id: before.id,
        kind: 'in',
        at: returnedAt,
        odometer: input.odometer,
        fuel_eighths: input.fuelEighths,
        damage_notes: input.notes,
        damage_json: JSON.stringify(input.newDamage.map((d) => ({ description: d.description, amount: d.amount, currency: d.currency }))),
        photos_json: '[]',
        signature_ref: null,
        staff_id: ctx.staffId,
        install_id: installId,
        version: 1,
        created_at: stamp,
        updated_at: stamp,
      });
      next.quote_id = writeQuote(repo, before.id, q, 'check_in', installId, stamp);
      saveUpdate(next);
      fleetRepo.setReadings(vehicle.id, input.odometer, input.fuelEighths, 'available', stamp);
      audit('booking.check_in', ctx, next, { status: before.status, total: before.total, currency: before.currency }, {
        status: next.status,
        at: returnedAt,
        odometer: input.odometer,
        fuelEighths: input.fuelEighths,
        newDamage: input.newDamage,
        lateMinutes: q.lateMinutes,
        total: q.total,
        currency: q.currency,
      }, at);
    })();
    return get(before.id);
  }

  function close(input: { id: string; expectedVersion?: number | undefined }, ctx: Ctx): BookingDetail {
    const at = now();
    const before = load(input.id);
    staleVersion(before.ref, input.expectedVersion, before.version);
    requireStatus(before, ['returned'], 'closed');
    const { paid, refunded } = repo.money(before.id);
    const due = before.total - paid + refunded;
    if (due > 0) {
      const owed = formatMoney({ amount: due, currency: before.currency as CurrencyCode }, shop().locale);
      throw new PosError('conflict', `${owed} is still due on ${before.ref}. Take the payment before closing it.`);
    }
    const next: BookingRow = { ...before, status: 'closed', closed_at: at.toISOString(), updated_at: at.toISOString() };
    db.transaction(() => {
      saveUpdate(next);
      audit('booking.close', ctx, next, { status: before.status }, { status: next.status }, at);
    })();
    return get(before.id);
  }

  function list(f: { from: string; to: string; vehicleId?: string | undefined; customerId?: string | undefined; statuses?: BookingStatus[] | undefined; limit: number }) {
    return repo.overlapping({ ...f, from: toStored(f.from), to: toStored(f.to) }).map(toSummary);
  }

  function customerWithBookings(id: string) {
    const c = customersRepo.get(id);
    if (!c) throw notFound('That customer');
    return { customer: toCustomer(c), bookings: repo.ofCustomer(id).map(toSummary) };
  }

  return {
    today,
    search,
    list,
    get,
    quote,
    create,
    modify,
    extend,
    cancel: (input, ctx) => endReservation('cancel', input, ctx),
    noShow: (input, ctx) => endReservation('no_show', input, ctx),
    checkOut,
    checkIn,
    checkInPreview,
    close,
    customerWithBookings,
  };
}

/** The engine's quote in the contract's shape (money with its currency). */
export function quoteToView(q: PriceQuote): QuoteView {
  const m = (amount: number) => ({ amount, currency: q.currency });
  return {
    currency: q.currency,
    taxMode: q.taxMode,
    taxRateBp: q.taxRateBp,
    rateCardId: q.rateCardId,
    rateCardVersion: q.rateCardVersion,
    rentalDays: q.rentalDays,
    lateMinutes: q.lateMinutes,
    lines: q.lines.map((l) => ({
      kind: l.kind,
      code: l.code,
      description: l.description,
      quantity: l.quantity,
      quantityScale: l.quantityScale,
      unitAmount: m(l.unitAmount),
      amount: m(l.amount),
      taxable: l.taxable,
      countsInTotal: l.countsInTotal,
    })),
    subtotal: m(q.subtotal),
    discountTotal: m(q.discountTotal),
    taxTotal: m(q.taxTotal),
    total: m(q.total),
    computedAt: q.computedAt,
  };
}

