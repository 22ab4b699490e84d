import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupHoldsCustomers } from './backupContents';
import { openDatabase } from './connection';
import type { Db } from './connection';
import { migrate } from './migrate';
import { MIGRATIONS } from './migrations/index';
import { insertCustomer } from './migrations/testHelpers';

const dir = mkdtempSync(join(tmpdir(), 'kd-backup-holds-'));
let n = 0;
function backupAt(version: number, fill: (db: Db) => void): string {
  const path = join(dir, `b${n++}.sqlite`);
  const db = openDatabase(path);
  migrate(db, MIGRATIONS, version);
  fill(db);
  db.close();
  return path;
}
const erase = (db: Db) => db.prepare("UPDATE customers SET first_name = 'Erased', erased_at = 't' WHERE id = 'C1'").run();

describe('which backups still hold an erased customer', () => {
  it('their record un-erased, or their details in an audit log from before 0170 or not yet forgotten: held; else not', () => {
    expect(backupHoldsCustomers(backupAt(150, (db) => insertCustomer(db)), ['C1'])).toBe(true);
    expect(backupHoldsCustomers(backupAt(150, (db) => { insertCustomer(db); erase(db); }), ['C1'])).toBe(true);
    expect(backupHoldsCustomers(backupAt(150, (db) => insertCustomer(db, 'C7')), ['C1'])).toBe(false);
    const withPayload = (forgotten: boolean) => (db: Db) => {
      insertCustomer(db);
      db.prepare("INSERT INTO audit_log (id, at, install_id, action, entity_type, entity_id, personal_digest, prev_hash, hash) VALUES ('A1', 't', 'I', 'customer.create', 'customer', 'C1', 'd', 'p', 'h')").run();
      db.prepare("INSERT INTO audit_personal (audit_seq, subject_id, digest, salt, payload_json) VALUES (1, 'C1', 'd', 's', '{}')").run();
      erase(db);
      if (forgotten) db.prepare("UPDATE audit_personal SET payload_json = NULL, salt = NULL").run();
    };
    expect(backupHoldsCustomers(backupAt(170, withPayload(false)), ['C1'])).toBe(true);
    expect(backupHoldsCustomers(backupAt(170, withPayload(true)), ['C1'])).toBe(false);
    const garbage = join(dir, 'garbage.sqlite');
    writeFileSync(garbage, 'not a database');
    expect(backupHoldsCustomers(garbage, ['C1'])).toBe(true);
  });
});
