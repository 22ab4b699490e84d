/** Check-out and check-in (with its preview): readings, damage, and the re-priced return. */
import { newId } from '../../core/ids';
import type { BookingDetail } from '../../../shared/contract/bookings';
import { PosError } from '../../../shared/errors';
import type { CurrencyCode } from '../../../shared/money';
import type { LocationRow } from '../fleet/index';
import { badInput, staleVersion } from '../../core/errors';
import { priceFacts } from './bookingPricing';
import type { BookingRow, HandoverRow } from './bookingsRepo';
import { balanceDue } from './bookingView';
import { writeQuote } from './quoteStore';
import { toStored } from '../../core/shopTime';
import { requireStoredFiles, storeSignature } from './signatureStore';
import type { BookingContext, CheckInInput, CheckInPreview, CheckOutInput, Ctx } from './bookingContext';
import { quoteToView } from './bookingView';

export function createHandovers(k: BookingContext, get: (id: string) => BookingDetail) {
  const { deps, db, installId, now, repo, fleetRepo, shop, load, customerOf, vehicleOf, requireStatus, checkLicence, bookingCard, facts, audit, saveUpdate, keptTerms, EARLY_CHECKOUT_MS, FUTURE_SLACK_MS } = k;

  function checkOut(input: CheckOutInput, ctx: Ctx): BookingDetail {
    const at = now();
    const before = load(input.id);
    staleVersion(before.ref, input.expectedVersion, before.version);
    requireStatus(before, ['reserved'], 'checked out');
    const outAt = input.at !== undefined ? toStored(input.at) : at.toISOString();
    if (Date.parse(outAt) > at.getTime() + FUTURE_SLACK_MS) throw badInput('at', 'Check-out time cannot be in the future');
    if (Date.parse(outAt) < Date.parse(before.pickup_at) - EARLY_CHECKOUT_MS) {
      throw new PosError('conflict', `${before.ref} is due for pickup on ${k.fmtIn(before.pickup_at, k.termsOf(before.pickup_location_id).timeZone)}; check it out on the day, or move the pickup first.`);
    }
    const vehicle = vehicleOf(before.vehicle_id);
    if (vehicle.status !== 'available') {
      const why = vehicle.status === 'on_rent' ? 'still out on another rental' : 'in service';
      throw new PosError('conflict', `${vehicle.plate} is ${why}. Swap the vehicle on this booking before checking out.`, { fields: { vehicleId: `${vehicle.plate} is ${why}` } });
    }
    if (input.odometer < vehicle.odometer) {
      throw badInput('odometer', `Odometer ${input.odometer.toLocaleString(shop().locale)} is below the last reading for ${vehicle.plate} (${vehicle.odometer.toLocaleString(shop().locale)}); check the reading`);
    }
    const customer = customerOf(before.customer_id);
    checkLicence(customer, before.return_at, before.pickup_at, bookingCard(before), 'customerId', k.termsOf(before.pickup_location_id).timeZone);
    deps.beforeCheckOut?.(before.id);
    requireStoredFiles(deps.dataDir, input.photos, 'photos');
    const signatureRef = input.signature === null ? null : storeSignature(deps.dataDir, before.id, input.signature);
    const stamp = at.toISOString();
    const next: BookingRow = { ...before, status: 'checked_out', car_assigned: 1, updated_at: stamp };
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
      marks_json: JSON.stringify(input.marks),
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
        marks: input.marks,
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
    if (returnedAt <= out.at) throw badInput('returnedAt', `Return time must be after the check-out (${k.fmtIn(out.at, k.termsOf(before.pickup_location_id).timeZone)})`);
    if (Date.parse(returnedAt) > at.getTime() + FUTURE_SLACK_MS) throw badInput('returnedAt', 'Return time cannot be in the future');
    if (input.odometer < out.odometer) {
      throw badInput('odometer', `Odometer ${input.odometer.toLocaleString(shop().locale)} is below the reading at check-out (${out.odometer.toLocaleString(shop().locale)}); check the reading`);
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
      keptTerms(before),
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
    requireStoredFiles(deps.dataDir, input.photos, 'photos');
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
        photos_json: JSON.stringify(input.photos),
        marks_json: JSON.stringify(input.marks),
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
      // The car stands where it was returned: a one-way rental leaves it at the return location.
      const parkedAt = fleetRepo.getVehicle(vehicle.id)?.location_id ?? null; // read under the write lock: a manager may have moved it
      const moved = parkedAt !== before.return_location_id;
      if (moved) fleetRepo.moveTo(vehicle.id, before.return_location_id);
      repo.markReturned(vehicle.id, returnedAt);
      audit('booking.check_in', ctx, next, { status: before.status, total: before.total, currency: before.currency }, {
        status: next.status,
        at: returnedAt,
        odometer: input.odometer,
        fuelEighths: input.fuelEighths,
        newDamage: input.newDamage,
        photos: input.photos,
        marks: input.marks,
        lateMinutes: q.lateMinutes,
        total: q.total,
        currency: q.currency,
        ...(moved ? { vehicleLocation: { from: parkedAt, to: before.return_location_id } } : {}),
      }, at);
    })();
    return get(before.id);
  }

  return { checkOut, checkIn, checkInPreview };
}
