import { describe, expect, it } from 'vitest';
import { dbAt, explain, insertBooking, insertCustomer, insertLocation, insertVehicle } from './testHelpers';

describe('migration 0060 sync', () => {
  it('keeps one cursor per stream and one flag per Stripe object and kind', () => {
    const db = dbAt(60);
    insertLocation(db);
    insertVehicle(db);
    insertCustomer(db);
    insertBooking(db);
    db.prepare("INSERT INTO sync_cursor (stream, last_seq, updated_at) VALUES ('relay', 5, 'now')").run();
    expect(() => db.prepare("INSERT INTO sync_cursor (stream, last_seq, updated_at) VALUES ('relay', 6, 'now')").run()).toThrow(/UNIQUE/);
    const flag = db.prepare(
      "INSERT INTO booking_flags (id, booking_id, kind, stripe_id, install_id, created_at, updated_at) VALUES (?, 'B1', 'dispute', 'dp_1', 'I', 'now', 'now')",
    );
    flag.run('F1');
    expect(() => flag.run('F2')).toThrow(/UNIQUE/);
    expect(() =>
      db.prepare("INSERT INTO booking_flags (id, booking_id, kind, stripe_id, install_id, created_at, updated_at) VALUES ('F3', 'B1', 'gossip', 'x', 'I', 'now', 'now')").run(),
    ).toThrow(/CHECK/);
    expect(explain(db, "SELECT * FROM booking_flags WHERE booking_id = 'B1' AND resolved_at IS NULL")).toMatch(/booking_flags_open/);
  });
});
