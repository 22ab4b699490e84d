/**
 * The car for a reserved booking, chosen at pickup: any free car of the booked class or better,
 * found by plate. A better class is an upgrade the clerk charges (re-priced on the booking's own
 * card) or gives free (the price stays; audited as a free upgrade).
 */
import type { BookingDetail } from '../../../shared/contract/bookings';
import type { CurrencyCode } from '../../../shared/money';
import { formatMoney } from '../../../shared/money';
import { badInput, staleVersion } from '../../core/errors';
import type { LocationRow, VehicleRow } from '../fleet/index';
import { priceFacts } from './bookingPricing';
import type { BookingRow } from './bookingsRepo';
import { writeQuote } from './quoteStore';
import type { BookingContext, Ctx } from './bookingContext';

export type AssignInput = { id: string; expectedVersion?: number | undefined; vehicleId: string; upgrade?: 'charge' | 'free' | undefined };

export function createAssignCar(k: BookingContext, get: (id: string) => BookingDetail) {
  const { db, installId, now, repo, fleet, fleetRepo, shop, load, customerOf, vehicleOf, requireStatus, checkInService, checkConflicts, bookingCard, facts, audit, saveUpdate, keptTerms } = k;

  /** A class's standing on the booking's card: its daily rate (a class the card lacks ranks below all). */
  function rankOn(b: BookingRow) {
    const classes = bookingCard(b).card.classes;
    return (cls: string) => (Object.hasOwn(classes, cls) ? (classes[cls]?.dailyRate ?? -1) : -1);
  }

  function chargedTotal(b: BookingRow, vehicle: VehicleRow): number {
    const pl = fleetRepo.getLocation(b.pickup_location_id) as LocationRow;
    const rl = fleetRepo.getLocation(b.return_location_id) as LocationRow;
    return priceFacts(bookingCard(b), facts({ ...b, vehicle_class: vehicle.class }, customerOf(b.customer_id), pl, rl), keptTerms(b), now()).total;
  }

  /** Free cars of the booked class or better whose plate starts with (or contains) the query; same class first. */
  function assignable(input: { id: string; query: string }) {
    const b = load(input.id);
    requireStatus(b, ['reserved'], 'given another car');
    const rank = rankOn(b);
    const booked = rank(b.vehicle_class);
    const q = input.query.replace(/[\s-]/g, '').toUpperCase();
    const cur = b.currency as CurrencyCode;
    // Within a class, cars that will be at the pickup location come first.
    const away = (v: { projectedLocationId: string | null }) => v.projectedLocationId !== b.pickup_location_id;
    const free = fleet
      .availability({ from: b.pickup_at, to: b.return_at, excludeBookingId: b.id, returnLocationId: b.return_location_id, pickupLocationId: b.pickup_location_id })
      .filter((v) => v.status !== 'in_service' && rank(v.class) >= booked && v.plate.replace(/[\s-]/g, '').toUpperCase().includes(q))
      .sort((a, c) => rank(a.class) - rank(c.class) || Number(away(a)) - Number(away(c)) || a.plate.localeCompare(c.plate))
      .slice(0, 12);
    return {
      bookedClass: fleet.className(b.vehicle_class),
      cars: free.map((v) => {
        const upgrade = v.class !== b.vehicle_class;
        const row = fleetRepo.getVehicle(v.id) as VehicleRow;
        return { ...v, current: v.id === b.vehicle_id, upgrade, upgradeCharge: { amount: upgrade ? chargedTotal(b, row) - b.total : 0, currency: cur } };
      }),
    };
  }

  function assign(input: AssignInput, ctx: Ctx): BookingDetail {
    const at = now();
    const before = load(input.id);
    staleVersion(before.ref, input.expectedVersion, before.version);
    requireStatus(before, ['reserved'], 'given another car');
    const vehicle = vehicleOf(input.vehicleId);
    checkInService(vehicle);
    if (vehicle.id === before.vehicle_id && before.car_assigned !== 0) return get(before.id);
    const rank = rankOn(before);
    const bookedName = fleet.className(before.vehicle_class);
    if (rank(vehicle.class) < rank(before.vehicle_class)) {
      throw badInput('vehicleId', `${vehicle.plate} is ${fleet.className(vehicle.class)}, below the ${bookedName} booked; choose a ${bookedName} or better`);
    }
    const upgrade = vehicle.class !== before.vehicle_class;
    if (upgrade && input.upgrade === undefined) {
      throw badInput('upgrade', `${vehicle.plate} is ${fleet.className(vehicle.class)}, an upgrade from ${bookedName}: choose whether the customer pays for it`);
    }
    const charged = upgrade && input.upgrade === 'charge';
    const next: BookingRow = { ...before, vehicle_id: vehicle.id, vehicle_class: charged ? vehicle.class : before.vehicle_class, car_assigned: 1, updated_at: at.toISOString() };
    const pl = fleetRepo.getLocation(before.pickup_location_id) as LocationRow;
    const rl = fleetRepo.getLocation(before.return_location_id) as LocationRow;
    const q = charged ? priceFacts(bookingCard(before), facts(next, customerOf(before.customer_id), pl, rl), keptTerms(before), at) : null;
    const oldPlate = fleetRepo.getVehicle(before.vehicle_id)?.plate ?? '';
    const money = (n: number) => formatMoney({ amount: n, currency: before.currency as CurrencyCode }, shop().locale);
    const summary = !upgrade
      ? vehicle.id === before.vehicle_id ? `Car ${vehicle.plate} given` : `Car ${oldPlate} → ${vehicle.plate}`
      : charged
        ? `Upgraded to ${fleet.className(vehicle.class)} ${vehicle.plate} (was ${oldPlate}), charged: total ${money(q?.total ?? before.total)}`
        : `Free upgrade to ${fleet.className(vehicle.class)} ${vehicle.plate} (was ${oldPlate}); price stays ${money(before.total)}`;
    db.transaction(() => {
      if (vehicle.id !== before.vehicle_id) checkConflicts(vehicle, next.pickup_at, next.return_at, before.id, before.return_location_id, before.pickup_location_id);
      if (q) {
        next.quote_id = writeQuote(repo, before.id, q, 'modify', installId, at.toISOString());
        next.total = q.total;
      }
      saveUpdate(next);
      const action = !upgrade ? 'booking.assign' : charged ? 'booking.upgrade_charged' : 'booking.upgrade_free';
      audit(action, ctx, next, { vehicleId: before.vehicle_id, plate: oldPlate, vehicleClass: before.vehicle_class, total: before.total }, { vehicleId: vehicle.id, plate: vehicle.plate, vehicleClass: vehicle.class, pricedClass: next.vehicle_class, total: next.total, currency: next.currency, summary }, at);
    })();
    return get(before.id);
  }

  return { assignable, assign };
}
