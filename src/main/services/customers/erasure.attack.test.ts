import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readAuditPersonal, verifyAuditChain } from '../../core/audit';
import { backupsDirFor, listBackups, takeBackup } from '../../db/backups';
import { createLogger } from '../../log';
import { openTestShop } from '../../testing/testShop';
import { appApplier } from '../../testing/paymentsTestKit';
import type { TestShop } from '../../testing/testShop';

let shop: TestShop | null = null;
afterEach(() => {
  shop?.close();
  shop = null;
});
const at = (day: number, hh: number) => `2025-06-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:00:00+02:00`;

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Which needles occur in which files, byte for byte, ignoring case (the search index lowercases). */
function findIn(dir: string, needles: readonly string[]): string[] {
  const hits: string[] = [];
  for (const f of filesUnder(dir)) {
    const text = readFileSync(f).toString('latin1').toLowerCase();
    for (const n of needles) if (text.includes(Buffer.from(n.toLowerCase(), 'utf8').toString('latin1'))) hits.push(`${n} in ${f.slice(dir.length + 1)}`);
  }
  return hits;
}

/** A shop on a real file in its own data folder, logging to a file there as the app does. */
async function fileShop(): Promise<{ s: TestShop; dir: string; dbPath: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'kd-erase-'));
  const dbPath = join(dir, 'keydesk.sqlite');
  const s = await openTestShop({ backend: { dataDir: dir, dbPath, log: createLogger({ file: join(dir, 'logs', 'main.log'), console: false }) } });
  return { s, dir, dbPath };
}

// Each a part of every version of the person's details, so earlier edits are caught too.
const NEEDLES = ['Quillonax', 'Vrembrantz', 'zz-erase', '4717 29', '64717', 'QX9917', 'blueberrymuff', 'Drivernamezyx', 'DRV7712', 'SIGNEDBYQUILL'];

describe('erasing a customer, attacked', () => {
  it('leaves none of their details in the database file, its WAL, the search index, the audit, signatures, backups or logs; money and chain intact', async () => {
    const { s, dir, dbPath } = await fileShop();
    shop = s;
    const c = await s.customer({ firstName: 'Quillonax', lastName: 'Vrembrantz', email: 'quill@zz-erase.example', phone: '+31 6 4717 2939', licenceNumber: 'QX9917ZZ', notes: 'Likes blueberrymuffins' });
    // Edits: every old version goes through the audit and the free space of the file.
    let cur = c;
    for (const [i, over] of [{ phone: '+31 6 4717 2940' }, { email: 'quill2@zz-erase.example', firstName: 'Quillonaxe' }, { licenceNumber: 'QX9917ZY', notes: 'Still blueberrymuffins' }].entries()) {
      cur = await s.ok('customers.upsert', {
        id: c.id, expectedVersion: i + 1, firstName: cur.firstName, lastName: cur.lastName, email: cur.email, phone: cur.phone,
        licenceNumber: cur.licenceNumber, licenceExpiry: cur.licenceExpiry, dateOfBirth: cur.dateOfBirth, notes: cur.notes, ...over,
      });
    }
    const v = await s.vehicle();
    const b = await s.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: at(2, 9), returnAt: at(3, 9), notes: 'Quillonax wants blueberrymuffins' });
    await s.ok('bookings.modify', { id: b.id, expectedVersion: b.version, notes: 'Quillonax said blueberrymuffins again' });
    await s.ok('bookings.drivers.add', { bookingId: b.id, name: 'Drivernamezyx Vrembrantz', licenceNumber: 'DRV77123', licenceExpiry: '2030-01-01', dateOfBirth: '1980-05-05' });
    const due = (await s.ok('bookings.get', { id: b.id })).total.amount;
    const cash = await s.ok('payments.cash', { bookingId: b.id, tendered: due });
    // Stripe's event for a pay link, as the relay delivers and sync stores it: the payer's details included.
    const event = { id: 'evt_erase1', type: 'checkout.session.completed', data: { object: { id: 'cs_erase1', amount_total: due, metadata: { booking_id: b.id }, customer_details: { email: 'quill@zz-erase.example', name: 'Quillonax Vrembrantz', phone: '+31 6 4717 2939' } } } };
    s.b.db.prepare(
      `INSERT INTO stripe_events (id, type, api_created, livemode, payload_json, source, received_at, processed_at, install_id, created_at, updated_at)
       VALUES ('evt_erase1', 'checkout.session.completed', 1, 0, ?, 'relay', 't', 't', 'I', 't', 't')`,
    ).run(JSON.stringify(event));
    const png = Buffer.concat([Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'), Buffer.from('SIGNEDBYQUILL')]);
    const out = await s.ok('bookings.checkOut', { id: b.id, odometer: 10_000, fuelEighths: 8, signature: `data:image/png;base64,${png.toString('base64')}` });
    expect(out.checkOut?.signatureRef).toMatch(/^signatures\//);
    // Refused while the car is out: the refusal sentence (naming them) goes to the log.
    expect(await s.fail('customers.erase', { id: c.id, reason: 'Asked by email' }, s.manager)).toMatchObject({ code: 'conflict', fields: { id: 'Has an open rental' } });
    s.clock.now = new Date('2025-06-03T08:00:00Z');
    await s.ok('bookings.checkIn', { id: b.id, odometer: 10_100, fuelEighths: 8 });
    // A backup taken while they were a customer.
    await takeBackup(s.b.db, backupsDirFor(dbPath), 'manual', new Date('2025-06-03T08:30:00Z'));
    // The attack is not empty: every needle is somewhere before the erasure.
    const before = findIn(dir, NEEDLES);
    for (const n of NEEDLES) expect(before.some((h) => h.startsWith(`${n} in`)), n).toBe(true);

    // A manager may well name the person in the reason, which the chain keeps for good.
    const erased = await s.ok('customers.erase', { id: c.id, reason: 'Quillonaxe Vrembrantz asked by email' }, s.manager);
    expect(erased.customer.name).toBe('Erased customer');
    expect(findIn(dir, NEEDLES)).toEqual([]);
    expect(readdirSync(join(dir, 'signatures'))).toEqual([]);
    expect(existsSync(`${dbPath}-wal`) ? statSync(`${dbPath}-wal`).size : 0).toBe(0);
    // A backup still exists, and it is clean (it was just taken).
    expect(listBackups(backupsDirFor(dbPath)).length).toBeGreaterThan(0);

    // The chain verifies end to end; the personal payloads are gone, their rows remain.
    expect(verifyAuditChain(s.b.db)).toBeNull();
    const seqs = s.b.db.prepare('SELECT DISTINCT audit_seq FROM audit_personal WHERE subject_id = ?').pluck().all(c.id) as number[];
    expect(seqs.length).toBeGreaterThanOrEqual(6); // create, 3 edits, booking create and modify
    for (const seq of seqs) expect(readAuditPersonal(s.b.db, seq)).toEqual([{ subjectId: c.id, erased: true }]);
    // The booking reads "Erased customer" with its payment intact; the agreement does not say "signed on paper".
    const after = await s.ok('bookings.get', { id: b.id });
    expect(after.customer.name).toBe('Erased customer');
    expect(after.paid.amount).toBe(due);
    expect(s.b.db.prepare('SELECT amount, status FROM payments WHERE id = ?').get(cash.payment.id)).toEqual({ amount: due, status: 'succeeded' });
    expect(await s.ok('bookings.agreement', { id: b.id })).toMatchObject({ signature: null, signedOnPaper: false });
    expect((await s.ok('customers.search', { query: 'Quillonaxe' })).customers).toEqual([]);
    expect(s.count('erasure_pending')).toBe(0);
    expect(JSON.parse(s.b.db.prepare("SELECT after_json FROM audit_log WHERE action = 'customer.erase'").pluck().get() as string)).toMatchObject({ reason: '[erased] asked by email', records: 1, files: 1, stripeEvents: 1 });
    // The stored event keeps its ids and amount for reconciling; only the payer is blanked.
    const kept = JSON.parse(s.b.db.prepare("SELECT payload_json FROM stripe_events WHERE id = 'evt_erase1'").pluck().get() as string) as typeof event;
    expect(kept.data.object).toEqual({ id: 'cs_erase1', amount_total: due, metadata: { booking_id: b.id }, customer_details: null });
    // A late event about their booking (a refund, a dispute) is stored without the payer too.
    const late = { id: 'evt_erase2', object: 'event', type: 'charge.refunded', created: 2, livemode: false, data: { object: { id: 'ch_erase2', object: 'charge', amount: due, metadata: { booking_id: b.id }, billing_details: { name: 'Quillonax Vrembrantz', email: 'quill@zz-erase.example' } } } };
    appApplier(s).apply('relay', [{ seq: 1, event: late }]);
    expect(s.b.db.prepare("SELECT payload_json FROM stripe_events WHERE id = 'evt_erase2'").pluck().get()).toContain('"billing_details":null');
    s.b.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(findIn(dir, NEEDLES)).toEqual([]);
  });
});
