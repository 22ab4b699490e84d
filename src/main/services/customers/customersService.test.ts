import { afterEach, describe, expect, it } from 'vitest';
import { readAuditPersonal } from '../../core/audit';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';

let shop: TestShop;
afterEach(() => shop.close());

describe('customers', () => {
  it('adds and edits a customer, auditing only what changed, and refuses a stale edit', async () => {
    shop = await openTestShop();
    const c = await shop.customer({ licenceNumber: 'nl123abc' });
    expect(c).toMatchObject({ name: 'Anna de Vries', licenceNumber: 'NL123ABC', version: 1 });
    const edited = await shop.ok('customers.upsert', {
      id: c.id, expectedVersion: 1, firstName: 'Anna', lastName: 'de Vries', phone: '+31 6 9999 0000',
      licenceNumber: 'NL123ABC', licenceExpiry: c.licenceExpiry, dateOfBirth: c.dateOfBirth, email: c.email,
    });
    expect(edited).toMatchObject({ phone: '+31 6 9999 0000', version: 2 });
    const audit = shop.b.db.prepare("SELECT seq, before_json, after_json FROM audit_log WHERE action = 'customer.update'").get() as { seq: number; before_json: string | null; after_json: string };
    // The chain names what changed; the values are personal data kept beside it (erasable).
    expect(audit.before_json).toBeNull();
    expect(JSON.parse(audit.after_json)).toEqual({ changed: ['phone'] });
    expect(readAuditPersonal(shop.b.db, audit.seq)).toEqual([{ subjectId: c.id, erased: false, before: { phone: '+31 6 1234 5678' }, after: { phone: '+31 6 9999 0000' } }]);
    const stale = await shop.fail('customers.upsert', {
      id: c.id, expectedVersion: 1, firstName: 'A', lastName: 'B', phone: '+31 6 1111 0000', licenceNumber: 'X1', licenceExpiry: '2030-01-01', dateOfBirth: '1980-01-01',
    });
    expect(stale.code).toBe('conflict');
  });

  it.each([
    ['an invalid email', { email: 'anna@' }, 'email'],
    ['a phone with letters', { phone: '+31 6 CALL ME' }, 'phone'],
    ['a birth date in the future', { dateOfBirth: '2030-01-01' }, 'dateOfBirth'],
    ['a date that is not a date', { licenceExpiry: '31/01/2031' }, 'licenceExpiry'],
    ['an empty last name', { lastName: '  ' }, 'lastName'],
    ['an oversized note', { notes: 'n'.repeat(2001) }, 'notes'],
  ])('refuses %s, naming the field', async (_what, over, field) => {
    shop = await openTestShop();
    const err = await shop.fail('customers.upsert', {
      firstName: 'Anna', lastName: 'de Vries', phone: '+31 6 1234 5678', licenceNumber: 'NL1', licenceExpiry: '2031-01-31', dateOfBirth: '1985-04-12', ...over,
    });
    expect(err.code).toBe('invalid_input');
    expect(Object.keys(err.fields ?? {})).toEqual([field]);
    expect(shop.count('customers')).toBe(0);
  });

  it('shows a customer with their bookings, newest first', async () => {
    shop = await openTestShop();
    const c = await shop.customer();
    const v = await shop.vehicle();
    const one = await shop.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: '2025-06-03T10:00:00+02:00', returnAt: '2025-06-04T10:00:00+02:00' });
    const two = await shop.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: '2025-06-10T10:00:00+02:00', returnAt: '2025-06-11T10:00:00+02:00' });
    const res = await shop.ok('customers.get', { id: c.id });
    expect(res.customer.id).toBe(c.id);
    expect(res.bookings.map((b) => b.ref)).toEqual([two.ref, one.ref]);
    expect((await shop.fail('customers.get', { id: '01JZZZZZZZZZZZZZZZZZZZZZZZ' })).code).toBe('not_found');
  });
});
