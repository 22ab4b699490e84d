import { describe, expect, it } from 'vitest';
import { dbAt, insertBooking, insertCustomer, insertLocation, insertVehicle, migrateTo } from './testHelpers';

describe('migration 0080 refunds and outbox', () => {
  it('keeps refunds written before it, widens the states, and keeps amounts append-only', () => {
    const db = dbAt(70);
    insertLocation(db);
    insertVehicle(db);
    insertCustomer(db);
    insertBooking(db);
    db.prepare(
      `INSERT INTO payments (id, booking_id, kind, method, status, amount, amount_captured, currency, idempotency_key, install_id, created_at, updated_at)
       VALUES ('P1', 'B1', 'charge', 'card', 'succeeded', 5000, 5000, 'EUR', 'k1', 'I', 'now', 'now')`,
    ).run();
    db.prepare(
      `INSERT INTO refunds (id, payment_id, booking_id, amount, currency, reason, status, idempotency_key, install_id, created_at, updated_at)
       VALUES ('R1', 'P1', 'B1', 100, 'EUR', 'old', 'succeeded', 'rk1', 'I', 'now', 'now')`,
    ).run();
    migrateTo(db, 80);
    expect(db.prepare("SELECT method, reason_code, status FROM refunds WHERE id = 'R1'").get()).toEqual({ method: 'card', reason_code: 'other', status: 'succeeded' });
    const insert = db.prepare(
      `INSERT INTO refunds (id, payment_id, booking_id, amount, currency, reason, status, idempotency_key, install_id, created_at, updated_at)
       VALUES (?, 'P1', 'B1', 100, 'EUR', 'r', ?, ?, 'I', 'now', 'now')`,
    );
    insert.run('R2', 'sending', 'rk2');
    expect(() => insert.run('R3', 'lost', 'rk3')).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE refunds SET amount = 1 WHERE id = 'R2'").run()).toThrow(/append-only/);
    expect(() => db.prepare("DELETE FROM refunds WHERE id = 'R2'").run()).toThrow(/kept/);
    expect(() => db.prepare("UPDATE refunds SET approved_by = 'S1', approved_by_2 = 'S1' WHERE id = 'R2'").run()).toThrow(/CHECK/);
    const ob = db.prepare(
      `INSERT INTO outbox (id, kind, entity_type, entity_id, payload_json, idempotency_key, status, next_attempt_at, install_id, created_at, updated_at)
       VALUES (?, 'k', 'refund', 'R2', '{}', ?, ?, 'now', 'I', 'now', 'now')`,
    );
    ob.run('O1', 'ok1', 'canceled');
    expect(() => ob.run('O2', 'ok1', 'pending')).toThrow(/UNIQUE/);
    expect(() => ob.run('O3', 'ok3', 'forgotten')).toThrow(/CHECK/);
    expect(db.prepare('SELECT pin_above, two_managers_above FROM refund_policy').get()).toEqual({ pin_above: 5000, two_managers_above: 50000 });
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });
});
