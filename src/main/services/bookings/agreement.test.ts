import { afterEach, describe, expect, it } from 'vitest';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';

let shop: TestShop;
afterEach(() => shop.close());

// A 1×1 PNG, as the signature pad would send.
const PNG_1PX = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

describe('rental agreement', () => {
  it("prints the shop's terms from settings, then the signature taken at check-out", async () => {
    shop = await openTestShop();
    await shop.ok('settings.update', { rentalTerms: 'Return the car clean.\nNo smoking.' }, shop.manager);
    const c = await shop.customer();
    const v = await shop.vehicle();
    const b = await shop.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: '2025-06-02T09:00:00+02:00', returnAt: '2025-06-03T09:00:00+02:00' });
    expect(await shop.ok('bookings.agreement', { id: b.id })).toMatchObject({ terms: 'Return the car clean.\nNo smoking.', signature: null, signedAt: null, signedOnPaper: false });
    await shop.ok('bookings.checkOut', { id: b.id, odometer: 20_000, fuelEighths: 8, signature: PNG_1PX });
    const signed = await shop.ok('bookings.agreement', { id: b.id });
    expect(signed.signature).toBe(PNG_1PX);
    expect(signed.signedAt).not.toBeNull();
    const tooLong = await shop.fail('settings.update', { rentalTerms: 'x'.repeat(8001) }, shop.manager);
    expect(tooLong.code).toBe('invalid_input');
  });
});
