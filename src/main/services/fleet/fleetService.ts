import { newId } from '../../core/ids';
import type { z } from 'zod';
import type { AvailableVehicle, Location, Vehicle, VehicleStatus, vehicleUpsertSchema } from '../../../shared/contract/fleet';
import { PosError } from '../../../shared/errors';
import type { Db } from '../../db/connection';
import type { CallContext } from '../../core/handlers';
import { appendAudit } from '../../core/audit';
import { badInput, staleVersion } from '../../core/errors';
import type { LocationsApi } from '../locations/index';
import type { RateCardService } from '../pricing/index';
import { createFleetRepo } from './fleetRepo';
import type { BlockWindow, VehicleRow } from './fleetRepo';
import { toLocation, toVehicle } from './fleetView';

export type VehicleUpsertInput = z.output<typeof vehicleUpsertSchema>;

export type FleetService = {
  list(filter: { class?: string | undefined; status?: VehicleStatus | undefined; query?: string | undefined }): Vehicle[];
  /** Free cars for the window, each with where it will be at the pickup; those at the pickup location (default: home) first. */
  availability(q: AvailabilityQuery): AvailableVehicle[];
  /** Turnaround figures for a rental returned at this location (null: the home location). */
  gaps(returnLocationId: string | null): Gaps;
  upsert(input: VehicleUpsertInput, ctx: Pick<CallContext, 'staffId' | 'role'>): Vehicle;
  locations(): Location[];
  /** Class code → its name on the current rate card (the code itself when the card lacks it). */
  className(code: string): string;
  view(row: VehicleRow): Vehicle;
};

export type AvailabilityQuery = {
  from: string;
  to: string;
  class?: string | undefined;
  excludeBookingId?: string | undefined;
  returnLocationId?: string | undefined;
  pickupLocationId?: string | undefined;
};

export type FleetDeps = {
  db: Db;
  installId: string;
  now: () => Date;
  rates: RateCardService;
  turnaroundMinutes: () => number;
  /** Each location's own turnaround (falls back to `turnaroundMinutes`); absent: one gap everywhere. */
  locations?: Pick<LocationsApi, 'turnaround'>;
};

/** Turnaround minutes for one check: the new rental's return location's, the shop's, the largest of any location. */
export type Gaps = { own: number; shop: number; max: number };

/**
 * The booking window and the turnaround around it: a vehicle needs its return location's gap
 * between two rentals (a bare number: the same gap everywhere, as before locations had their own).
 */
export function blockWindow(from: string, to: string, gaps: Gaps | number, now: Date, excludeId: string | null = null): BlockWindow {
  const g = typeof gaps === 'number' ? { own: gaps, shop: gaps, max: gaps } : gaps;
  const at = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();
  return {
    start: new Date(from).toISOString(),
    startG: at(from, -Math.max(g.max, g.own, g.shop)),
    ownStartG: at(from, -g.own),
    endG: at(to, g.own),
    shopGap: g.shop,
    now: now.toISOString(),
    excludeId,
  };
}

export function createFleetService(deps: FleetDeps): FleetService {
  const { db, installId, now, rates } = deps;
  const repo = createFleetRepo(db);

  function className(code: string): string {
    const card = rates.currentOrNull();
    return card && Object.hasOwn(card.card.classes, code) ? (card.card.classes[code]?.name ?? code) : code;
  }
  const view = (r: VehicleRow) => toVehicle(r, className(r.class));

  function gaps(returnLocationId: string | null): Gaps {
    if (deps.locations) return deps.locations.turnaround(returnLocationId);
    const n = deps.turnaroundMinutes();
    return { own: n, shop: n, max: n };
  }

  function availability(q: AvailabilityQuery): AvailableVehicle[] {
    const w = blockWindow(q.from, q.to, gaps(q.returnLocationId ?? null), now(), q.excludeBookingId ?? null);
    if (q.pickupLocationId !== undefined && !repo.getLocation(q.pickupLocationId)) throw badInput('pickupLocationId', 'No location with this id; reload the list of locations');
    const pickup = q.pickupLocationId ?? repo.home()?.id ?? null;
    return repo.availableAt(w, q.class ?? null, pickup).map((r) => ({ ...view(r), projectedLocationId: r.projected_location_id }));
  }

  function upsert(input: VehicleUpsertInput, ctx: Pick<CallContext, 'staffId' | 'role'>): Vehicle {
    const card = rates.currentOrNull();
    if (card && !Object.hasOwn(card.card.classes, input.class)) {
      throw badInput('class', `Class "${input.class}" is not on the rate card (it has ${Object.keys(card.card.classes).join(', ')})`);
    }
    if (input.locationId !== null && !repo.getLocation(input.locationId)) throw badInput('locationId', 'No location with this id');
    return db.transaction(() => {
      const at = now().toISOString();
      const clash = repo.byPlate(input.plate);
      if (clash && clash.id !== input.id) {
        throw new PosError('conflict', `${input.plate} is already in the fleet (${clash.make} ${clash.model}).`, {
          fields: { plate: `${input.plate} is already in the fleet` },
        });
      }
      const vinClash = input.vin === null ? undefined : repo.byVin(input.vin);
      if (vinClash && vinClash.id !== input.id) {
        throw new PosError('conflict', `VIN ${input.vin} is already on ${vinClash.plate}; check the number on the vehicle's papers.`, {
          fields: { vin: `This VIN is already on ${vinClash.plate}` },
        });
      }
      const retiring = input.status === 'retired';
      const fields = {
        plate: input.plate,
        vin: input.vin,
        make: input.make,
        model: input.model,
        colour: input.colour,
        year: input.year,
        class: input.class,
        odometer: input.odometer,
        fuel_eighths: input.fuelEighths,
        tank_litres: input.tankLitres,
        location_id: input.locationId,
        notes: input.notes,
      };
      if (input.id === undefined) {
        const row: VehicleRow = {
          id: newId(),
          ...fields,
          status: retiring ? 'available' : (input.status as 'available' | 'in_service'),
          retired_at: retiring ? at : null,
          install_id: installId,
          version: 1,
          created_at: at,
          updated_at: at,
        };
        repo.insertVehicle(row);
        appendAudit(db, installId, { actorId: ctx.staffId, actorRole: ctx.role, action: 'vehicle.create', entityType: 'vehicle', entityId: row.id, after: fields });
        return view(row);
      }
      const before = repo.getVehicle(input.id);
      if (!before) throw badInput('id', 'No vehicle with this id; it may have been removed');
      staleVersion(before.plate, input.expectedVersion, before.version);
      // On rent is set by check-out and cleared by check-in; the admin form only toggles service.
      const status = before.status === 'on_rent' || retiring ? before.status : (input.status as 'available' | 'in_service');
      if (before.status === 'on_rent' && retiring) {
        throw new PosError('conflict', `${before.plate} is out on rent; check it in before retiring it.`, { fields: { status: 'The vehicle is out on rent' } });
      }
      if (retiring && before.retired_at === null) {
        const ahead = repo.bookingsAhead(before.id, at);
        if (ahead.length > 0) {
          throw new PosError('conflict', `${before.plate} still has ${ahead.length} booking(s) ahead (${ahead.slice(0, 3).join(', ')}); move them to another vehicle before retiring it.`, {
            fields: { status: `${ahead.length} booking(s) ahead` },
          });
        }
      }
      if (before.status === 'on_rent' && input.status === 'in_service') {
        throw new PosError('conflict', `${before.plate} is out on rent; check it in before putting it in service.`, {
          fields: { status: 'The vehicle is out on rent' },
        });
      }
      if (before.status === 'on_rent' && input.odometer < before.odometer) {
        throw badInput('odometer', `Odometer cannot go back while ${before.plate} is out`);
      }
      const retiredAt = retiring ? (before.retired_at ?? at) : null;
      const after: VehicleRow = { ...before, ...fields, status, retired_at: retiredAt, updated_at: at };
      const changed = (Object.keys(fields) as (keyof typeof fields)[]).filter((k) => before[k] !== after[k]);
      if (before.status !== status) changed.push('status' as never);
      if (before.retired_at !== retiredAt) changed.push('retired_at' as never);
      if (changed.length === 0) return view(before);
      repo.updateVehicle(after);
      appendAudit(db, installId, {
        actorId: ctx.staffId,
        actorRole: ctx.role,
        action: 'vehicle.update',
        entityType: 'vehicle',
        entityId: before.id,
        before: Object.fromEntries(changed.map((k) => [k, before[k as keyof VehicleRow]])),
        after: Object.fromEntries(changed.map((k) => [k, after[k as keyof VehicleRow]])),
      });
      return view(repo.getVehicle(before.id) as VehicleRow);
    })();
  }

  return {
    list: (f) => repo.list(f).map(view),
    availability,
    gaps,
    upsert,
    locations: () => repo.locations().map(toLocation),
    className,
    view,
  };
}
