import { existsSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';

let shop: TestShop;
afterEach(() => shop.close());

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
const url = (type: string, b: Buffer) => `data:image/${type};base64,${b.toString('base64')}`;
const kept = (s: TestShop) => (existsSync(join(s.dir, 'photos')) ? readdirSync(join(s.dir, 'photos')) : []);

describe('photos.save', () => {
  it('keeps a JPEG and a PNG by id, owner-only, and a hand-over takes the refs', async () => {
    shop = await openTestShop();
    const jpg = await shop.ok('photos.save', { image: url('jpeg', JPEG) });
    expect(jpg.ref).toMatch(/^photos\/[0-9A-Z]{26}\.jpg$/);
    expect(jpg.bytes).toBe(JPEG.length);
    // The kind comes from the bytes, not the type the sender claimed.
    const png = await shop.ok('photos.save', { image: url('jpeg', PNG) });
    expect(png.ref).toMatch(/\.png$/);
    if (process.platform !== 'win32') {
      expect(statSync(join(shop.dir, jpg.ref)).mode & 0o777).toBe(0o600);
      expect(statSync(join(shop.dir, 'photos')).mode & 0o777).toBe(0o700);
    }
    expect((await shop.ok('photos.get', { ref: jpg.ref })).image).toBe(url('jpeg', JPEG));

    const c = await shop.customer();
    const v = await shop.vehicle();
    const b = await shop.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: '2025-06-02T09:00:00+02:00', returnAt: '2025-06-03T09:00:00+02:00' });
    const out = await shop.ok('bookings.checkOut', { id: b.id, odometer: 20_000, fuelEighths: 8, photos: [jpg.ref, png.ref] });
    expect(out.checkOut?.photos).toEqual([jpg.ref, png.ref]);
  });

  it('refuses what is not image data, bytes that are not JPEG or PNG, and a photo too large, writing nothing', async () => {
    shop = await openTestShop();
    const cases: [string, RegExp][] = [
      ['not a data url', /not a photo Keydesk can keep/],
      ['data:text/html;base64,PGgxPg==', /not a photo Keydesk can keep/],
      ['data:image/jpeg;base64,', /Photo is empty|not a photo/],
      ['data:image/jpeg;base64,@@@@', /not a photo Keydesk can keep/],
      [url('jpeg', Buffer.from('GIF89a0000')), /not a JPEG or PNG photo/],
      [url('png', Buffer.from('<svg onload=alert(1)>')), /not a JPEG or PNG photo/],
      [url('jpeg', Buffer.concat([JPEG, Buffer.alloc(700 * 1024)])), /too large/],
    ];
    for (const [image, sentence] of cases) {
      const e = await shop.fail('photos.save', { image });
      expect(e.message, image.slice(0, 40)).toMatch(sentence);
    }
    // Far too large: refused by the contract before it is decoded.
    expect((await shop.fail('photos.save', { image: `data:image/jpeg;base64,${'A'.repeat(2_000_000)}` })).code).toBe('invalid_input');
    expect(kept(shop)).toEqual([]);
  });

  it('never reads or accepts a path outside its photos: traversal, absolute paths, links, signatures', async () => {
    shop = await openTestShop();
    writeFileSync(join(shop.dir, 'secret.jpg'), JPEG);
    mkdirSync(join(shop.dir, 'photos'), { recursive: true });
    symlinkSync(join(shop.dir, 'secret.jpg'), join(shop.dir, 'photos', 'link.jpg'));
    for (const ref of ['photos/../secret.jpg', '/etc/passwd', 'photos/..\\secret.jpg', 'signatures/x.png', 'photos/link.jpg', 'photos/missing.jpg']) {
      const e = await shop.fail('photos.get', { ref });
      expect(['invalid_input', 'not_found']).toContain(e.code);
    }
    const c = await shop.customer();
    const v = await shop.vehicle();
    const b = await shop.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: '2025-06-02T09:00:00+02:00', returnAt: '2025-06-03T09:00:00+02:00' });
    const e = await shop.fail('bookings.checkOut', { id: b.id, odometer: 20_000, fuelEighths: 8, photos: ['photos/link.jpg'] });
    expect(e.message).toMatch(/not one Keydesk saved/);
  });

  it('two photos saved at once are two files', async () => {
    shop = await openTestShop();
    const [a, b] = await Promise.all([shop.ok('photos.save', { image: url('jpeg', JPEG) }), shop.ok('photos.save', { image: url('jpeg', JPEG) })]);
    expect(a.ref).not.toBe(b.ref);
    expect(kept(shop)).toHaveLength(2);
  });
});
