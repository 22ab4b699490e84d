import type { Migration } from '../migrate';

/**
 * Where a car will be at a pickup (fleet position): the return location of its last live
 * booking ending before the pickup. A partial index over live bookings only finds that booking
 * in one step per car; bookings_vehicle_return would walk back through every closed rental first.
 */
export const m0190BookingsLiveVehicle: Migration = {
  version: 190,
  name: 'bookings-live-vehicle',
  up(db) {
    db.exec(`CREATE INDEX bookings_live_vehicle_return ON bookings (vehicle_id, return_at) WHERE status IN ('reserved', 'checked_out')`);
  },
};
