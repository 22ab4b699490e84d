import { afterEach, describe, expect, it } from 'vitest';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';
import { agoWords } from './bookingContext';

let shop: TestShop;
afterEach(() => shop.close());

// Monday 2 June 2025 in Amsterdam; the demo card rents to drivers aged 21 or over.
const at = (day: number, hh: number) => `2025-06-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:00:00+02:00`;

describe('who may drive', () => {
  it('an expired licence is called expired, with how long ago, and an under-age driver is named in the same answer', async () => {
    shop = await openTestShop();
    const v = await shop.vehicle();
    const c = await shop.customer({ licenceExpiry: '2024-01-01', dateOfBirth: '2006-01-01' });
    const err = await shop.fail('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: at(2, 10), returnAt: at(4, 10) });
    expect(err.code).toBe('invalid_input');
    const said = err.fields?.customerId ?? '';
    expect(said).toContain('licence expired on 1 Jan 2024 (17 months ago)');
    expect(said).not.toContain('before the return');
    expect(said).toContain('is 19 at pickup');
    expect(said).toContain('aged 21 or over');
    expect(shop.count('bookings')).toBe(0);
  });

  it('an adult with a valid licence books; an under-age driver with a valid licence hears only the age', async () => {
    shop = await openTestShop();
    const ok = await shop.customer({ licenceExpiry: '2030-01-01', dateOfBirth: '1990-01-01' });
    expect((await shop.ok('bookings.create', { customerId: ok.id, vehicleId: (await shop.vehicle()).id, pickupAt: at(2, 10), returnAt: at(4, 10) })).status).toBe('reserved');
    const young = await shop.customer({ lastName: 'Jong', licenceExpiry: '2030-01-01', dateOfBirth: '2006-01-01' });
    const err = await shop.fail('bookings.create', { customerId: young.id, vehicleId: (await shop.vehicle()).id, pickupAt: at(2, 10), returnAt: at(4, 10) });
    expect(err.fields?.customerId).toMatch(/^Anna Jong is 19 at pickup; this shop rents only to drivers aged 21 or over\. Choose another driver\.$/);
  });

  it('says how long ago in the largest whole unit', () => {
    expect(agoWords('2024-01-01', '2025-06-02')).toBe('17 months ago');
    expect(agoWords('2025-05-30', '2025-06-02')).toBe('3 days ago');
    expect(agoWords('2025-06-01', '2025-06-02')).toBe('yesterday');
    expect(agoWords('2022-06-02', '2025-06-02')).toBe('3 years ago');
  });
});
