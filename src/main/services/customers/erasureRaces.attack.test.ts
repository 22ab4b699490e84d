import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../core/audit';
import { backupsDirFor, listBackups, takeBackup } from '../../db/backups';
import { memoryLogger } from '../../log';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';
import { createCustomerRecords } from './customerRecords';

/**
 * Attacks on erasure: a failure between its transaction and the clean-up outside the database
 * (the next start finishes it), and another counter editing the customer while they are erased.
 */
const root = join(__dirname, '../../../..');
const shops: TestShop[] = [];
afterEach(() => {
  for (const s of shops.splice(0)) s.close();
});
const at = (day: number, hh: number) => `2025-06-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:00:00+02:00`;
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

async function open(dir: string): Promise<TestShop> {
  const s = await openTestShop({ backend: { dataDir: dir, dbPath: join(dir, 'keydesk.sqlite') } });
  shops.push(s);
  return s;
}

function holds(file: string, needle: string): boolean {
  return readFileSync(file).toString('latin1').toLowerCase().includes(needle.toLowerCase());
}

describe('erasure interrupted', () => {
  it('a failure after the transaction leaves the files queued; the next start deletes them and replaces the backups', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kd-erase-crash-'));
    const dbPath = join(dir, 'keydesk.sqlite');
    const s = await open(dir);
    const c = await s.customer({ firstName: 'Crashtestqa', lastName: 'Vrembrantz' });
    const v = await s.vehicle();
    const b = await s.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: at(2, 9), returnAt: at(3, 9) });
    await s.ok('bookings.checkOut', { id: b.id, odometer: 10_000, fuelEighths: 8, signature: PNG });
    s.clock.now = new Date('2025-06-03T08:00:00Z');
    await s.ok('bookings.checkIn', { id: b.id, odometer: 10_100, fuelEighths: 8 });
    const backup = await takeBackup(s.b.db, backupsDirFor(dbPath), 'daily', new Date('2025-06-03T07:00:00Z'));
    const signature = join(dir, (await s.ok('bookings.get', { id: b.id })).checkOut?.signatureRef ?? 'none');
    expect(existsSync(signature)).toBe(true);

    const records = createCustomerRecords({
      db: s.b.db, installId: s.b.info().installId, now: () => s.clock.now, dataDir: dir, dbPath, log: memoryLogger(),
      faults: { afterEraseCommit: () => { throw new Error('power cut'); } },
    });
    await expect(records.erase({ id: c.id, reason: 'Asked in person' }, s.manager)).rejects.toThrow('power cut');
    // The rows are erased (one transaction); the file and the old backup are still there, queued.
    expect((await s.ok('bookings.get', { id: b.id })).customer.name).toBe('Erased customer');
    expect(existsSync(signature)).toBe(true);
    expect(holds(backup, 'Crashtestqa')).toBe(true);
    expect(s.b.db.prepare('SELECT kind FROM erasure_pending ORDER BY kind').pluck().all()).toEqual(['backups', 'file']);
    // A second erase is refused (already erased) and changes nothing.
    expect(await s.fail('customers.erase', { id: c.id, reason: 'Again' }, s.manager)).toMatchObject({ fields: { id: expect.stringContaining('erased') } });
    s.close();
    shops.splice(0);

    // Next start: the clean-up job finishes the erasure.
    const again = await open(dir);
    await again.b.jobs.start();
    try {
      for (let i = 0; i < 500 && again.b.jobs.snapshot().find((j) => j.name === 'customers.erasure')?.health !== 'ok'; i++) await new Promise((r) => setTimeout(r, 20));
      expect(again.b.jobs.snapshot().find((j) => j.name === 'customers.erasure')?.health).toBe('ok');
    } finally {
      await again.b.jobs.stop();
    }
    expect(existsSync(signature)).toBe(false);
    expect(existsSync(backup)).toBe(false);
    const left = listBackups(backupsDirFor(dbPath));
    expect(left.length).toBeGreaterThan(0);
    for (const f of [dbPath, ...left.map((l) => l.path)]) expect(holds(f, 'Crashtestqa'), f).toBe(false);
    expect(again.count('erasure_pending')).toBe(0);
    expect(verifyAuditChain(again.b.db)).toBeNull();
  });
});

function runEditor(env: Record<string, string>, onLine: (line: string) => void): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'erasureEditChild.ts')], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let buf = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop() ?? '';
      for (const l of parts) {
        lines.push(l);
        onLine(l);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    // 'close', not 'exit': exit can come before the last of its output has been read (seen under load).
    child.on('close', (code) => (code === 0 ? resolve(lines) : reject(new Error(`editor exited ${code}: ${err.slice(-2000)}`))));
  });
}

describe('erasure raced by an edit at another counter', () => {
  it('each edit lands wholly before the erasure (and is erased with it) or is refused after it; nothing of any edit survives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kd-erase-race-'));
    const dbPath = join(dir, 'keydesk.sqlite');
    const s = await open(dir);
    const c = await s.customer({ firstName: 'Racerzed', lastName: 'Vrembrantz' });
    let erasing: Promise<unknown> | null = null;
    const lines = await runEditor({ DATA_DIR: dir, DB_PATH: dbPath, CUSTOMER_ID: c.id, STAFF_ID: s.clerk.staffId as string }, () => {
      // Erase while the other counter is editing, once it has landed a few edits.
      if (erasing === null && landedEdits() >= 5) erasing = s.ok('customers.erase', { id: c.id, reason: 'Asked by phone' }, s.manager);
    });
    function landedEdits(): number {
      return s.b.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'customer.update' AND entity_id = ?").pluck().get(c.id) as number;
    }
    expect(erasing).not.toBeNull();
    await erasing;
    const oks = lines.filter((l) => l.startsWith('ok '));
    const refused = lines.filter((l) => l.startsWith('refused '));
    expect(oks.length).toBeGreaterThanOrEqual(5);
    expect(refused).toHaveLength(20);
    // Every edit after the erasure is refused with the sentence, never half-applied; no edit after a refusal succeeded.
    for (const r of refused) expect(r).toMatch(/^refused invalid_input .*erased on request/);
    expect(lines.findIndex((l) => l.startsWith('refused '))).toBe(oks.length);
    const row = s.b.db.prepare('SELECT first_name, last_name, email, erased_at FROM customers WHERE id = ?').get(c.id);
    expect(row).toMatchObject({ first_name: 'Erased', last_name: 'customer', email: '', erased_at: expect.any(String) });
    expect(s.b.db.prepare('SELECT count(*) FROM audit_personal WHERE subject_id = ? AND payload_json IS NOT NULL').pluck().get(c.id)).toBe(0);
    expect(verifyAuditChain(s.b.db)).toBeNull();
    s.b.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const f of readdirSync(dir).filter((n) => n.startsWith('keydesk.sqlite'))) {
      for (const n of ['Racerzed', 'zz-erase', 'blueberrymuff']) expect(holds(join(dir, f), n), `${n} in ${f}`).toBe(false);
    }
  });
});
