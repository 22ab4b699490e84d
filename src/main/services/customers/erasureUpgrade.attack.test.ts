import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../core/audit';
import { openDatabase } from '../../db/connection';
import type { Db } from '../../db/connection';
import { backupsDirFor, listBackups, takeBackup } from '../../db/backups';
import { migrate } from '../../db/migrate';
import { MIGRATIONS } from '../../db/migrations/index';
import { prepareDatabase } from '../../db/openApp';
import { memoryLogger } from '../../log';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';

/**
 * Attack on the upgrade: a counter that erased a customer before migration 0170 (the old erase
 * overwrote the row only) still had them in its audit chain, its search index, the free space of
 * its file, and (once the upgrade backs it up) a pre-migration backup. After the upgrade and the
 * first start, none of it is left and the chain verifies.
 */
let shop: TestShop | null = null;
afterEach(() => {
  shop?.close();
  shop = null;
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}
const found = (dir: string, needles: string[]) =>
  filesUnder(dir).flatMap((f) => {
    const text = readFileSync(f).toString('latin1').toLowerCase();
    return needles.filter((n) => text.includes(n.toLowerCase())).map((n) => `${n} in ${f.slice(dir.length + 1)}`);
  });

/** A row as Keydesk appended it before 0170: personal data inside the chained JSON. */
function oldAudit(db: Db, n: number, action: string, before: unknown, after: unknown): void {
  const prev = (db.prepare('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1').pluck().get() as string | undefined) ?? '0'.repeat(64);
  const r = [prev, `A${n}`, `2025-06-0${n}T08:00:00.000Z`, 'I', 'S1', 'clerk', action, 'customer', 'C1', before === null ? null : JSON.stringify(before), JSON.stringify(after)];
  db.prepare('INSERT INTO audit_log (id, at, install_id, actor_id, actor_role, action, entity_type, entity_id, before_json, after_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], prev, createHash('sha256').update(JSON.stringify(r)).digest('hex'),
  );
}

const NEEDLES = ['Oldnamezq', 'Upgradovic', 'zz-upgrade', 'UPG4411'];

describe('upgrading a counter that erased a customer the old way', () => {
  it('leaves nothing of them in the file, the search index, the audit or the backups after the first start; the chain verifies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kd-erase-upgrade-'));
    const dbPath = join(dir, 'keydesk.sqlite');
    const old = openDatabase(dbPath, { secureDelete: 'OFF' });
    migrate(old, MIGRATIONS, 150);
    const fields = { first_name: 'Oldnamezq', last_name: 'Upgradovic', email: 'o@zz-upgrade.example', phone: '+31 6 5555 0101', licence_number: 'UPG4411', licence_expiry: '2030-01-01', date_of_birth: '1980-01-01', notes: '' };
    old.prepare(
      `INSERT INTO customers (id, first_name, last_name, email, phone, licence_number, licence_expiry, date_of_birth, install_id, created_at, updated_at)
       VALUES ('C1', @first_name, @last_name, @email, @phone, @licence_number, @licence_expiry, @date_of_birth, 'I', 't', 't')`,
    ).run(fields);
    oldAudit(old, 1, 'customer.create', null, fields);
    old.prepare("UPDATE customers SET email = 'o2@zz-upgrade.example' WHERE id = 'C1'").run();
    oldAudit(old, 2, 'customer.update', { email: fields.email }, { email: 'o2@zz-upgrade.example' });
    // The erase of that time: the row overwritten, nothing else.
    old.prepare("UPDATE customers SET first_name = 'Erased', last_name = 'customer', email = '', phone = '000000', licence_number = 'ERASED', erased_at = '2025-06-05T00:00:00.000Z' WHERE id = 'C1'").run();
    old.close();
    for (const n of NEEDLES) expect(found(dir, [n]), n).not.toEqual([]);

    // The upgrade as the app runs it: a backup of the old file, then the migrations.
    await prepareDatabase(dbPath, MIGRATIONS, memoryLogger());
    expect(listBackups(backupsDirFor(dbPath)).map((b) => b.reason)).toEqual(['pre-migration']);
    shop = await openTestShop({ backend: { dataDir: dir, dbPath } });
    // A daily backup taken after the migration but before the clean-up: it copies the old free space.
    const early = await takeBackup(shop.b.db, backupsDirFor(dbPath), 'daily', new Date('2025-06-02T05:00:00Z'));
    expect(found(dir, ['Oldnamezq']).some((h) => h.includes(early.slice(dir.length + 1)))).toBe(true);
    await shop.b.jobs.start();
    try {
      const health = () => shop?.b.jobs.snapshot().find((j) => j.name === 'customers.erasure')?.health;
      for (let i = 0; i < 500 && health() !== 'ok'; i++) await new Promise((r) => setTimeout(r, 20));
      expect(health()).toBe('ok');
    } finally {
      await shop.b.jobs.stop();
    }
    shop.b.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(found(dir, NEEDLES)).toEqual([]);
    expect(listBackups(backupsDirFor(dbPath)).length).toBeGreaterThan(0);
    expect(verifyAuditChain(shop.b.db)).toBeNull();
    expect(shop.count('erasure_pending')).toBe(0);
    const resealed = shop.b.db.prepare("SELECT after_json FROM audit_log WHERE action = 'audit.resealed'").pluck().get() as string;
    expect(JSON.parse(resealed)).toMatchObject({ migration: 170, oldChainVerified: true, rowsMoved: 2 });
  });
});
