/** Reads: one booking in full, today's board, search, lists, and a price quote that writes nothing. */
import type { BookingDetail, BookingStatus, DamageMark, QuoteView } from '../../../shared/contract/bookings';
import { PosError } from '../../../shared/errors';
import { assertWithinHorizon } from '../../../shared/contract/bookingHorizon';
import type { CurrencyCode } from '../../../shared/money';
import { listAudit } from '../../core/audit';
import { toCustomer } from '../customers/index';
import type { CustomerRow } from '../customers/index';
import type { LocationRow, VehicleRow } from '../fleet/index';
import { toLocation } from '../fleet/index';
import { buildFtsQuery } from '../search/index';
import { notFound } from '../../core/errors';
import { priceFacts } from './bookingPricing';
import type { SummaryRow } from './bookingsRepo';
import { describeAudit, owedOn, toQuoteView, toSummary } from './bookingView';
import { dayBounds, localDate, toStored } from '../../core/shopTime';
import type { BookingContext, QuoteInput, SearchResult, Selection } from './bookingContext';
import { quoteToView } from './bookingView';

export function createBookingQueries(k: BookingContext) {
  const { db, now, rates, fleet, repo, fleetRepo, customersRepo, staffRepo, searchRepo, shop, load, customerOf, vehicleOf, locationOf, bookingCard } = k;

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
    const { locale } = shop();
    // The history's booking times read as the Times card does: on the pickup location's clock.
    const pickupZone = k.termsOf(b.pickup_location_id).timeZone;
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
      carAssigned: b.car_assigned !== 0,
      owed: { amount: owedOn(b.status, b.total, b.end_fee), currency: cur },
      paid: { amount: s.paid, currency: cur },
      refunded: { amount: s.refunded, currency: cur },
      checkOut: out
        ? {
            at: out.at,
            odometer: out.odometer,
            fuelEighths: out.fuel_eighths,
            damageNotes: out.damage_notes,
            photos: JSON.parse(out.photos_json) as string[],
            marks: JSON.parse(out.marks_json ?? '[]') as DamageMark[],
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
            photos: JSON.parse(back.photos_json) as string[],
            marks: JSON.parse(back.marks_json ?? '[]') as DamageMark[],
            notes: back.damage_notes,
            staffId: back.staff_id,
            staffName: nameOf(back.staff_id),
          }
        : null,
      cancellation:
        b.cancelled_at !== null ? { at: b.cancelled_at, reason: b.cancel_reason ?? '', staffName: nameOf(b.cancelled_by) } : null,
      audit: auditRows.map((r) => ({ at: r.at, action: r.action, actorName: nameOf(r.actor_id), summary: describeAudit(r, pickupZone, locale) })),
      flags: repo.openFlags(b.id),
      createdAt: b.created_at,
      updatedAt: b.updated_at,
    };
  }

  /**
   * The counter's day at its own location, on that location's clock: pickups there, and rentals
   * coming back there. A counter has no setting naming its location yet, so its location is the
   * shop's home location (the default for new bookings too).
   */
  function today(date?: string) {
    const here = k.deps.locations.homeTerms();
    const timeZone = here?.timeZone ?? shop().timeZone;
    const loc = here?.id ?? null;
    const at = now();
    const day = date ?? localDate(at.getTime(), timeZone);
    const { start, end } = dayBounds(day, timeZone);
    return {
      date: day,
      timeZone,
      location: here ? { id: here.id, code: here.code, name: here.name } : null,
      pickups: repo.pickupsBetween(start, end, loc).map(toSummary),
      returns: repo.returnsBetween(start, end, loc).map(toSummary),
      overdue: repo.overdue(at.toISOString(), loc).map(toSummary),
      unsettled: repo.returnedOpen(loc).map(toSummary).filter((b) => b.balanceDue.amount > 0),
    };
  }

  function search(query: string, limit: number): SearchResult[] {
    const match = buildFtsQuery(query);
    if (match === null) return [];
    // "Today" is the counter's day, at its location (as on the board).
    const timeZone = k.deps.locations.homeTerms()?.timeZone ?? shop().timeZone;
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
    assertWithinHorizon(input, now(), k.deps.settings().bookingHorizonDays);
    // A change to a booking keeps the card it was priced on (extend and modify do the same).
    const saved = input.bookingId !== undefined ? load(input.bookingId) : undefined;
    const card = saved ? bookingCard(saved) : rates.current();
    const home = fleetRepo.home();
    const pl = locationOf(input.pickupLocationId, 'pickupLocationId', home);
    const rl = locationOf(input.returnLocationId, 'returnLocationId', pl);
    // The same refusals as create and modify: the locations' hours, the pickup location's currency.
    const pickupAt = toStored(input.pickupAt);
    const returnAt = toStored(input.returnAt);
    k.checkOpeningHours({
      ...(!saved || saved.pickup_at !== pickupAt || saved.pickup_location_id !== pl.id ? { pickup: { locationId: pl.id, at: pickupAt } } : {}),
      ...(!saved || saved.return_at !== returnAt || saved.return_location_id !== rl.id ? { ret: { locationId: rl.id, at: returnAt } } : {}),
    });
    // A saved booking at the same pickup location keeps the clock and tax it was quoted with.
    const terms = saved && saved.pickup_location_id === pl.id ? k.keptTerms(saved) : k.pricingTerms(pl.id, card);
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
        // A change to a saved booking keeps its extra drivers and discounts in the preview.
        ...(input.bookingId !== undefined ? k.deps.adjustments?.(input.bookingId) : undefined),
      },
      terms,
      at,
      vehicle ? 'vehicleId' : 'vehicleClass',
    );
    return quoteToView(q);
  }

  function list(f: { from: string; to: string; vehicleId?: string | undefined; customerId?: string | undefined; statuses?: BookingStatus[] | undefined; limit: number }) {
    return repo.overlapping({ ...f, from: toStored(f.from), to: toStored(f.to) }).map(toSummary);
  }

  function customerWithBookings(id: string) {
    const c = customersRepo.get(id);
    if (!c) throw notFound('That customer');
    return { customer: toCustomer(c), bookings: repo.ofCustomer(id).map(toSummary) };
  }


  return { get, today, search, quote, list, customerWithBookings };
}
