import { existsSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestShop } from '../testing/testShop';
import type { TestShop } from '../testing/testShop';

let shop: TestShop;
afterEach(() => shop.close());

const customerCount = () => shop.count('customers');

describe('text fields (one rule: NFC, no control or format characters)', () => {
  it('refuses invisible names, control characters and bidi overrides, and stores names composed', async () => {
    shop = await openTestShop();
    const before = customerCount();
    const zw = await shop.fail('customers.upsert', { ...(await base()), firstName: '\u200b\u200b' });
    expect(zw).toMatchObject({ code: 'invalid_input', fields: { firstName: 'First name cannot be empty' } });
    const nul = await shop.fail('customers.upsert', { ...(await base()), lastName: 'Smith\u0000' });
    expect(nul.fields?.lastName).toMatch(/may not contain line breaks, control or invisible characters/);
    const esc = await shop.fail('customers.upsert', { ...(await base()), licenceNumber: 'AB\u001b[31m123' });
    expect(esc.fields?.licenceNumber).toMatch(/control or invisible/);
    const rlo = await shop.fail('customers.upsert', { ...(await base()), lastName: 'evil\u202egnp.exe' });
    expect(rlo.fields?.lastName).toMatch(/control or invisible/);
    const bel = await shop.fail('customers.upsert', { ...(await base()), notes: 'ring\u0007' });
    expect(bel.fields?.notes).toMatch(/only line breaks/);
    expect(customerCount()).toBe(before);

    const ok = await shop.ok('customers.upsert', { ...(await base()), firstName: 'Zoe\u0301', notes: 'line one\r\nline two' });
    expect(ok.firstName).toBe('Zoé');
    expect(ok.notes).toBe('line one\nline two');
  });

  it('applies to vehicles and settings too', async () => {
    shop = await openTestShop();
    expect(await shop.fail('vehicles.upsert', { plate: 'AB 123', make: '\u2060', model: 'X', class: 'midsize', odometer: 1, fuelEighths: 8 }, shop.manager)).toMatchObject({ fields: { make: 'Make cannot be empty' } });
    expect((await shop.fail('settings.update', { shopName: 'Shop\u202e' }, shop.manager)).fields?.shopName).toMatch(/control or invisible/);
  });
});

async function base() {
  return { firstName: 'Ada', lastName: 'Lovelace', phone: '+44 20 7946 0000', licenceNumber: 'LOVEL851215', licenceExpiry: '2030-01-01', dateOfBirth: '1985-12-15' };
}

describe('dates', () => {
  it('counter.today for 9999-12-31 answers a named error, not "internal"', async () => {
    shop = await openTestShop();
    const err = await shop.fail('counter.today', { date: '9999-12-31' });
    expect(err).toMatchObject({ code: 'date_out_of_range', fields: { date: 'Must be a date between 1900-01-01 and 2099-12-31' } });
    expect((await shop.fail('customers.upsert', { ...(await base()), dateOfBirth: '0001-01-01' })).code).toBe('date_out_of_range');
  });

  it('bookings beyond the horizon (two years by default, a setting) are refused on quote, create, modify and extend', async () => {
    shop = await openTestShop();
    const v = await shop.vehicle({ class: 'midsize' });
    const c = await shop.customer();
    const far = { pickupAt: '2099-06-01T09:00:00Z', returnAt: '2099-06-03T09:00:00Z' };
    const q = await shop.fail('bookings.quote', { vehicleId: v.id, customerId: c.id, ...far });
    expect(q).toMatchObject({ code: 'date_out_of_range', message: 'Pickup is too far ahead: bookings can be made up to 730 days ahead (until 2027-06-02).', fields: { pickupAt: expect.any(String) } });
    expect((await shop.fail('bookings.create', { vehicleId: v.id, customerId: c.id, ...far })).code).toBe('date_out_of_range');
    // 2200 is outside every date the contract accepts.
    expect(await shop.fail('bookings.quote', { vehicleId: v.id, pickupAt: '2200-01-01T09:00:00Z', returnAt: '2200-01-02T09:00:00Z' })).toMatchObject({ code: 'date_out_of_range' });

    const d = await shop.ok('bookings.create', { vehicleId: v.id, customerId: c.id, pickupAt: '2025-06-10T09:00:00Z', returnAt: '2025-06-12T09:00:00Z' });
    expect((await shop.fail('bookings.modify', { id: d.id, returnAt: '2028-01-01T09:00:00Z' })).fields?.returnAt).toMatch(/too far ahead/);
    expect((await shop.fail('bookings.extend', { id: d.id, returnAt: '2028-01-01T09:00:00Z' })).code).toBe('date_out_of_range');

    await shop.ok('settings.update', { bookingHorizonDays: 30 }, shop.manager);
    expect((await shop.fail('bookings.quote', { vehicleId: v.id, pickupAt: '2025-08-01T09:00:00Z', returnAt: '2025-08-02T09:00:00Z' })).message).toMatch(/up to 30 days ahead/);
    expect(await shop.ok('bookings.quote', { vehicleId: v.id, pickupAt: '2025-06-20T09:00:00Z', returnAt: '2025-06-22T09:00:00Z' })).toBeDefined();
  });
});

describe('signature and photo references', () => {
  async function readyToCheckOut() {
    const v = await shop.vehicle({ class: 'midsize', odometer: 10_000 });
    const c = await shop.customer();
    const d = await shop.ok('bookings.create', { vehicleId: v.id, customerId: c.id, pickupAt: '2025-06-02T09:00:00Z', returnAt: '2025-06-04T09:00:00Z' });
    shop.clock.now = new Date('2025-06-02T09:05:00Z');
    return d;
  }

  it('accept only files Keydesk stored in its data folder, by ref', async () => {
    shop = await openTestShop();
    const d = await readyToCheckOut();
    const out = (extra: Record<string, unknown>) => shop.fail('bookings.checkOut', { id: d.id, odometer: 10_000, fuelEighths: 8, ...extra } as never);
    for (const signature of ['/etc/passwd', 'signatures/../../../etc/passwd', 'C:\\Windows\\win.ini', 'file:///etc/passwd']) {
      expect((await out({ signature })).fields?.signature, signature).toMatch(/not a path/);
    }
    for (const photo of ['/etc/passwd', '../keydesk.sqlite', 'photos/../keydesk.sqlite']) {
      expect((await out({ photos: [photo] })).fields?.['photos.0'], photo).toMatch(/not a path/);
    }
    // Right shape, but not a file this counter stored.
    expect((await out({ signature: 'signatures/never-saved.png' })).fields?.signature).toMatch(/not one Keydesk saved/);
    expect((await out({ photos: ['photos/never-saved.jpg'] })).fields?.photos).toMatch(/not one Keydesk saved/);
    // A link inside the folder that points out of it.
    mkdirSync(join(shop.dir, 'signatures'), { recursive: true });
    symlinkSync('/etc/passwd', join(shop.dir, 'signatures', 'link.png'));
    expect((await out({ signature: 'signatures/link.png' })).fields?.signature).toMatch(/not one Keydesk saved/);
    expect((await shop.ok('bookings.get', { id: d.id })).status).toBe('reserved');
  });

  it('a signature saved by Keydesk is stored 0600 and its ref can be given again', async () => {
    shop = await openTestShop();
    const d = await readyToCheckOut();
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const done = await shop.ok('bookings.checkOut', { id: d.id, odometer: 10_000, fuelEighths: 8, signature: `data:image/png;base64,${png.toString('base64')}` });
    const ref = done.checkOut?.signatureRef ?? '';
    expect(ref).toMatch(/^signatures\/[A-Z0-9]+-[A-Z0-9]+\.png$/);
    expect(existsSync(join(shop.dir, ref))).toBe(true);
    if (process.platform !== 'win32') expect(statSync(join(shop.dir, ref)).mode & 0o777).toBe(0o600);
    const d2 = await readyToCheckOut();
    mkdirSync(join(shop.dir, 'photos'), { recursive: true });
    writeFileSync(join(shop.dir, 'photos', 'front.jpg'), 'jpeg');
    const again = await shop.ok('bookings.checkOut', { id: d2.id, odometer: 10_000, fuelEighths: 8, signature: ref, photos: ['photos/front.jpg'] });
    expect(again.checkOut).toMatchObject({ signatureRef: ref, photos: ['photos/front.jpg'] });
  });
});
