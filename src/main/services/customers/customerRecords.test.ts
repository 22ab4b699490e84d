import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../core/audit';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';

let shop: TestShop;
afterEach(() => shop.close());
const at = (day: number, hh: number) => `2025-06-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:00:00+02:00`;

function insertPayment(s: TestShop, bookingId: string, amount: number): void {
  s.b.db
    .prepare(
      `INSERT INTO payments (id, booking_id, kind, method, status, amount, amount_captured, currency, idempotency_key, install_id, created_at, updated_at)
       VALUES (?, ?, 'charge', 'cash', 'succeeded', ?, ?, 'EUR', ?, 'I', 't', 't')`,
    )
    .run(`P${bookingId}`, bookingId, amount, amount, `k-${bookingId}`);
}

describe('customer records', () => {
  it('merges two records of the same person: bookings follow, the duplicate leaves search', async () => {
    shop = await openTestShop();
    const keep = await shop.customer({ firstName: 'Anna', lastName: 'de Vries', email: 'anna@example.com' });
    const dup = await shop.customer({ firstName: 'Ana', lastName: 'de Vries', email: 'ana.dv@example.com' });
    const v = await shop.vehicle();
    const b = await shop.ok('bookings.create', { customerId: dup.id, vehicleId: v.id, pickupAt: at(10, 9), returnAt: at(11, 9) });
    expect(await shop.fail('customers.merge', { keepId: keep.id, mergeId: dup.id })).toMatchObject({ code: 'forbidden' });
    const merged = await shop.ok('customers.merge', { keepId: keep.id, mergeId: dup.id }, shop.manager);
    expect(merged.bookingsMoved).toBe(1);
    expect((await shop.ok('bookings.get', { id: b.id })).customer.id).toBe(keep.id);
    expect((await shop.ok('customers.search', { query: 'ana.dv' })).customers).toEqual([]);
    expect(await shop.fail('customers.merge', { keepId: keep.id, mergeId: dup.id }, shop.manager)).toMatchObject({ fields: { mergeId: expect.stringContaining('already merged') } });
    expect(await shop.fail('customers.merge', { keepId: keep.id, mergeId: keep.id }, shop.manager)).toMatchObject({ fields: { mergeId: expect.any(String) } });
  });

  it('erases a customer: personal data replaced, booking and payment amounts kept; refused with an open rental', async () => {
    shop = await openTestShop();
    const c = await shop.customer({ firstName: 'Jan', lastName: 'Jansen', email: 'jan@example.com', notes: 'Prefers automatic' });
    const v = await shop.vehicle();
    const past = await shop.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: at(2, 9), returnAt: at(3, 9) });
    insertPayment(shop, past.id, past.total.amount);
    const out = await shop.ok('bookings.checkOut', { id: past.id, odometer: 10_000, fuelEighths: 8 });
    const before = shop.count('audit_log');
    const refused = await shop.fail('customers.erase', { id: c.id, reason: 'Asked by email' }, shop.manager);
    expect(refused).toMatchObject({ code: 'conflict', message: expect.stringContaining(past.ref), fields: { id: 'Has an open rental' } });
    expect(shop.count('audit_log')).toBe(before);
    expect((await shop.ok('customers.search', { query: 'Jansen' })).customers).toHaveLength(1);
    shop.clock.now = new Date('2025-06-03T08:00:00Z');
    await shop.ok('bookings.checkIn', { id: out.id, odometer: 10_100, fuelEighths: 8 });
    const erased = await shop.ok('customers.erase', { id: c.id, reason: 'Asked by email' }, shop.manager);
    expect(erased.customer).toMatchObject({ name: 'Erased customer', email: '', notes: '' });
    expect(erased.bookingsKept).toBe(1);
    const after = await shop.ok('bookings.get', { id: past.id });
    expect(after.customer.name).toBe('Erased customer');
    expect(after.total.amount).toBeGreaterThan(0);
    expect(shop.b.db.prepare('SELECT amount, status FROM payments WHERE booking_id = ?').get(past.id)).toEqual({ amount: past.total.amount, status: 'succeeded' });
    expect((await shop.ok('customers.search', { query: 'Jansen' })).customers).toEqual([]);
    const dump = JSON.stringify(shop.b.db.prepare("SELECT * FROM customers WHERE id = ?").get(c.id));
    expect(dump).not.toMatch(/Jansen|jan@example|Prefers/);
    expect(await shop.fail('customers.upsert', { id: c.id, firstName: 'Jan', lastName: 'J', phone: '+31 6 1234 5678', licenceNumber: 'X1', licenceExpiry: '2030-01-01', dateOfBirth: '1980-01-01' })).toMatchObject({ fields: { id: expect.stringContaining('erased') } });
    // Nor can the erased record be booked again (a returning customer gets a new record).
    const again = await shop.fail('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: at(20, 9), returnAt: at(21, 9) });
    expect(again).toMatchObject({ code: 'invalid_input', fields: { customerId: expect.stringContaining('erased on request') } });
  });

  it('erasing a record also erases the records merged into it (the same person), their audit details included', async () => {
    shop = await openTestShop();
    const keep = await shop.customer({ firstName: 'Mergeda', lastName: 'Keepsen', email: 'keep@example.com' });
    const dup = await shop.customer({ firstName: 'Mergedb', lastName: 'Keepsen', email: 'dup.keep@example.com' });
    await shop.ok('customers.merge', { keepId: keep.id, mergeId: dup.id }, shop.manager);
    await shop.ok('customers.erase', { id: keep.id, reason: 'Asked in person' }, shop.manager);
    const rows = JSON.stringify(shop.b.db.prepare('SELECT * FROM customers WHERE id IN (?, ?)').all(keep.id, dup.id));
    expect(rows).not.toMatch(/Merged|Keepsen|example\.com/);
    expect(shop.b.db.prepare('SELECT count(*) FROM customers WHERE id IN (?, ?) AND erased_at IS NOT NULL').pluck().get(keep.id, dup.id)).toBe(2);
    expect(shop.b.db.prepare('SELECT count(*) FROM audit_personal WHERE subject_id IN (?, ?) AND payload_json IS NOT NULL').pluck().get(keep.id, dup.id)).toBe(0);
    expect(verifyAuditChain(shop.b.db)).toBeNull();
  });
});
