import { describe, expect, it } from 'vitest';
import { dbAt, insertBooking, insertCustomer, insertLocation, insertVehicle, migrateTo } from './testHelpers';

function withBooking(version: number) {
  const db = dbAt(version);
  insertLocation(db);
  insertVehicle(db);
  insertCustomer(db);
  insertBooking(db);
  return db;
}

const pay = `INSERT INTO payments (id, booking_id, kind, method, status, amount, currency, idempotency_key, install_id, created_at, updated_at)
             VALUES ('P1', 'B1', 'deposit_hold', 'card_present', 'pending', 30000, 'EUR', 'pay-P1', 'I', 't', 't')`;

describe('migration 0050 money tables', () => {
  it('keeps bookings from 0040 and makes payment amounts append-only', () => {
    const db = withBooking(40);
    migrateTo(db, 50);
    db.prepare(pay).run();
    // Status, Stripe ids and the one-time capture may move on…
    db.prepare("UPDATE payments SET status = 'authorized', stripe_payment_intent_id = 'pi_1', updated_at = 'u' WHERE id = 'P1'").run();
    db.prepare("UPDATE payments SET status = 'succeeded', amount_captured = 12000 WHERE id = 'P1'").run();
    expect(db.prepare('SELECT status, amount, amount_captured FROM payments').get()).toEqual({ status: 'succeeded', amount: 30000, amount_captured: 12000 });
    // …the amounts never do, and no row disappears.
    expect(() => db.prepare('UPDATE payments SET amount = 1').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE payments SET currency = 'GBP'").run()).toThrow(/append-only/);
    expect(() => db.prepare('UPDATE payments SET amount_captured = 30000').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM payments').run()).toThrow(/kept/);
    expect(() => db.prepare(pay.replace("'P1'", "'P2'")).run()).toThrow(/UNIQUE/); // same idempotency key
  });

  it('refuses fractional or negative amounts and unknown-looking currencies', () => {
    const db = withBooking(50);
    expect(() => db.prepare(pay.replace('30000', '12.5')).run()).toThrow(/REAL/);
    expect(() => db.prepare(pay.replace('30000', '-5')).run()).toThrow(/CHECK/);
    expect(() => db.prepare(pay.replace("'EUR'", "'eur'")).run()).toThrow(/CHECK/);
  });

  it('keeps refunds and cash movements append-only and allows one open shift per install', () => {
    const db = withBooking(50);
    db.prepare(pay).run();
    db.prepare("INSERT INTO refunds (id, payment_id, booking_id, amount, currency, reason, status, idempotency_key, install_id, created_at, updated_at) VALUES ('R1', 'P1', 'B1', 500, 'EUR', 'Fuel', 'queued', 'ref-R1', 'I', 't', 't')").run();
    db.prepare("UPDATE refunds SET status = 'succeeded', stripe_refund_id = 're_1' WHERE id = 'R1'").run();
    expect(() => db.prepare('UPDATE refunds SET amount = 600').run()).toThrow(/append-only/);
    db.prepare("INSERT INTO shifts (id, status, opened_by, opened_at, opening_float, currency, install_id, created_at, updated_at) VALUES ('S1', 'open', 'M', 't', 10000, 'EUR', 'I', 't', 't')").run();
    expect(() => db.prepare("INSERT INTO shifts (id, status, opened_by, opened_at, opening_float, currency, install_id, created_at, updated_at) VALUES ('S2', 'open', 'M', 't', 0, 'EUR', 'I', 't', 't')").run()).toThrow(/UNIQUE/);
    db.prepare("UPDATE shifts SET status = 'closed', counted_cash = 9500, expected_cash = 10000 WHERE id = 'S1'").run();
    expect(() => db.prepare('UPDATE shifts SET counted_cash = 10000').run()).toThrow(/written once/);
    db.prepare("INSERT INTO cash_movements (id, shift_id, kind, amount, currency, install_id, created_at, updated_at) VALUES ('M1', 'S1', 'float', 10000, 'EUR', 'I', 't', 't')").run();
    expect(() => db.prepare('UPDATE cash_movements SET amount = 1').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM cash_movements').run()).toThrow(/kept/);
  });

  it('dedupes Stripe events by id', () => {
    const db = dbAt(50);
    const ins = db.prepare("INSERT INTO stripe_events (id, type, api_created, livemode, payload_json, source, received_at, install_id, created_at, updated_at) VALUES ('evt_1', 'charge.refunded', 1, 0, '{}', 'relay', 't', 'I', 't', 't')");
    ins.run();
    expect(() => ins.run()).toThrow(/UNIQUE/);
  });
});
