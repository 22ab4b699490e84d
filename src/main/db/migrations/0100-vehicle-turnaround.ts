import type { Migration } from '../migrate';

/**
 * When each vehicle last came back. A returned car needs cleaning, refuelling and an inspection
 * before it is free again: availability and the booking conflict check keep it for the shop's
 * turnaround after this time, however early the rental ended (the booked return no longer
 * holds it once the booking is returned). Also an index of returned, not yet closed bookings, for the
 * counter's board of balances still due.
 */
export const m0100VehicleTurnaround: Migration = {
  version: 100,
  name: 'vehicle-turnaround',
  up(db) {
    db.exec(`
      ALTER TABLE vehicles ADD COLUMN returned_at TEXT;
      UPDATE vehicles SET returned_at = (
        SELECT max(h.at) FROM handovers h JOIN bookings b ON b.id = h.booking_id
        WHERE b.vehicle_id = vehicles.id AND h.kind = 'in');
      -- Today's board keeps returned bookings with a balance due until they are settled and closed.
      CREATE INDEX bookings_returned ON bookings (return_at) WHERE status = 'returned';
    `);
  },
};
