import type { Location, Vehicle } from '../../../shared/contract/fleet';
import type { LocationRow, VehicleRow } from './fleetRepo';

export function toVehicle(r: VehicleRow, className: string): Vehicle {
  return {
    id: r.id,
    plate: r.plate,
    vin: r.vin,
    make: r.make,
    model: r.model,
    colour: r.colour,
    year: r.year,
    class: r.class,
    className,
    odometer: r.odometer,
    fuelEighths: r.fuel_eighths,
    tankLitres: r.tank_litres,
    status: r.retired_at !== null ? 'retired' : r.status,
    locationId: r.location_id,
    notes: r.notes,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function toLocation(r: LocationRow): Location {
  return { id: r.id, code: r.code, name: r.name, isHome: r.is_home === 1, timeZone: r.time_zone ?? '' };
}
