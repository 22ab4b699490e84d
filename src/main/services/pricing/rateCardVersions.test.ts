import { afterEach, describe, expect, it } from 'vitest';
import type { ParsedRateCard } from '../../../shared/contract/pricing';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';

let shop: TestShop;
afterEach(() => shop.close());
const sample = { vehicleClass: 'compact', pickupAt: '2025-06-10T09:00:00+02:00', returnAt: '2025-06-13T09:00:00+02:00', driverAges: [30] };
// The test shop's clock starts on Monday 2 June 2025, 08:00 in Amsterdam.
const JUNE_5 = '2025-06-05T00:00:00+02:00';

/** The stored card with the compact day rate raised by `by`. */
function dearer(raw: ParsedRateCard, by: number): ParsedRateCard {
  const compact = raw.classes.compact;
  if (!compact) throw new Error('demo card has compact');
  return { ...raw, classes: { ...raw.classes, compact: { ...compact, dailyRate: compact.dailyRate + by } } };
}

async function withScheduled(s: TestShop) {
  const { raw } = await s.ok('rates.get', {});
  const scheduled = await s.ok('rates.schedule', { card: dearer(raw, 500), effectiveFrom: JUNE_5 }, s.manager);
  expect(scheduled.version).toBe(raw.version + 1);
  return { raw, v1: raw.version, v2: scheduled.version };
}

const compactRate = async (s: TestShop) => (await s.ok('rates.get', {})).raw.classes.compact?.dailyRate;
const states = async (s: TestShop) => Object.fromEntries((await s.ok('rates.versions', {}, s.manager)).versions.map((v) => [v.version, v.state]));

describe('rate-card versions', () => {
  it('the preview names the version saving would make, after a scheduled one', async () => {
    shop = await openTestShop();
    const { raw, v2 } = await withScheduled(shop);
    const p = await shop.ok('rates.preview', { card: dearer(raw, 100), sample }, shop.manager);
    expect(p.current?.rateCardVersion).toBe(raw.version);
    expect(p.proposed.rateCardVersion).toBe(v2 + 1);
    const saved = await shop.ok('rates.update', { card: dearer(raw, 100), laterVersions: 'keep' }, shop.manager);
    expect(saved.card.version).toBe(p.proposed.rateCardVersion);
  });

  it('saving while a later version is scheduled asks for a choice, naming both dates, and writes nothing', async () => {
    shop = await openTestShop();
    const { raw, v2 } = await withScheduled(shop);
    const before = shop.count('rate_cards');
    const audits = shop.count('audit_log');
    const now = await shop.fail('rates.update', { card: dearer(raw, 100) }, shop.manager);
    expect(now.code).toBe('conflict');
    expect(now.fields?.laterVersions).toMatch(new RegExp(`Version ${v2 + 1} would apply now \\(2 Jun 2025, 08:00\\), but version ${v2} from 5 Jun 2025, 00:00 is already scheduled`));
    expect(now.message).toMatch(/cancel the scheduled version, or keep it/);
    // A date before the scheduled one asks too; one after it does not.
    const earlier = await shop.fail('rates.schedule', { card: dearer(raw, 100), effectiveFrom: '2025-06-04T00:00:00+02:00' }, shop.manager);
    expect(earlier.fields?.laterVersions).toMatch(/would apply from 4 Jun 2025, 00:00, but version \d+ from 5 Jun 2025, 00:00/);
    const sameTime = await shop.fail('rates.schedule', { card: dearer(raw, 100), effectiveFrom: JUNE_5, laterVersions: 'cancel' }, shop.manager);
    expect(sameTime.fields?.effectiveFrom).toMatch(new RegExp(`Version ${v2} already takes effect at 5 Jun 2025, 00:00`));
    expect(shop.count('rate_cards')).toBe(before);
    expect(shop.count('audit_log')).toBe(audits);
    // A bad card is named field by field before any choice is asked for.
    const bad = dearer(raw, 0);
    (bad.classes.compact as { dailyRate: number }).dailyRate = -1;
    expect((await shop.fail('rates.update', { card: bad }, shop.manager)).fields?.['card.classes.compact.dailyRate']).toMatch(/negative/);
    const later = await shop.ok('rates.schedule', { card: dearer(raw, 900), effectiveFrom: '2025-06-20T00:00:00+02:00' }, shop.manager);
    expect(later.upcoming.map((u) => u.version)).toEqual([v2, v2 + 1]);
  });

  it("'keep': the change applies now and the scheduled version replaces it on its date, as the list says", async () => {
    shop = await openTestShop();
    const { raw, v1, v2 } = await withScheduled(shop);
    const v3 = (await shop.ok('rates.update', { card: dearer(raw, 100), laterVersions: 'keep' }, shop.manager)).card.version;
    expect(await compactRate(shop)).toBe((raw.classes.compact?.dailyRate ?? 0) + 100);
    const list = (await shop.ok('rates.versions', {}, shop.manager)).versions;
    expect(list.map((v) => [v.version, v.state])).toEqual([[v3, 'in_force'], [v2, 'scheduled'], [v1, 'superseded']]);
    expect(list[0]?.replacedBy).toEqual({ version: v2, at: new Date(JUNE_5).toISOString() });
    expect(list[0]?.savedBy).toBe('Demo manager');
    // A booking quoted on version 3 keeps it after version 2 takes over.
    const v = await shop.vehicle({ class: 'compact' });
    const c = await shop.customer();
    const b = await shop.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt: sample.pickupAt, returnAt: sample.returnAt });
    expect(b.quote.rateCardVersion).toBe(v3);
    shop.clock.now = new Date(JUNE_5);
    expect(await compactRate(shop)).toBe((raw.classes.compact?.dailyRate ?? 0) + 500);
    expect(await states(shop)).toEqual({ [v1]: 'superseded', [v2]: 'in_force', [v3]: 'superseded' });
    expect((await shop.ok('bookings.modify', { id: b.id, returnAt: '2025-06-13T10:00:00+02:00' })).quote.rateCardVersion).toBe(v3);
    const audit = shop.b.db.prepare("SELECT after_json FROM audit_log WHERE action = 'rates.later_versions'").pluck().all() as string[];
    expect(audit.map((a) => JSON.parse(a) as unknown)).toEqual([{ version: v3, kept: [v2], cancelled: [] }]);
  });

  it("'cancel': the scheduled version is cancelled (audited) and never takes effect", async () => {
    shop = await openTestShop();
    const { raw, v2 } = await withScheduled(shop);
    const v3 = (await shop.ok('rates.update', { card: dearer(raw, 100), laterVersions: 'cancel' }, shop.manager)).card.version;
    expect((await shop.ok('rates.upcoming', {}, shop.manager)).upcoming).toEqual([]);
    shop.clock.now = new Date('2025-06-06T00:00:00+02:00');
    expect(await compactRate(shop)).toBe((raw.classes.compact?.dailyRate ?? 0) + 100);
    const list = (await shop.ok('rates.versions', {}, shop.manager)).versions;
    expect(list.find((v) => v.version === v2)).toMatchObject({ state: 'cancelled', cancelledBy: 'Demo manager', replacedBy: null });
    expect(list.find((v) => v.version === v3)).toMatchObject({ state: 'in_force', replacedBy: null });
    const rows = shop.b.db.prepare("SELECT actor_id, after_json FROM audit_log WHERE action = 'rates.cancel_schedule'").all() as { actor_id: string; after_json: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]?.actor_id).toBe(shop.manager.staffId);
    expect(JSON.parse(rows[0]?.after_json ?? '{}')).toMatchObject({ version: v2, cancelled: true, reason: `Replaced by version ${v3}` });
  });

  it('a manager cancels a scheduled version before its date; not after, not twice, and not a clerk', async () => {
    shop = await openTestShop();
    const { raw, v1, v2 } = await withScheduled(shop);
    const id = raw.id;
    expect(await shop.fail('rates.cancelScheduled', { id, version: v2, reason: 'Wrong figures' }, shop.clerk)).toMatchObject({ code: 'forbidden' });
    expect((await shop.fail('rates.cancelScheduled', { id, version: v2, reason: ' ' }, shop.manager)).fields?.reason).toBeDefined();
    expect((await shop.fail('rates.cancelScheduled', { id, version: v1, reason: 'Wrong figures' }, shop.manager)).fields?.version).toMatch(/took effect when it was saved/);
    const after = await shop.ok('rates.cancelScheduled', { id, version: v2, reason: 'Wrong figures' }, shop.manager);
    expect(after.versions.map((v) => [v.version, v.state])).toEqual([[v2, 'cancelled'], [v1, 'in_force']]);
    expect((await shop.fail('rates.cancelScheduled', { id, version: v2, reason: 'Again' }, shop.manager)).fields?.version).toMatch(/already cancelled on 2 Jun 2025, 08:00/);
    shop.clock.now = new Date(JUNE_5);
    expect(await compactRate(shop)).toBe(raw.classes.compact?.dailyRate);
    // With the scheduled version gone, a change saves without a question.
    await shop.ok('rates.update', { card: dearer(raw, 100) }, shop.manager);

    // A version whose date has come can no longer be cancelled.
    const s2 = await shop.ok('rates.schedule', { card: dearer(raw, 700), effectiveFrom: '2025-06-07T00:00:00+02:00' }, shop.manager);
    shop.clock.now = new Date('2025-06-07T00:00:00+02:00');
    expect((await shop.fail('rates.cancelScheduled', { id, version: s2.version, reason: 'Too late' }, shop.manager)).fields?.version).toMatch(/took effect on 7 Jun 2025, 00:00/);
    expect(shop.count("audit_log WHERE action = 'rates.cancel_schedule'")).toBe(1);
  });
});
