import { afterEach, describe, expect, it } from 'vitest';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';
import type { LocationsApi } from './index';

let shop: TestShop;
afterEach(() => shop.close());

describe('locations', () => {
  it('adds and edits a location with address, time zone, currency, hours, turnaround and tax', async () => {
    shop = await openTestShop();
    const added = await shop.ok(
      'locations.upsert',
      {
        code: 'utr',
        name: 'Utrecht Centraal',
        address: 'Stationsplein 1, Utrecht',
        timeZone: 'Europe/Amsterdam',
        currency: 'eur',
        openingHours: [{ day: 6, opens: '09:00', closes: '13:00' }, { day: 1, opens: '08:00', closes: '18:00' }],
        turnaroundMinutes: 45,
        taxName: 'BTW',
        taxRateBp: 2100,
      },
      shop.manager,
    );
    expect(added).toMatchObject({ code: 'UTR', currency: 'EUR', turnaroundMinutes: 45, taxRateBp: 2100, isHome: false });
    expect(added.openingHours.map((h) => h.day)).toEqual([1, 6]);
    expect((await shop.ok('locations.list', {})).locations.map((l) => l.code)).toContain('UTR');
    const edited = await shop.ok('locations.upsert', { id: added.id, code: added.code, name: added.name, openingHours: added.openingHours, expectedVersion: added.version, turnaroundMinutes: null }, shop.manager);
    expect(edited.turnaroundMinutes).toBeNull();
    expect(edited.version).toBe(added.version + 1);
  });

  it('refuses bad input with the field named and writes nothing', async () => {
    shop = await openTestShop();
    const n = shop.count('locations');
    const base = { code: 'X1', name: 'X' };
    expect((await shop.fail('locations.upsert', { ...base, timeZone: 'Mars/Olympus' }, shop.manager)).fields?.timeZone).toBeDefined();
    expect((await shop.fail('locations.upsert', { ...base, turnaroundMinutes: -5 }, shop.manager)).fields?.turnaroundMinutes).toMatch(/negative/);
    expect((await shop.fail('locations.upsert', { ...base, openingHours: [{ day: 1, opens: '18:00', closes: '08:00' }] }, shop.manager)).fields?.['openingHours.0.closes']).toMatch(/after opening/);
    const existing = (await shop.ok('locations.manage.list', {}, shop.manager)).locations[0];
    expect(await shop.fail('locations.upsert', { code: existing?.code ?? '', name: 'Copy' }, shop.manager)).toMatchObject({ code: 'conflict', fields: { code: expect.any(String) } });
    expect(await shop.fail('locations.upsert', base)).toMatchObject({ code: 'forbidden' });
    expect(shop.count('locations')).toBe(n);
  });
});

describe('location terms', () => {
  it('fills what a location leaves empty from the shop and the rate card; 0 minutes is a real 0', async () => {
    shop = await openTestShop({ turnaroundMinutes: 45 });
    const api = shop.b.modules.find((m) => m.name === 'locations')?.api as LocationsApi;
    const bare = await shop.ok('locations.upsert', { code: 'BARE', name: 'Bare' }, shop.manager);
    const own = await shop.ok('locations.upsert', { code: 'OWN', name: 'Own', timeZone: 'Europe/Lisbon', currency: 'EUR', turnaroundMinutes: 0, taxName: 'IVA', taxRateBp: 2300 }, shop.manager);
    const nameOnly = await shop.ok('locations.upsert', { code: 'NAME', name: 'Name only', taxName: 'BTW' }, shop.manager);
    expect(api.termsOf(bare.id)).toMatchObject({ timeZone: 'Europe/Amsterdam', currency: 'EUR', ownCurrency: false, tax: null, turnaroundMinutes: 45, openingHours: [] });
    expect(api.termsOf(own.id)).toMatchObject({ timeZone: 'Europe/Lisbon', ownCurrency: true, tax: { name: 'IVA', rateBp: 2300 }, turnaroundMinutes: 0 });
    // A tax name alone keeps the card's rate (the demo card: 20 %).
    expect(api.termsOf(nameOnly.id).tax).toEqual({ name: 'BTW', rateBp: 2000 });
    expect(api.turnaround(own.id)).toEqual({ own: 0, shop: 45, max: 45 });
    expect(api.turnaround(bare.id).own).toBe(45);
    expect(() => api.termsOf('01J0000000000000000000NONE', 'pickupLocationId')).toThrow(/Unknown location/);
  });
});
