import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appendAudit, erasePersonalAudit, readAuditPersonal, verifyAuditChain } from '../../core/audit';
import type { Db } from '../connection';
import { dbAt, insertBooking, insertCustomer, insertLocation, insertVehicle, migrateTo } from './testHelpers';

/** Appends a row the way Keydesk did before 0170: personal data copied into the chained JSON. */
function oldStyle(db: Db, n: number, action: string, entityType: string, entityId: string | null, before: unknown, after: unknown): string {
  const prev = (db.prepare('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { hash: string } | undefined)?.hash ?? '0'.repeat(64);
  const r = {
    id: `A${n}`, at: `2025-06-0${n}T08:00:00.000Z`, install_id: 'I', actor_id: 'S1', actor_role: 'clerk', action, entity_type: entityType, entity_id: entityId,
    before_json: before === undefined ? null : JSON.stringify(before), after_json: after === undefined ? null : JSON.stringify(after), prev_hash: prev,
  };
  const hash = createHash('sha256').update(JSON.stringify([r.prev_hash, r.id, r.at, r.install_id, r.actor_id, r.actor_role, r.action, r.entity_type, r.entity_id, r.before_json, r.after_json])).digest('hex');
  db.prepare(
    `INSERT INTO audit_log (id, at, install_id, actor_id, actor_role, action, entity_type, entity_id, before_json, after_json, prev_hash, hash)
     VALUES (@id, @at, @install_id, @actor_id, @actor_role, @action, @entity_type, @entity_id, @before_json, @after_json, @prev_hash, @hash)`,
  ).run({ ...r, hash });
  return hash;
}

const FIELDS = { first_name: 'Jan', last_name: 'Jansen', email: 'jan@example.com', phone: '+31 6 1234 5678', licence_number: 'NL123', licence_expiry: '2030-01-01', date_of_birth: '1980-01-01', notes: 'Prefers automatic' };

function oldShop(): { db: Db; hashes: string[] } {
  const db = dbAt(150);
  insertLocation(db);
  insertVehicle(db);
  insertCustomer(db);
  insertBooking(db);
  const hashes = [
    oldStyle(db, 1, 'settings.update', 'settings', null, { shopName: 'A' }, { shopName: 'B' }),
    oldStyle(db, 2, 'customer.create', 'customer', 'C1', undefined, FIELDS),
    oldStyle(db, 3, 'customer.update', 'customer', 'C1', { phone: '+31 6 1234 5678' }, { phone: '+31 6 9999 0000' }),
    oldStyle(db, 4, 'booking.create', 'booking', 'B1', undefined, { status: 'reserved', ref: 'KD-7F3K9', customerId: 'C1', notes: 'Jan wants a child seat', total: 5000, currency: 'EUR' }),
    oldStyle(db, 5, 'booking.modify', 'booking', 'B1', { notes: 'Jan wants a child seat', total: 5000, currency: 'EUR' }, { notes: 'Jansen: two child seats', total: 5000, currency: 'EUR', changed: ['notes'] }),
    oldStyle(db, 6, 'customer.merge', 'customer', 'C1', undefined, { mergedId: 'C2', bookingsMoved: 1 }),
  ];
  return { db, hashes };
}

const chainText = (db: Db) => JSON.stringify(db.prepare('SELECT * FROM audit_log').all());

describe('migration 0170 audit personal data', () => {
  it('moves personal data out of older rows, re-seals the chain once and records it, and an erasure afterwards keeps it verifying', () => {
    const { db, hashes } = oldShop();
    expect(chainText(db)).toMatch(/Jansen|jan@example|child seat/);
    migrateTo(db, 170);

    expect(verifyAuditChain(db)).toBeNull();
    expect(chainText(db)).not.toMatch(/Jansen|jan@example|1234 5678|9999 0000|NL123|child seat|Prefers/);
    const rows = db.prepare('SELECT seq, action, before_json, after_json, hash FROM audit_log ORDER BY seq').all() as { seq: number; action: string; before_json: string | null; after_json: string | null; hash: string }[];
    // Rows before the first one that held personal data keep their hash; the rest were re-sealed.
    expect(rows[0]?.hash).toBe(hashes[0]);
    expect(rows[1]?.hash).not.toBe(hashes[1]);
    expect(rows.map((r) => r.action)).toEqual(['settings.update', 'customer.create', 'customer.update', 'booking.create', 'booking.modify', 'customer.merge', 'audit.resealed']);
    expect(JSON.parse(rows[2]?.after_json ?? 'null')).toEqual({ changed: ['phone'] });
    expect(JSON.parse(rows[3]?.after_json ?? 'null')).toEqual({ status: 'reserved', ref: 'KD-7F3K9', customerId: 'C1', total: 5000, currency: 'EUR' });
    expect(JSON.parse(rows[6]?.after_json ?? 'null')).toEqual({ migration: 170, oldHeadHash: hashes[5], oldChainVerified: true, firstBrokenSeq: null, rowsMoved: 4, firstResealedSeq: 2 });
    // The data is still readable beside the chain, per person, until erased.
    expect(readAuditPersonal(db, 2)).toEqual([{ subjectId: 'C1', erased: false, after: FIELDS }]);
    expect(readAuditPersonal(db, 5)).toEqual([{ subjectId: 'C1', erased: false, before: { notes: 'Jan wants a child seat' }, after: { notes: 'Jansen: two child seats' } }]);

    // New rows chain on; erasing the person keeps the whole chain verifying.
    appendAudit(db, 'I', { actorId: null, actorRole: null, action: 'customer.update', entityType: 'customer', entityId: 'C1', after: { changed: ['email'] }, personal: [{ subjectId: 'C1', after: { email: 'jj@example.com' } }] });
    expect(verifyAuditChain(db)).toBeNull();
    expect(erasePersonalAudit(db, ['C1'])).toBe(5);
    expect(verifyAuditChain(db)).toBeNull();
    expect(JSON.stringify(db.prepare('SELECT * FROM audit_personal').all())).not.toMatch(/Jan|jj@example|child seat/);
    // Nothing but forgetting is allowed on the personal rows.
    expect(() => db.prepare("UPDATE audit_personal SET payload_json = '{}', salt = 'x' WHERE audit_seq = 2").run()).toThrow(/only be erased/);
    expect(() => db.prepare('DELETE FROM audit_personal').run()).toThrow(/only be erased/);
  });

  it('records that the old chain was already broken instead of hiding it under the new seal', () => {
    const { db } = oldShop();
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare('UPDATE audit_log SET after_json = \'{"shopName":"Forged"}\' WHERE seq = 1').run();
    migrateTo(db, 170);
    const last = db.prepare("SELECT after_json FROM audit_log WHERE action = 'audit.resealed'").pluck().get() as string;
    expect(JSON.parse(last)).toMatchObject({ oldChainVerified: false, firstBrokenSeq: 1 });
    // Row 1 was before the re-seal and still shows the forgery.
    expect(verifyAuditChain(db)).toBe(1);
  });

  it('leaves a log without personal data exactly as it was', () => {
    const db = dbAt(150);
    const h = oldStyle(db, 1, 'settings.update', 'settings', null, { shopName: 'A' }, { shopName: 'B' });
    migrateTo(db, 170);
    expect(db.prepare('SELECT hash FROM audit_log').pluck().all()).toEqual([h]);
    expect(verifyAuditChain(db)).toBeNull();
  });

  it('completes an erasure made before it: payloads forgotten, the merged duplicate erased, the signature and backups queued', () => {
    const { db } = oldShop();
    db.prepare(
      `INSERT INTO customers (id, first_name, last_name, email, phone, licence_number, licence_expiry, date_of_birth, install_id, created_at, updated_at, merged_into)
       VALUES ('C2', 'Jan', 'Jansen-dup', 'jan.dup@example.com', '+31 6 1234 5679', 'NL124', '2030-01-01', '1980-01-01', 'I', 't', 't', 'C1')`,
    ).run();
    db.prepare(
      `INSERT INTO handovers (id, booking_id, kind, at, odometer, fuel_eighths, damage_notes, damage_json, photos_json, signature_ref, install_id, created_at, updated_at)
       VALUES ('H1', 'B1', 'out', 't', 100, 8, '', '[]', '[]', 'signatures/B1-X.png', 'I', 't', 't')`,
    ).run();
    // Erased the old way: the row overwritten, nothing else.
    db.prepare("UPDATE customers SET first_name = 'Erased', last_name = 'customer', email = '', erased_at = '2025-06-09T00:00:00.000Z' WHERE id = 'C1'").run();
    migrateTo(db, 170);
    expect(db.prepare('SELECT count(*) FROM audit_personal WHERE payload_json IS NOT NULL').pluck().get()).toBe(0);
    expect(db.prepare("SELECT first_name, email, erased_at FROM customers WHERE id = 'C2'").get()).toEqual({ first_name: 'Erased', email: '', erased_at: '2025-06-09T00:00:00.000Z' });
    expect(db.prepare('SELECT kind, ref FROM erasure_pending ORDER BY kind, ref').all()).toEqual([
      { kind: 'backups', ref: 'C1' }, { kind: 'backups', ref: 'C2' }, { kind: 'file', ref: 'signatures/B1-X.png' }, { kind: 'vacuum', ref: '' },
    ]);
    expect(verifyAuditChain(db)).toBeNull();
  });

  it('queues one VACUUM for a database used before secure_delete, none for a new one', () => {
    const { db } = oldShop();
    migrateTo(db, 170);
    expect(db.prepare('SELECT kind FROM erasure_pending').pluck().all()).toEqual(['vacuum']);
    expect(dbAt(170).prepare('SELECT count(*) FROM erasure_pending').pluck().get()).toBe(0);
  });

  it('detects a personal payload altered after the fact, and a personal row added to a row that had none', () => {
    const { db } = oldShop();
    migrateTo(db, 170);
    db.exec('DROP TRIGGER audit_personal_erase_only');
    db.prepare(`UPDATE audit_personal SET payload_json = '{"after":{"phone":"+31 6 0000 0000"}}' WHERE audit_seq = 3`).run();
    expect(verifyAuditChain(db)).toBe(3);
    const { db: db2 } = oldShop();
    migrateTo(db2, 170);
    db2.prepare("INSERT INTO audit_personal (audit_seq, subject_id, digest, salt, payload_json) VALUES (1, 'C9', 'x', 's', '{}')").run();
    expect(verifyAuditChain(db2)).toBe(1);
  });
});
