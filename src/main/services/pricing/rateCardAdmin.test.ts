import { afterEach, describe, expect, it } from 'vitest';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';

let shop: TestShop;
afterEach(() => shop.close());
const sample = { vehicleClass: 'compact', pickupAt: '2025-06-10T09:00:00+02:00', returnAt: '2025-06-13T09:00:00+02:00', driverAges: [30, 22] };

describe('rate-card editing', () => {
  it('previews a sample with the old and the new card side by side, saves a new version, and old bookings keep theirs', async () => {
    shop = await openTestShop();
    const v = await shop.vehicle({ class: 'compact' });
    const c = await shop.customer();
    const booking = await shop.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: sample.pickupAt, returnAt: sample.returnAt });
    const { raw } = await shop.ok('rates.get', {});
    const compact = raw.classes.compact;
    if (!compact) throw new Error('demo card has compact');
    const edited = { ...raw, classes: { ...raw.classes, compact: { ...compact, dailyRate: compact.dailyRate + 1000 } } };
    const p = await shop.ok('rates.preview', { card: edited, sample }, shop.manager);
    expect(p.current?.rateCardVersion).toBe(raw.version);
    expect(p.proposed.rateCardVersion).toBe(raw.version + 1);
    expect(p.proposed.rentalDays).toBe(3);
    // Three days dearer by 10.00 each, before tax.
    expect(p.proposed.total.amount).toBeGreaterThan((p.current?.total.amount ?? 0) + 2999);
    // A young-driver line for the 22-year-old second driver.
    if (raw.youngDriver) expect(p.proposed.lines.some((l) => /young/i.test(l.description))).toBe(true);
    // The preview wrote nothing.
    expect((await shop.ok('rates.get', {})).raw.version).toBe(raw.version);
    const saved = await shop.ok('rates.update', { card: edited }, shop.manager);
    expect(saved.card.version).toBe(raw.version + 1);
    const again = await shop.ok('bookings.get', { id: booking.id });
    expect(again.total).toEqual(booking.total);
    expect(again.quote.rateCardVersion).toBe(raw.version);
  });

  it('refuses a negative rate field by field, and a card missing a class that has vehicles; nothing is written', async () => {
    shop = await openTestShop();
    await shop.vehicle({ class: 'suv' });
    const { raw } = await shop.ok('rates.get', {});
    const suv = raw.classes.suv;
    if (!suv) throw new Error('demo card has suv');
    const negative = { ...raw, classes: { ...raw.classes, suv: { ...suv, dailyRate: -100 } } };
    const e1 = await shop.fail('rates.update', { card: negative }, shop.manager);
    expect(e1.fields?.['card.classes.suv.dailyRate']).toMatch(/negative/);
    const e1p = await shop.fail('rates.preview', { card: negative, sample }, shop.manager);
    expect(e1p.fields?.['card.classes.suv.dailyRate']).toMatch(/negative/);
    const { suv: _gone, ...rest } = raw.classes;
    const missing = { ...raw, classes: rest };
    const p = await shop.ok('rates.preview', { card: missing, sample }, shop.manager);
    expect(p.missingClasses).toEqual(['suv']);
    const e2 = await shop.fail('rates.update', { card: missing }, shop.manager);
    expect(e2).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('no rate for suv'), fields: { 'card.classes.suv': expect.any(String) } });
    expect((await shop.ok('rates.get', {})).raw.version).toBe(raw.version);
    expect(await shop.fail('rates.preview', { card: raw, sample }, shop.clerk)).toMatchObject({ code: 'forbidden' });
  });

  it('a version saved with an effective date takes effect then; bookings made before keep the old card', async () => {
    shop = await openTestShop();
    const { raw } = await shop.ok('rates.get', {});
    const compact = raw.classes.compact;
    if (!compact) throw new Error('demo card has compact');
    const edited = { ...raw, classes: { ...raw.classes, compact: { ...compact, dailyRate: compact.dailyRate + 500 } } };
    const past = await shop.fail('rates.schedule', { card: edited, effectiveFrom: '2025-06-01T00:00:00Z' }, shop.manager);
    expect(past.fields?.effectiveFrom).toMatch(/future/);
    const s = await shop.ok('rates.schedule', { card: edited, effectiveFrom: '2025-06-05T00:00:00+02:00' }, shop.manager);
    expect(s).toMatchObject({ version: raw.version + 1, upcoming: [{ version: raw.version + 1 }] });
    expect((await shop.ok('rates.get', {})).raw.version).toBe(raw.version);
    const v = await shop.vehicle({ class: 'compact' });
    const c = await shop.customer();
    const before = await shop.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: '2025-06-10T09:00:00+02:00', returnAt: '2025-06-11T09:00:00+02:00' });
    expect(before.quote.rateCardVersion).toBe(raw.version);
    shop.clock.now = new Date('2025-06-05T00:00:00+02:00');
    expect((await shop.ok('rates.get', {})).raw.classes.compact?.dailyRate).toBe(compact.dailyRate + 500);
    expect((await shop.ok('rates.upcoming', {}, shop.manager)).upcoming).toEqual([]);
    const after = await shop.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: '2025-06-12T09:00:00+02:00', returnAt: '2025-06-13T09:00:00+02:00' });
    expect(after.quote.rateCardVersion).toBe(raw.version + 1);
    // The earlier booking, changed now, is still priced on its own card.
    const moved = await shop.ok('bookings.modify', { id: before.id, returnAt: '2025-06-11T10:00:00+02:00' });
    expect(moved.quote.rateCardVersion).toBe(raw.version);
  });
});
