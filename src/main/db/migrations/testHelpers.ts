import { openDatabase } from '../connection';
import type { Db } from '../connection';
import { migrate } from '../migrate';
import { MIGRATIONS } from './index';

/** An in-memory database brought up to `version` (inclusive). */
export function dbAt(version: number): Db {
  const db = openDatabase(':memory:');
  migrate(db, MIGRATIONS, version);
  return db;
}

export function migrateTo(db: Db, version: number): void {
  migrate(db, MIGRATIONS, version);
}

/** EXPLAIN QUERY PLAN details, one line per step, for asserting which index a query uses. */
export function explain(db: Db, sql: string, params: Record<string, unknown> = {}): string {
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[];
  return rows.map((r) => r.detail).join('\n');
}

const T = '2025-06-01T00:00:00.000Z';

export function insertLocation(db: Db, id = 'L1', code = 'AMS'): void {
  db.prepare('INSERT INTO locations (id, code, name, is_home, install_id, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?)').run(id, code, 'Amsterdam', 'I', T, T);
}

export function insertVehicle(db: Db, id = 'V1', plate = 'GH-123-K'): void {
  db.prepare(
    `INSERT INTO vehicles (id, plate, make, model, class, odometer, fuel_eighths, install_id, created_at, updated_at)
     VALUES (?, ?, 'Volkswagen', 'Golf', 'compact', 1000, 8, 'I', ?, ?)`,
  ).run(id, plate, T, T);
}

export function insertCustomer(db: Db, id = 'C1', last = 'Jansen', phone = '+31 6 1234 5678'): void {
  db.prepare(
    `INSERT INTO customers (id, first_name, last_name, email, phone, licence_number, licence_expiry, date_of_birth, install_id, created_at, updated_at)
     VALUES (?, 'Jan', ?, 'jan@example.com', ?, 'NL123', '2030-01-01', '1980-01-01', 'I', ?, ?)`,
  ).run(id, last, phone, T, T);
}

export function insertBooking(db: Db, id = 'B1', ref = 'KD-7F3K9', pickup = '2025-06-02T08:00:00.000Z', ret = '2025-06-03T08:00:00.000Z', vehicleId = 'V1', status = 'reserved'): void {
  db.prepare(
    `INSERT INTO bookings (id, ref, status, customer_id, vehicle_id, vehicle_class, pickup_location_id, return_location_id, pickup_at, return_at, total, currency, install_id, created_at, updated_at)
     VALUES (?, ?, ?, 'C1', ?, 'compact', 'L1', 'L1', ?, ?, 5000, 'EUR', 'I', ?, ?)`,
  ).run(id, ref, status, vehicleId, pickup, ret, T, T);
}
