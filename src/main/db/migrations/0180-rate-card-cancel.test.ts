import { describe, expect, it } from 'vitest';
import { dbAt, migrateTo } from './testHelpers';

describe('migration 0180 rate-card cancel', () => {
  it('keeps scheduled versions already stored (not cancelled), and lets a schedule row only be cancelled, once', () => {
    const db = dbAt(170);
    db.prepare(
      `INSERT INTO rate_cards (id, version, name, currency, card_json, install_id, created_at, updated_at)
       VALUES ('demo', 2, 'Demo', 'EUR', '{}', 'I', '2025-06-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z')`,
    ).run();
    db.prepare(
      `INSERT INTO rate_card_schedule (id, version, effective_from, install_id, created_at)
       VALUES ('demo', 2, '2025-07-01T00:00:00.000Z', 'I', '2025-06-01T00:00:00.000Z')`,
    ).run();
    migrateTo(db, 180);
    expect(db.prepare('SELECT effective_from, cancelled_at, cancelled_by FROM rate_card_schedule').get()).toEqual({ effective_from: '2025-07-01T00:00:00.000Z', cancelled_at: null, cancelled_by: null });
    // Its date cannot be moved, and it cannot be deleted.
    expect(() => db.prepare("UPDATE rate_card_schedule SET effective_from = '2025-08-01T00:00:00.000Z'").run()).toThrow(/only be cancelled/);
    expect(() => db.prepare('DELETE FROM rate_card_schedule').run()).toThrow(/cancel one instead/);
    db.prepare("UPDATE rate_card_schedule SET cancelled_at = '2025-06-10T00:00:00.000Z', cancelled_by = 'M1'").run();
    // A cancellation is final.
    expect(() => db.prepare('UPDATE rate_card_schedule SET cancelled_at = NULL, cancelled_by = NULL').run()).toThrow(/only be cancelled/);
    expect(() => db.prepare("UPDATE rate_card_schedule SET cancelled_at = '2025-06-11T00:00:00.000Z'").run()).toThrow(/only be cancelled/);
  });
});
