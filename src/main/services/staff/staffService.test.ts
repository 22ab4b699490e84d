import { afterEach, describe, expect, it } from 'vitest';
import { createBackend } from '../../backend';
import { memoryLogger } from '../../log';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';

const nobody = { role: null, staffId: null, transport: 'http' as const };
let shop: TestShop;
afterEach(() => shop.close());

describe('sign-in', () => {
  it('lists staff without secrets and signs in with the right PIN', async () => {
    shop = await openTestShop();
    const { staff } = await shop.ok('staff.list', {}, nobody);
    expect(staff.map((s) => [s.name, s.role])).toEqual([['Demo manager', 'manager'], ['Demo clerk', 'clerk']]);
    expect(Object.keys(staff[0] ?? {}).sort()).toEqual(['id', 'name', 'role']);
    const clerk = staff.find((s) => s.role === 'clerk');
    const session = await shop.ok('session.signIn', { staffId: clerk?.id ?? '', pin: '0000' }, nobody);
    expect(session).toEqual({ staffId: clerk?.id, name: 'Demo clerk', role: 'clerk' });
    expect(await shop.ok('session.current', {}, nobody)).toEqual(session);
    expect(shop.b.session.context('http').role).toBe('clerk');
    expect(await shop.ok('session.signOut', {}, nobody)).toEqual({ staffId: null, name: '', role: null });
  });

  it('says how many tries are left, locks for 5 minutes after 5 wrong PINs, and says until when', async () => {
    shop = await openTestShop();
    const manager = (await shop.ok('staff.list', {}, nobody)).staff[0];
    const signIn = (pin: string) => shop.b.call(nobody, 'session.signIn', { staffId: manager?.id, pin });
    for (let left = 4; left >= 1; left--) {
      const res = await signIn('9999');
      expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input', message: `Wrong PIN. ${left} ${left === 1 ? 'try' : 'tries'} left before Demo manager is locked for 5 minutes.` } });
      if (!res.ok) expect(res.error.fields?.pin).toBeDefined();
    }
    const fifth = await signIn('9999');
    // Clock: 08:00 Amsterdam → locked until 08:05.
    expect(fifth).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('locked until 2 Jun 2025, 08:05') } });
    // Even the right PIN is refused while locked.
    expect(await signIn('1234')).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('until 2 Jun 2025, 08:05') } });
    expect(shop.b.session.current().role).toBe('manager'); // still the demo manager from start-up
    shop.clock.now = new Date(shop.clock.now.getTime() + 5 * 60_000 + 1);
    expect(await signIn('1234')).toMatchObject({ ok: true, value: { name: 'Demo manager', role: 'manager' } });
    const actions = (shop.b.db.prepare("SELECT action FROM audit_log WHERE entity_type = 'staff' ORDER BY seq").all() as { action: string }[]).map((r) => r.action);
    expect(actions).toEqual(['staff.sign_in_failed', 'staff.sign_in_failed', 'staff.sign_in_failed', 'staff.sign_in_failed', 'staff.locked', 'staff.sign_in']);
    // A success resets the count.
    expect(await signIn('9999')).toMatchObject({ ok: false, error: { message: expect.stringContaining('4 tries left') } });
  });

  it('refuses an unknown member of staff and never stores a PIN in clear', async () => {
    shop = await openTestShop();
    const res = await shop.b.call(nobody, 'session.signIn', { staffId: '01JZZZZZZZZZZZZZZZZZZZZZZZ', pin: '1234' });
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { staffId: expect.any(String) } } });
    const hashes = (shop.b.db.prepare('SELECT pin_hash FROM staff').all() as { pin_hash: string }[]).map((r) => r.pin_hash);
    for (const h of hashes) expect(h).toMatch(/^scrypt\$16384\$8\$1\$[^$]+\$[^$]+$/);
    expect(new Set(hashes).size).toBe(2);
  });
});

describe('start-up session', () => {
  it('demo mode opens signed in as the seeded demo manager; test mode starts signed out', () => {
    const demo = createBackend({ dataDir: '/x', dbPath: ':memory:', version: '1', transport: 'http', log: memoryLogger(), demoSeed: { full: false } });
    const managerId = (demo.db.prepare("SELECT id FROM staff WHERE role = 'manager'").get() as { id: string }).id;
    expect(demo.session.current()).toEqual({ staffId: managerId, name: 'Demo manager', role: 'manager' });
    demo.close();
    const test = createBackend({ dataDir: '/x', dbPath: ':memory:', version: '1', transport: 'http', log: memoryLogger(), mode: 'test' });
    expect(test.session.current()).toEqual({ staffId: null, name: '', role: null });
    expect((test.db.prepare('SELECT count(*) AS n FROM staff').get() as { n: number }).n).toBe(0);
    test.close();
  });
});
