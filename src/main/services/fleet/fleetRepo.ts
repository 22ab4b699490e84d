import type { Db } from '../../db/connection';

export type VehicleRow = {
  id: string;
  plate: string;
  vin: string | null;
  make: string;
  model: string;
  colour: string;
  year: number | null;
  class: string;
  odometer: number;
  fuel_eighths: number;
  tank_litres: number;
  status: 'available' | 'on_rent' | 'in_service';
  location_id: string | null;
  notes: string;
  /** Set when the office retired the vehicle; it stays for the bookings that name it. */
  retired_at: string | null;
  install_id: string;
  version: number;
  created_at: string;
  updated_at: string;
};

export type VehicleInsert = Omit<VehicleRow, 'vin' | 'retired_at'> & Partial<Pick<VehicleRow, 'vin' | 'retired_at'>>;

export type LocationRow = {
  id: string;
  code: string;
  name: string;
  is_home: number;
  /** '' when the shop's applies (migration 0120). Optional only for rows built in tests. */
  time_zone?: string;
  install_id: string;
  version: number;
  created_at: string;
  updated_at: string;
};

/**
 * A rental window [start, end) for an availability check, with the turnaround around it (issue 15:
 * each location has its own). A car returned at a location is prepared there for that location's
 * turnaround (`shopGap` where it has none) before its next rental starts; the new rental's own
 * return location sets the gap after it (`endG`) and before downtime (`ownStartG`). `startG` is
 * `start` less the largest gap any location asks for: it only bounds the index range scan.
 */
export type BlockWindow = { start: string; startG: string; ownStartG: string; endG: string; shopGap: number; now: string; excludeId: string | null };

/** The turnaround minutes at booking `b`'s return location, the shop's when it has none (SQL). */
export function gapSql(b: string): string {
  return `coalesce((SELECT l.turnaround_minutes FROM locations l WHERE l.id = ${b}.return_location_id), @shopGap)`;
}

/** When the car is ready again after `at`, a return of booking `b` at its return location (SQL, ISO like toISOString). */
export function readyAfterSql(at: string, b: string): string {
  return `strftime('%Y-%m-%dT%H:%M:%fZ', ${at}, '+' || ${gapSql(b)} || ' minutes')`;
}

/**
 * Vehicles free for the whole window: not in service, no live booking overlapping it (the
 * turnaround at each booking's return location included), not held by a rental that is out and
 * overdue, and not being prepared after its last return (returned_at + that return location's
 * turnaround, migration 0100); not retired, and not out of service for any part of the window
 * (0120). Uses bookings_vehicle_return, bookings_out and vehicle_downtime_vehicle.
 */
export const AVAILABLE_SQL = `SELECT v.* FROM vehicles v
     WHERE v.status != 'in_service' AND v.retired_at IS NULL AND (@class IS NULL OR v.class = @class)
       AND (v.returned_at IS NULL OR v.returned_at <= @startG OR strftime('%Y-%m-%dT%H:%M:%fZ', v.returned_at, '+' || coalesce((
             SELECT l.turnaround_minutes FROM handovers h JOIN bookings rb ON rb.id = h.booking_id JOIN locations l ON l.id = rb.return_location_id
             WHERE h.kind = 'in' AND h.at = v.returned_at AND rb.vehicle_id = v.id LIMIT 1), @shopGap) || ' minutes') <= @start)
       AND NOT EXISTS (
         SELECT 1 FROM vehicle_downtime d
         WHERE d.vehicle_id = v.id AND d.cancelled_at IS NULL AND d.ends_at > @ownStartG AND d.starts_at < @endG)
       AND NOT EXISTS (
         SELECT 1 FROM bookings b
         WHERE b.vehicle_id = v.id AND b.return_at > @startG AND b.pickup_at < @endG
           AND b.status IN ('reserved', 'checked_out') AND b.id IS NOT @excludeId AND ${readyAfterSql('b.return_at', 'b')} > @start)
       AND NOT EXISTS (
         SELECT 1 FROM bookings b
         WHERE b.vehicle_id = v.id AND b.status = 'checked_out' AND @now > @startG AND b.pickup_at < @endG AND b.id IS NOT @excludeId
           AND ${readyAfterSql('@now', 'b')} > @start)
     ORDER BY v.class, v.plate`;

/**
 * AVAILABLE_SQL with each car's projected location at the pickup: the return location of its
 * last live booking (reserved or out) ending by the pickup, else where it stands now, else the
 * home location (a car never placed). Cars projected at @pickupLocation come first. The last
 * live booking is one step down bookings_live_vehicle_return (migration 0190) per free car.
 */
export const AVAILABLE_AT_SQL = `SELECT a.*, coalesce(
       (SELECT b.return_location_id FROM bookings b
        WHERE b.vehicle_id = a.id AND b.status IN ('reserved', 'checked_out') AND b.return_at <= @start AND b.id IS NOT @excludeId
        ORDER BY b.return_at DESC LIMIT 1),
       a.location_id, (SELECT l.id FROM locations l WHERE l.is_home = 1)) AS projected_location_id
     FROM (${AVAILABLE_SQL}) a
     ORDER BY projected_location_id IS NOT @pickupLocation, a.class, a.plate`;

export type AvailableRow = VehicleRow & { projected_location_id: string | null };

export type FleetRepo = ReturnType<typeof createFleetRepo>;

export function createFleetRepo(db: Db) {
  const getVehicle = db.prepare<[string], VehicleRow>('SELECT * FROM vehicles WHERE id = ?');
  const byPlate = db.prepare<[string], VehicleRow>('SELECT * FROM vehicles WHERE plate = ?');
  const byVin = db.prepare<[string], VehicleRow>('SELECT * FROM vehicles WHERE vin = ?');
  const list = db.prepare<{ class: string | null; status: string | null; like: string | null }, VehicleRow>(
    `SELECT * FROM vehicles
     WHERE (@class IS NULL OR class = @class) AND (@status IS NULL OR status = @status)
       AND (@like IS NULL OR plate LIKE @like OR make LIKE @like OR model LIKE @like OR replace(plate, '-', '') LIKE @like)
     ORDER BY class, plate`,
  );
  const available = db.prepare<BlockWindow & { class: string | null }, VehicleRow>(
    AVAILABLE_SQL,
  );
  const availableAt = db.prepare<BlockWindow & { class: string | null; pickupLocation: string | null }, AvailableRow>(AVAILABLE_AT_SQL);
  const insertVehicle = db.prepare<[VehicleRow]>(
    `INSERT INTO vehicles (id, plate, vin, make, model, colour, year, class, odometer, fuel_eighths, tank_litres, status, location_id, notes, retired_at, install_id, version, created_at, updated_at)
     VALUES (@id, @plate, @vin, @make, @model, @colour, @year, @class, @odometer, @fuel_eighths, @tank_litres, @status, @location_id, @notes, @retired_at, @install_id, @version, @created_at, @updated_at)`,
  );
  const updateVehicle = db.prepare<[VehicleRow]>(
    `UPDATE vehicles SET plate = @plate, vin = @vin, retired_at = @retired_at, make = @make, model = @model, colour = @colour, year = @year, class = @class,
       odometer = @odometer, fuel_eighths = @fuel_eighths, tank_litres = @tank_litres, status = @status, location_id = @location_id,
       notes = @notes, version = version + 1, updated_at = @updated_at
     WHERE id = @id`,
  );
  const setReadings = db.prepare<{ id: string; odometer: number; fuel: number; status: string; now: string }>(
    'UPDATE vehicles SET odometer = @odometer, fuel_eighths = @fuel, status = @status, version = version + 1, updated_at = @now WHERE id = @id',
  );
  const moveTo = db.prepare<{ id: string; locationId: string }>('UPDATE vehicles SET location_id = @locationId WHERE id = @id');
  const bookingsAhead = db.prepare<[string, string], string>(
    "SELECT ref FROM bookings WHERE vehicle_id = ? AND status IN ('reserved', 'checked_out') AND return_at > ? ORDER BY pickup_at",
  );
  const locations = db.prepare<[], LocationRow>('SELECT * FROM locations ORDER BY is_home DESC, name');
  const getLocation = db.prepare<[string], LocationRow>('SELECT * FROM locations WHERE id = ?');
  const home = db.prepare<[], LocationRow>('SELECT * FROM locations WHERE is_home = 1');
  const insertLocation = db.prepare<[LocationRow]>(
    `INSERT INTO locations (id, code, name, is_home, install_id, version, created_at, updated_at)
     VALUES (@id, @code, @name, @is_home, @install_id, @version, @created_at, @updated_at)`,
  );

  return {
    getVehicle: (id: string) => getVehicle.get(id),
    byPlate: (plate: string) => byPlate.get(plate),
    byVin: (vin: string) => byVin.get(vin),
    /** Refs of live bookings of a vehicle that end after `at`. */
    bookingsAhead: (vehicleId: string, at: string) => bookingsAhead.pluck().all(vehicleId, at),
    list: (f: { class?: string | undefined; status?: string | undefined; query?: string | undefined }) => {
      const q = f.query?.trim();
      const like = q ? `%${q.replace(/[\\%_]/g, '')}%` : null;
      return list.all({ class: f.class ?? null, status: f.status ?? null, like });
    },
    available: (w: BlockWindow, cls: string | null) => available.all({ ...w, class: cls }),
    /** Free cars with where each will be at the window's start, those at `pickupLocation` first. */
    availableAt: (w: BlockWindow, cls: string | null, pickupLocation: string | null) => availableAt.all({ ...w, class: cls, pickupLocation }),
    /** VIN and retirement default to none (the demo seed writes rows without them). */
    insertVehicle: (row: VehicleInsert) => void insertVehicle.run({ vin: null, retired_at: null, ...row }),
    updateVehicle: (row: VehicleRow) => void updateVehicle.run(row),
    /** Readings and status after a handover. */
    setReadings: (id: string, odometer: number, fuel: number, status: VehicleRow['status'], now: string) =>
      void setReadings.run({ id, odometer, fuel, status, now }),
    /** Where the car now stands (check-in: the return location); the caller bumps the version (setReadings) and audits. */
    moveTo: (id: string, locationId: string) => void moveTo.run({ id, locationId }),
    locations: () => locations.all(),
    getLocation: (id: string) => getLocation.get(id),
    home: () => home.get(),
    insertLocation: (row: LocationRow) => void insertLocation.run(row),
  };
}
