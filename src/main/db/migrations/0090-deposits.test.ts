import { describe, expect, it } from 'vitest';
import { dbAt, insertBooking, insertCustomer, insertLocation, insertVehicle, migrateTo } from './testHelpers';

describe('migration 0090 deposits and pay links', () => {
  it('adds holds, overrides, policy and links next to payments; one open link per booking; ledger rows kept', () => {
    const db = dbAt(80);
    insertLocation(db);
    insertVehicle(db);
    insertCustomer(db);
    insertBooking(db);
    db.prepare(
      `INSERT INTO payments (id, booking_id, kind, method, status, amount, currency, idempotency_key, install_id, created_at, updated_at)
       VALUES ('P1', 'B1', 'deposit_hold', 'card_present', 'authorized', 30000, 'EUR', 'k1', 'I', 'now', 'now')`,
    ).run();
    migrateTo(db, 90);
    db.prepare(`INSERT INTO deposit_holds (payment_id, booking_id, state, install_id, created_at, updated_at) VALUES ('P1', 'B1', 'held', 'I', 'now', 'now')`).run();
    expect(() => db.prepare("UPDATE deposit_holds SET state = 'lost' WHERE payment_id = 'P1'").run()).toThrow(/CHECK/);
    expect(() => db.prepare("DELETE FROM deposit_holds WHERE payment_id = 'P1'").run()).toThrow(/kept/);
    const pay = db.prepare(
      `INSERT INTO payments (id, booking_id, kind, method, status, amount, currency, idempotency_key, install_id, created_at, updated_at)
       VALUES (?, 'B1', 'charge', 'card', 'requires_action', 5000, 'EUR', ?, 'I', 'now', 'now')`,
    );
    pay.run('P2', 'k2');
    pay.run('P3', 'k3');
    const link = db.prepare(
      `INSERT INTO pay_links (id, booking_id, payment_id, amount, currency, status, expires_at, install_id, created_at, updated_at)
       VALUES (?, 'B1', ?, 5000, 'EUR', ?, 'later', 'I', 'now', 'now')`,
    );
    link.run('L1', 'P2', 'open');
    expect(() => link.run('L2', 'P3', 'creating')).toThrow(/UNIQUE/);
    db.prepare("UPDATE pay_links SET status = 'expired' WHERE id = 'L1'").run();
    link.run('L2', 'P3', 'open');
    expect(() => db.prepare("INSERT INTO deposit_policy (id, policy_json, install_id, updated_at) VALUES (2, '{}', 'I', 'now')").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO deposit_policy (id, policy_json, install_id, updated_at) VALUES (1, 'not json', 'I', 'now')").run()).toThrow(/CHECK/);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });
});
