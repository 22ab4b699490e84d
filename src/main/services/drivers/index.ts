import type { Db } from '../../db/connection';
import type { ModuleWithApi } from '../../core/module';
import { badInput } from '../../core/errors';
import { newId } from '../../core/ids';

/**
 * Additional drivers on a booking (issue 15): stored here; the discounts module re-prices the
 * booking when one is added or removed, and bookings price every driver's age into its quotes.
 */
export type DriverRow = {
  id: string;
  booking_id: string;
  name: string;
  licence_number: string;
  licence_expiry: string;
  date_of_birth: string;
};

export type DriversApi = {
  list(bookingId: string): DriverRow[];
  birthDates(bookingId: string): string[];
  /** Call inside the caller's transaction. */
  add(input: { bookingId: string; name: string; licenceNumber: string; licenceExpiry: string; dateOfBirth: string }, at: string): DriverRow;
  remove(bookingId: string, driverId: string, at: string): DriverRow;
};

/** Most drivers on one booking, the main driver included (the pricing engine's limit is 9). */
export const MAX_DRIVERS = 9;

export function createDriversModule(deps: { db: Db; installId: string }): ModuleWithApi<DriversApi> {
  const { db, installId } = deps;
  const list = db.prepare<[string], DriverRow>('SELECT * FROM booking_drivers WHERE booking_id = ? AND removed_at IS NULL ORDER BY created_at, id');
  const get = db.prepare<[string, string], DriverRow>('SELECT * FROM booking_drivers WHERE booking_id = ? AND id = ? AND removed_at IS NULL');
  const insert = db.prepare(
    `INSERT INTO booking_drivers (id, booking_id, name, licence_number, licence_expiry, date_of_birth, install_id, created_at, updated_at)
     VALUES (@id, @booking_id, @name, @licence_number, @licence_expiry, @date_of_birth, @install_id, @at, @at)`,
  );
  const remove = db.prepare<{ id: string; at: string }>('UPDATE booking_drivers SET removed_at = @at, version = version + 1, updated_at = @at WHERE id = @id');
  const api: DriversApi = {
    list: (bookingId) => list.all(bookingId),
    birthDates: (bookingId) => list.all(bookingId).map((d) => d.date_of_birth),
    add(input, at) {
      if (list.all(input.bookingId).length + 1 >= MAX_DRIVERS) throw badInput('name', `A booking can have at most ${MAX_DRIVERS} drivers`);
      const row: DriverRow = {
        id: newId(),
        booking_id: input.bookingId,
        name: input.name,
        licence_number: input.licenceNumber.toUpperCase(),
        licence_expiry: input.licenceExpiry,
        date_of_birth: input.dateOfBirth,
      };
      insert.run({ ...row, install_id: installId, at });
      return row;
    },
    remove(bookingId, driverId, at) {
      const row = get.get(bookingId, driverId);
      if (!row) throw badInput('driverId', 'That driver is not on this booking; reload it');
      remove.run({ id: driverId, at });
      return row;
    },
  };
  return { name: 'drivers', handlers: {}, api };
}
