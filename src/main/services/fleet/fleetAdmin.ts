import type { Downtime, DowntimeConflict, Vehicle } from '../../../shared/contract/fleet';
import { PosError } from '../../../shared/errors';
import type { Db } from '../../db/connection';
import { appendAudit } from '../../core/audit';
import type { CallContext } from '../../core/handlers';
import { badInput, staleVersion } from '../../core/errors';
import { newId } from '../../core/ids';
import { createFleetRepo } from './fleetRepo';
import type { VehicleRow } from './fleetRepo';

/**
 * The office's fleet work beyond add/edit (issue 15): moving a vehicle between locations and
 * taking it out of service for a date range. A period that overlaps bookings is still saved
 * (the garage slot is fixed); the bookings are answered so a manager can move them.
 */
type DowntimeRow = {
  id: string;
  vehicle_id: string;
  starts_at: string;
  ends_at: string;
  reason: string;
  cancelled_at: string | null;
};

type ConflictRow = { id: string; ref: string; status: string; pickup_at: string; return_at: string; customer_name: string };

export type FleetAdmin = {
  move(input: { id: string; expectedVersion?: number | undefined; locationId: string }, ctx: Actor): Vehicle;
  addDowntime(input: { vehicleId: string; from: string; to: string; reason: string }, ctx: Actor): { downtime: Downtime; conflicts: DowntimeConflict[] };
  listDowntime(vehicleId: string): { downtime: Downtime; conflicts: DowntimeConflict[] }[];
  cancelDowntime(id: string, ctx: Actor): Downtime;
  /** Class codes of vehicles still in the fleet (not retired): a rate card must price each. */
  classesInUse(): string[];
};

type Actor = Pick<CallContext, 'staffId' | 'role'>;

export function createFleetAdmin(deps: { db: Db; installId: string; now: () => Date; view: (r: VehicleRow) => Vehicle }): FleetAdmin {
  const { db, installId, now } = deps;
  const repo = createFleetRepo(db);
  const setLocation = db.prepare<{ id: string; locationId: string; at: string }>(
    'UPDATE vehicles SET location_id = @locationId, version = version + 1, updated_at = @at WHERE id = @id',
  );
  const insertDowntime = db.prepare(
    `INSERT INTO vehicle_downtime (id, vehicle_id, starts_at, ends_at, reason, created_by, install_id, created_at, updated_at)
     VALUES (@id, @vehicle_id, @starts_at, @ends_at, @reason, @created_by, @install_id, @at, @at)`,
  );
  const getDowntime = db.prepare<[string], DowntimeRow>('SELECT * FROM vehicle_downtime WHERE id = ?');
  const currentDowntime = db.prepare<[string, string], DowntimeRow>(
    'SELECT * FROM vehicle_downtime WHERE vehicle_id = ? AND ends_at > ? AND cancelled_at IS NULL ORDER BY starts_at',
  );
  const cancel = db.prepare<{ id: string; at: string }>(
    'UPDATE vehicle_downtime SET cancelled_at = @at, version = version + 1, updated_at = @at WHERE id = @id AND cancelled_at IS NULL',
  );
  const conflicts = db.prepare<{ vehicleId: string; from: string; to: string }, ConflictRow>(
    `SELECT b.id, b.ref, b.status, b.pickup_at, b.return_at, c.first_name || ' ' || c.last_name AS customer_name
     FROM bookings b JOIN customers c ON c.id = b.customer_id
     WHERE b.vehicle_id = @vehicleId AND b.status IN ('reserved', 'checked_out') AND b.return_at > @from AND b.pickup_at < @to
     ORDER BY b.pickup_at`,
  );
  const classes = db.prepare<[], string>('SELECT DISTINCT class FROM vehicles WHERE retired_at IS NULL ORDER BY class');

  const toDowntime = (r: DowntimeRow): Downtime => ({ id: r.id, vehicleId: r.vehicle_id, from: r.starts_at, to: r.ends_at, reason: r.reason, cancelled: r.cancelled_at !== null });
  const conflictsOf = (r: DowntimeRow): DowntimeConflict[] =>
    conflicts.all({ vehicleId: r.vehicle_id, from: r.starts_at, to: r.ends_at }).map((c) => ({
      bookingId: c.id,
      ref: c.ref,
      customerName: c.customer_name,
      pickupAt: c.pickup_at,
      returnAt: c.return_at,
      status: c.status,
    }));

  function vehicleOf(id: string, field: string): VehicleRow {
    const v = repo.getVehicle(id);
    if (!v) throw badInput(field, 'No vehicle with this id; it may have been removed. Reload the fleet list.');
    return v;
  }

  return {
    move(input, ctx) {
      return db.transaction(() => {
        const v = vehicleOf(input.id, 'id');
        staleVersion(v.plate, input.expectedVersion, v.version);
        const to = repo.getLocation(input.locationId);
        if (!to) throw badInput('locationId', 'No location with this id; reload the list of locations');
        if (v.retired_at !== null) throw badInput('id', `${v.plate} is retired; it cannot be moved`);
        if (v.location_id === to.id) return deps.view(v);
        setLocation.run({ id: v.id, locationId: to.id, at: now().toISOString() });
        appendAudit(db, installId, {
          actorId: ctx.staffId, actorRole: ctx.role, action: 'vehicle.move', entityType: 'vehicle', entityId: v.id,
          before: { location_id: v.location_id }, after: { location_id: to.id },
        });
        return deps.view(repo.getVehicle(v.id) as VehicleRow);
      })();
    },

    addDowntime(input, ctx) {
      const from = new Date(input.from).toISOString();
      const to = new Date(input.to).toISOString();
      if (to <= from) throw badInput('to', 'Back in service must be after out of service');
      if (to <= now().toISOString()) throw badInput('to', 'This period is already over; enter one that ends in the future');
      return db.transaction(() => {
        const v = vehicleOf(input.vehicleId, 'vehicleId');
        if (v.retired_at !== null) throw badInput('vehicleId', `${v.plate} is retired`);
        const overlap = currentDowntime.all(v.id, from).find((d) => d.starts_at < to);
        if (overlap) {
          throw new PosError('conflict', `${v.plate} is already out of service from ${overlap.starts_at.slice(0, 10)} to ${overlap.ends_at.slice(0, 10)}; change that period instead.`, {
            fields: { from: 'Overlaps another out-of-service period' },
          });
        }
        const id = newId();
        insertDowntime.run({ id, vehicle_id: v.id, starts_at: from, ends_at: to, reason: input.reason, created_by: ctx.staffId, install_id: installId, at: now().toISOString() });
        appendAudit(db, installId, {
          actorId: ctx.staffId, actorRole: ctx.role, action: 'vehicle.downtime', entityType: 'vehicle', entityId: v.id, after: { from, to, reason: input.reason },
        });
        const row = getDowntime.get(id) as DowntimeRow;
        return { downtime: toDowntime(row), conflicts: conflictsOf(row) };
      })();
    },

    listDowntime(vehicleId) {
      vehicleOf(vehicleId, 'vehicleId');
      return currentDowntime.all(vehicleId, now().toISOString()).map((r) => ({ downtime: toDowntime(r), conflicts: conflictsOf(r) }));
    },

    cancelDowntime(id, ctx) {
      return db.transaction(() => {
        const d = getDowntime.get(id);
        if (!d) throw badInput('id', 'No such out-of-service period; reload the vehicle');
        if (d.cancelled_at === null) {
          cancel.run({ id, at: now().toISOString() });
          appendAudit(db, installId, { actorId: ctx.staffId, actorRole: ctx.role, action: 'vehicle.downtime_cancel', entityType: 'vehicle', entityId: d.vehicle_id, after: { downtimeId: id } });
        }
        return toDowntime(getDowntime.get(id) as DowntimeRow);
      })();
    },

    classesInUse: () => classes.pluck().all(),
  };
}
