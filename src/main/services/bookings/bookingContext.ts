/**
 * What every booking operation shares: the repositories, the shop's settings, and the checks
 * that name the bad field. Built once per service; the operation modules destructure it.
 */
import type { z } from 'zod';
import type { BookingStatus, bookingCheckInPreviewSchema, bookingCheckInSchema, bookingCheckOutSchema, bookingCreateSchema, bookingModifySchema, bookingQuoteSchema } from '../../../shared/contract/bookings';
import type { bookingSearchResultSchema } from '../../../shared/contract/search';
import type { Settings } from '../../../shared/contract/settings';
import { PosError } from '../../../shared/errors';
import type { Db } from '../../db/connection';
import type { CallContext } from '../../core/handlers';
import { appendAudit } from '../../core/audit';
import type { PersonalPart } from '../../core/audit';
import { createCustomersRepo } from '../customers/index';
import type { CustomerRow } from '../customers/index';
import { createFleetRepo } from '../fleet/index';
import type { LocationRow, VehicleRow } from '../fleet/index';
import { blockWindow } from '../fleet/index';
import type { FleetService } from '../fleet/index';
import { createSearchRepo } from '../search/index';
import { createStaffRepo } from '../staff/index';
import { badInput, notFound } from '../../core/errors';
import type { PriceFacts, PriceTerms } from './bookingPricing';
import type { LocationsApi, LocationTerms } from '../locations/index';
import { createBookingsRepo } from './bookingsRepo';
import type { BookingRow } from './bookingsRepo';
import type { LoadedCard, RateCardService } from '../pricing/index';
import { ageOn, dayBounds, formatShopTime, localDate } from '../../core/shopTime';

export type Ctx = Pick<CallContext, 'staffId' | 'role'>;
export type Selection = { code: string; quantity: number };
export type CreateInput = z.output<typeof bookingCreateSchema>;
export type QuoteInput = z.output<typeof bookingQuoteSchema>;
export type ModifyInput = z.output<typeof bookingModifySchema>;
export type CheckOutInput = z.output<typeof bookingCheckOutSchema>;
export type CheckInInput = z.output<typeof bookingCheckInSchema>;
export type SearchResult = z.output<typeof bookingSearchResultSchema>;
export type CheckInPreview = z.output<typeof bookingCheckInPreviewSchema>;

export type BookingsDeps = {
  db: Db;
  installId: string;
  now: () => Date;
  settings: () => Settings;
  rates: RateCardService;
  fleet: FleetService;
  /** Each location's clock, currency, tax, turnaround and hours (the shop's where it has none). */
  locations: LocationsApi;
  /** Folder signatures are saved under; null where none may be written. */
  dataDir: string | null;
  /** Extra drivers and discounts of a saved booking, priced into every quote (drivers and discounts modules). */
  adjustments?: (bookingId: string) => Pick<PriceFacts, 'extraDriverBirthDates' | 'discounts'>;
  /** Payments' gate before the keys go (balance paid or a manager approved); throws the clerk's sentence. */
  beforeCheckOut?: (bookingId: string) => void;
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
/** How long ago a pickup may have started and still be booked, across midnight (a walk-in typed just before). */
const WALK_IN_GRACE_MS = 15 * 60_000;


/** "17 months ago", "3 days ago", "2 years ago": how long a date is past, in the largest whole unit. */
export function agoWords(past: string, today: string): string {
  const [py, pm, pd] = past.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  const months = (ty - py) * 12 + (tm - pm) - (td < pd ? 1 : 0);
  if (months >= 24) return `${Math.floor(months / 12)} years ago`;
  if (months >= 1) return `${months} ${months === 1 ? 'month' : 'months'} ago`;
  const days = Math.round((Date.parse(today) - Date.parse(past)) / 86_400_000);
  return days === 1 ? 'yesterday' : `${days} days ago`;
}

/** "30 Jun 2024" for a calendar date, in the shop's locale. */
function formatShopDate(date: string, locale: string): string {
  try {
    return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));
  } catch {
    return date;
  }
}

export type BookingContext = ReturnType<typeof createBookingContext>;

export function createBookingContext(deps: BookingsDeps) {
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
  /** A time on a location's own clock, for sentences about a booking there. */
  const fmtIn = (iso: string, timeZone: string) => formatShopTime(iso, timeZone, shop().locale);
  const termsOf = (locationId: string, field = 'pickupLocationId'): LocationTerms => deps.locations.termsOf(locationId, field);

  /**
   * What a new price is worked out with: the pickup location's clock (weekend days, driver ages)
   * and its own tax when it has one. Refused when the location takes another currency than the
   * card (one card prices one currency).
   */
  function pricingTerms(pickupLocationId: string, card: LoadedCard): PriceTerms {
    const t = termsOf(pickupLocationId);
    deps.locations.assertCardCurrency(t, card.card.currency, 'pickupLocationId');
    return { timeZone: t.timeZone, ...(t.tax ? { tax: t.tax } : {}) };
  }

  /**
   * What a saved booking is re-priced with: the clock and tax of the quote it holds, so a later
   * change to its location's tax never silently reprices it (the card version is kept the same
   * way). Quotes stored before tax names were recorded used the card's tax.
   */
  function keptTerms(b: BookingRow): PriceTerms {
    const q = b.quote_id ? repo.getQuote(b.quote_id) : undefined;
    if (!q) return pricingTerms(b.pickup_location_id, bookingCard(b));
    const card = bookingCard(b).card;
    return { timeZone: q.time_zone, tax: { name: q.tax_name ?? card.tax.name, rateBp: q.tax_rate_bp } };
  }

  /**
   * Pickup and return must fall within the locations' opening hours (no hours stored: always
   * open). Only the ends that changed are checked, so a later change to the hours does not lock
   * the notes of a booking made before it.
   */
  function checkOpeningHours(ends: { pickup?: { locationId: string; at: string }; ret?: { locationId: string; at: string } }): void {
    const fields: Record<string, string> = {};
    const p = ends.pickup && deps.locations.closedSentence(termsOf(ends.pickup.locationId), ends.pickup.at, 'Pickup');
    const r = ends.ret && deps.locations.closedSentence(termsOf(ends.ret.locationId, 'returnLocationId'), ends.ret.at, 'Return');
    if (p) fields.pickupAt = p;
    if (r) fields.returnAt = r;
    // Both ends at once, so the clerk fixes them in one go.
    if (p || r) throw new PosError('invalid_input', [p, r].filter(Boolean).join(' '), { fields });
  }

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

  /**
   * May this customer drive this rental? Every reason at once, in words that match the facts: a
   * licence already expired (and how long ago) is not one that "expires before the return", and
   * a driver under the rate card's minimum age is told in the same sentence as the licence.
   */
  function checkLicence(c: CustomerRow, returnAt: string, pickupAt: string, card: LoadedCard, field = 'customerId', timeZone = shop().timeZone): void {
    const name = `${c.first_name} ${c.last_name}`;
    const today = localDate(now().getTime(), timeZone);
    const returnDate = localDate(Date.parse(returnAt), timeZone);
    const pickupDate = localDate(Date.parse(pickupAt), timeZone);
    const reasons: string[] = [];
    if (c.licence_expiry < today) {
      reasons.push(`${name}'s driving licence expired on ${showDate(c.licence_expiry)} (${agoWords(c.licence_expiry, today)}).`);
    } else if (c.licence_expiry < returnDate) {
      reasons.push(`${name}'s driving licence expires on ${showDate(c.licence_expiry)}, before the return on ${showDate(returnDate)}.`);
    }
    const minimum = card.card.minimumDriverAge;
    const age = ageOn(c.date_of_birth, pickupDate);
    if (minimum !== undefined && age < minimum) {
      reasons.push(`${name} is ${age} at pickup; this shop rents only to drivers aged ${minimum} or over.`);
    }
    if (reasons.length === 0) return;
    const fix = reasons.length > 1 ? 'Update the licence details, or choose another driver.' : c.licence_expiry < returnDate && c.licence_expiry >= today ? 'Update the licence details or shorten the booking.' : c.licence_expiry < today ? 'Update the licence details.' : 'Choose another driver.';
    throw badInput(field, `${reasons.join(' ')} ${fix}`);
  }

  const showDate = (date: string) => formatShopDate(date, shop().locale);

  function checkInService(v: VehicleRow): void {
    if (v.status === 'in_service') throw badInput('vehicleId', `${v.plate} is in service; choose another vehicle or put it back in the fleet first`);
  }

  function checkNotBeforeToday(pickupAt: string, timeZone = shop().timeZone): void {
    const at = now().getTime();
    const dayStart = dayBounds(localDate(at, timeZone), timeZone).start;
    // A walk-in typed a few minutes ago is still "now", even when midnight passed since.
    const graceStart = new Date(at - WALK_IN_GRACE_MS).toISOString();
    const start = graceStart < dayStart ? graceStart : dayStart;
    if (pickupAt < start) throw badInput('pickupAt', 'Pickup cannot be before today');
  }

  /** Refuses an overlap (turnaround included) naming the booking in the way; run inside the write transaction. */
  // Out of service for a date range (the office's downtime) overlapping the rental's window.
  const downtimeOverlap = db.prepare<[string, string, string], { starts_at: string; ends_at: string; reason: string }>(
    `SELECT starts_at, ends_at, reason FROM vehicle_downtime
      WHERE vehicle_id = ? AND cancelled_at IS NULL AND starts_at < ? AND ends_at > ? ORDER BY starts_at LIMIT 1`,
  );

  function checkConflicts(v: VehicleRow, pickupAt: string, returnAt: string, excludeId: string | null, returnLocationId: string, pickupLocationId?: string): void {
    const gaps = fleet.gaps(returnLocationId);
    const at = now();
    // Sentences read on the clock of the counter arranging the rental (its pickup location).
    const tz = pickupLocationId !== undefined ? termsOf(pickupLocationId).timeZone : shop().timeZone;
    const fmtHere = (iso: string) => fmtIn(iso, tz);
    // A car named by id is held to the same rules as the availability list.
    if (v.retired_at) throw badInput('vehicleId', `${v.plate} was retired from the fleet; choose another vehicle`);
    const down = downtimeOverlap.get(v.id, returnAt, pickupAt);
    if (down) {
      const sentence = `${v.plate} is out of service ${fmtHere(down.starts_at)} – ${fmtHere(down.ends_at)} (${down.reason}). Choose another vehicle or other times.`;
      throw new PosError('conflict', sentence, { fields: { vehicleId: sentence } });
    }
    const clash = repo.conflicts(v.id, blockWindow(pickupAt, returnAt, gaps, at, excludeId))[0];
    if (!clash) return;
    // The turnaround that parts the two rentals: the earlier one's return location's.
    const gap = clash.pickup_at < pickupAt ? clash.gap : gaps.own;
    if (clash.status === 'returned' || clash.status === 'closed') {
      const sentence =
        `${v.plate} came back at ${fmtHere(clash.return_at)} (${clash.ref}) and is being cleaned, refuelled and inspected ` +
        `until ${fmtHere(clash.ready_at)} (${clash.gap} minutes' turnaround). Choose another vehicle or a later pickup.`;
      throw new PosError('conflict', sentence, { fields: { vehicleId: sentence } });
    }
    const overdue = clash.status === 'checked_out' && clash.return_at < at.toISOString() ? ', out and overdue' : '';
    const turnaround = gap > 0 ? ` (with ${gap} minutes' turnaround between rentals)` : '';
    const sentence =
      `${v.plate} is already booked${turnaround}: ${clash.ref} for ${clash.customer_name}, ` +
      `${fmtHere(clash.pickup_at)} – ${fmtHere(clash.return_at)}${overdue}. Choose another vehicle or time.`;
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

  /** `personal`: what the row says about the customer (booking notes), kept outside the hash chain. */
  function audit(action: string, ctx: Ctx, b: BookingRow, before: object | undefined, after: object, at: Date, personal?: PersonalPart[]): void {
    appendAudit(db, installId, { actorId: ctx.staffId, actorRole: ctx.role, action, entityType: 'booking', entityId: b.id, before, after, ...(personal ? { personal } : {}) }, at);
  }

  /** A booking's notes as personal data about its customer, for the audit (nothing when empty). */
  const notesOf = (b: BookingRow, side: 'before' | 'after'): PersonalPart[] => (b.notes === '' ? [] : [{ subjectId: b.customer_id, [side]: { notes: b.notes } }]);

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
    // Notes may name the customer: the audit keeps them as personal data (`notesOf`), not here.
    total: b.total,
    currency: b.currency,
  });

  return {
    deps, db, installId, now, rates, fleet, repo, fleetRepo, customersRepo, staffRepo, searchRepo,
    shop, fmt, fmtIn, load, customerOf, vehicleOf, locationOf, requireStatus, checkLicence, checkInService,
    checkNotBeforeToday, checkConflicts, bookingCard, facts, audit, saveUpdate, snapshot, notesOf,
    termsOf, pricingTerms, keptTerms, checkOpeningHours,
    EARLY_CHECKOUT_MS, FUTURE_SLACK_MS,
  };
}
