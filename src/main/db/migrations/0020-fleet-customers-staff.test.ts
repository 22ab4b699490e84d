import { describe, expect, it } from 'vitest';
import { dbAt, insertCustomer, insertLocation, insertVehicle, migrateTo } from './testHelpers';

describe('migration 0020 fleet, customers, staff, rate cards', () => {
  it('keeps settings written before it and adds the shared-record tables', () => {
    const db = dbAt(10);
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('shopName', '\"Airport\"', 'now')").run();
    migrateTo(db, 20);
    expect(db.prepare('SELECT value FROM settings').get()).toEqual({ value: '"Airport"' });
    insertLocation(db);
    insertVehicle(db);
    insertCustomer(db, 'C1', 'Jansen', '+31 (6) 12-34.56/78');
    // Every shared record carries its install and a version from the start.
    expect(db.prepare('SELECT install_id, version FROM vehicles').get()).toEqual({ install_id: 'I', version: 1 });
    expect(db.prepare('SELECT phone_digits, version FROM customers').get()).toEqual({ phone_digits: '31612345678', version: 1 });
  });

  it('refuses impossible readings and malformed dates', () => {
    const db = dbAt(20);
    insertLocation(db);
    expect(() =>
      db.prepare("INSERT INTO vehicles (id, plate, make, model, class, odometer, fuel_eighths, install_id, created_at, updated_at) VALUES ('V', 'AB', 'a', 'b', 'c', 1, 9, 'I', 't', 't')").run(),
    ).toThrow(/CHECK/);
    expect(() =>
      db.prepare("INSERT INTO vehicles (id, plate, make, model, class, odometer, fuel_eighths, install_id, created_at, updated_at) VALUES ('V', 'AB', 'a', 'b', 'c', 1.5, 8, 'I', 't', 't')").run(),
    ).toThrow(/cannot store REAL value in INTEGER column/);
    expect(() =>
      db.prepare("INSERT INTO customers (id, first_name, last_name, phone, licence_number, licence_expiry, date_of_birth, install_id, created_at, updated_at) VALUES ('C', 'a', 'b', '1', 'x', '31/01/2030', '1980-01-01', 'I', 't', 't')").run(),
    ).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO locations (id, code, name, is_home, install_id, created_at, updated_at) VALUES ('L2', 'RTM', 'R', 0, 'I', 't', 't')").run()).not.toThrow();
    // Only one home location.
    expect(() => db.prepare("INSERT INTO locations (id, code, name, is_home, install_id, created_at, updated_at) VALUES ('L3', 'EIN', 'E', 1, 'I', 't', 't')").run()).toThrow(/UNIQUE/);
  });

  it('keeps every rate card version unchanged', () => {
    const db = dbAt(20);
    db.prepare("INSERT INTO rate_cards (id, version, name, currency, card_json, install_id, created_at, updated_at) VALUES ('demo', 1, 'Demo', 'EUR', '{}', 'I', 't', 't')").run();
    expect(() => db.prepare("UPDATE rate_cards SET card_json = '{\"x\":1}'").run()).toThrow(/immutable/);
    expect(() => db.prepare('DELETE FROM rate_cards').run()).toThrow(/kept/);
  });
});
