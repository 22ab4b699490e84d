import { describe, expect, it } from 'vitest';
import { AVAILABLE_SQL } from '../../services/fleet/fleetRepo';
import { dbAt, explain, insertCustomer, insertLocation, insertVehicle, migrateTo } from './testHelpers';

describe('migration 0120 office admin', () => {
  it('keeps staff rows, allows the admin role and refuses unknown ones', () => {
    const db = dbAt(60);
    db.prepare("INSERT INTO staff (id, name, role, pin_hash, install_id, created_at, updated_at) VALUES ('S1', 'Ann', 'manager', 'h', 'I', 't', 't')").run();
    migrateTo(db, 120);
    expect(db.prepare('SELECT name, role, must_change_pin FROM staff').get()).toEqual({ name: 'Ann', role: 'manager', must_change_pin: 0 });
    db.prepare("INSERT INTO staff (id, name, role, pin_hash, install_id, created_at, updated_at) VALUES ('S2', 'Bo', 'admin', 'h', 'I', 't', 't')").run();
    expect(() => db.prepare("INSERT INTO staff (id, name, role, pin_hash, install_id, created_at, updated_at) VALUES ('S3', 'Cy', 'owner', 'h', 'I', 't', 't')").run()).toThrow(/CHECK/);
  });

  it('makes a VIN unique when given, checks its shape, and indexes downtime by vehicle', () => {
    const db = dbAt(120);
    insertLocation(db);
    insertVehicle(db, 'V1', 'AA-11');
    insertVehicle(db, 'V2', 'BB-22');
    insertVehicle(db, 'V3', 'CC-33');
    db.prepare("UPDATE vehicles SET vin = 'WVWZZZ1KZAW000001' WHERE id = 'V1'").run();
    expect(() => db.prepare("UPDATE vehicles SET vin = 'WVWZZZ1KZAW000001' WHERE id = 'V2'").run()).toThrow(/UNIQUE/);
    expect(() => db.prepare("UPDATE vehicles SET vin = 'SHORT' WHERE id = 'V2'").run()).toThrow(/CHECK/);
    // Two vehicles without a VIN are fine.
    expect(db.prepare('SELECT count(*) AS n FROM vehicles WHERE vin IS NULL').get()).toEqual({ n: 2 });
    expect(() =>
      db.prepare("INSERT INTO vehicle_downtime (id, vehicle_id, starts_at, ends_at, reason, install_id, created_at, updated_at) VALUES ('D1', 'V1', 'b', 'a', 'x', 'I', 't', 't')").run(),
    ).toThrow(/CHECK/);
    expect(explain(db, "SELECT * FROM vehicle_downtime WHERE vehicle_id = 'V1' AND ends_at > 'x' AND cancelled_at IS NULL")).toMatch(/vehicle_downtime_vehicle/);
    const plan = explain(db, AVAILABLE_SQL, { start: 'a', startG: 'a', ownStartG: 'a', endG: 'b', shopGap: 60, now: 'c', excludeId: null, class: null });
    expect(plan).toMatch(/vehicle_downtime_vehicle/);
    expect(plan).not.toMatch(/SCAN d\b/);
  });

  it('gives existing locations and customers neutral defaults', () => {
    const db = dbAt(60);
    insertLocation(db);
    insertCustomer(db);
    migrateTo(db, 120);
    expect(db.prepare('SELECT address, time_zone, opening_hours_json, turnaround_minutes, tax_rate_bp FROM locations').get()).toEqual({
      address: '', time_zone: '', opening_hours_json: '[]', turnaround_minutes: null, tax_rate_bp: null,
    });
    expect(db.prepare('SELECT erased_at, merged_into FROM customers').get()).toEqual({ erased_at: null, merged_into: null });
    expect(() => db.prepare("UPDATE locations SET currency = 'euro'").run()).toThrow(/CHECK/);
  });
});
