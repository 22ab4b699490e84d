import { describe, expect, it } from 'vitest';
import { dbAt, explain, insertBooking, insertCustomer, insertLocation, insertVehicle } from './testHelpers';

const T = '2025-06-01T00:00:00.000Z';

function shop() {
  const db = dbAt(70);
  insertLocation(db);
  insertVehicle(db);
  insertCustomer(db);
  insertBooking(db);
  db.prepare(
    `INSERT INTO payments (id, booking_id, kind, method, status, amount, currency, idempotency_key, install_id, created_at, updated_at)
     VALUES ('P1', 'B1', 'charge', 'cash', 'succeeded', 5000, 'EUR', 'k1', 'I', ?, ?)`,
  ).run(T, T);
  return db;
}

describe('migration 0070 payments', () => {
  it('keeps attempts append-only and refuses a bad change or last 4', () => {
    const db = shop();
    const attempt = db.prepare("INSERT INTO payment_attempts (id, payment_id, outcome, code, card_last4, install_id, created_at) VALUES (?, 'P1', ?, ?, ?, 'I', ?)");
    attempt.run('A1', 'declined', 'insufficient_funds', '4242', T);
    expect(() => attempt.run('A2', 'maybe', null, null, T)).toThrow(/CHECK/);
    expect(() => attempt.run('A3', 'declined', null, '42', T)).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE payment_attempts SET outcome = 'succeeded' WHERE id = 'A1'").run()).toThrow(/append-only/);
    expect(() => db.prepare("DELETE FROM payment_attempts WHERE id = 'A1'").run()).toThrow(/kept/);
    expect(() => db.prepare("UPDATE payments SET change_given = -1 WHERE id = 'P1'").run()).toThrow(/CHECK/);
    expect(explain(db, "SELECT * FROM payment_attempts WHERE payment_id = 'P1'")).toMatch(/payment_attempts_payment/);
  });

  it('lets a till select one reader only', () => {
    const db = shop();
    const reader = db.prepare("INSERT INTO terminal_readers (id, label, device_type, selected, install_id, created_at, updated_at) VALUES (?, 'Desk', 'simulated_wisepos_e', ?, 'I', ?, ?)");
    reader.run('tmr_1', 1, T, T);
    reader.run('tmr_2', 0, T, T);
    expect(() => reader.run('tmr_3', 1, T, T)).toThrow(/UNIQUE/);
  });

  it('needs a reason and a real manager for an unpaid handover', () => {
    const db = shop();
    const staff = db.prepare('SELECT id FROM staff LIMIT 1').pluck().get() as string | undefined;
    const ins = db.prepare("INSERT INTO handover_overrides (id, booking_id, approved_by, reason, amount_due, currency, install_id, created_at) VALUES (?, 'B1', ?, ?, 100, 'EUR', 'I', ?)");
    expect(() => ins.run('H1', 'nobody', 'Regular customer', T)).toThrow(/FOREIGN KEY/);
    if (staff) expect(() => ins.run('H2', staff, '', T)).toThrow(/CHECK/);
  });
});
