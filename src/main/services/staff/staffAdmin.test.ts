import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../../core/handlers';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';

const nobody: CallContext = { role: null, staffId: null, transport: 'http' };
const shops: TestShop[] = [];
afterEach(() => {
  while (shops.length) shops.pop()?.close();
});
async function shop(opts: Parameters<typeof openTestShop>[0] = {}): Promise<TestShop> {
  const s = await openTestShop(opts);
  shops.push(s);
  return s;
}
const as = (s: { id: string; role: 'clerk' | 'manager' | 'admin' }): CallContext => ({ role: s.role, staffId: s.id, transport: 'internal' });
const audits = (t: TestShop, action: string) => (t.b.db.prepare('SELECT count(*) AS n FROM audit_log WHERE action = ?').get(action) as { n: number }).n;

describe('staff management', () => {
  it('a manager adds a clerk, who must choose their own PIN before signing in', async () => {
    const t = await shop();
    const added = await t.ok('staff.add', { name: 'Priya Shah', role: 'clerk', pin: '4321' }, t.manager);
    expect(added).toMatchObject({ name: 'Priya Shah', role: 'clerk', active: true, mustChangePin: true });
    const refused = await t.fail('session.signIn', { staffId: added.id, pin: '4321' }, nobody);
    expect(refused).toMatchObject({ code: 'forbidden', fields: { newPin: expect.stringContaining('Choose a new PIN') } });
    // Nothing changed at the counter: still signed in as before.
    expect(t.b.session.current().staffId).toBe(t.manager.staffId);
    expect(await t.fail('session.setNewPin', { staffId: added.id, pin: '4321', newPin: '4321' }, nobody)).toMatchObject({ fields: { newPin: expect.any(String) } });
    const session = await t.ok('session.setNewPin', { staffId: added.id, pin: '4321', newPin: '8642' }, nobody);
    expect(session).toEqual({ staffId: added.id, name: 'Priya Shah', role: 'clerk' });
    await t.ok('session.signOut', {}, nobody);
    expect(await t.fail('session.signIn', { staffId: added.id, pin: '4321' }, nobody)).toMatchObject({ code: 'invalid_input' });
    expect(await t.ok('session.signIn', { staffId: added.id, pin: '8642' }, nobody)).toMatchObject({ role: 'clerk' });
    expect(t.b.db.prepare('SELECT pin_hash FROM staff WHERE id = ?').pluck().get(added.id)).not.toContain('8642');
    expect(audits(t, 'staff.create')).toBe(1);
    expect(audits(t, 'staff.pin_set')).toBe(1);
  });

  it('a clerk cannot manage staff; a manager cannot raise anyone above manager', async () => {
    const t = await shop();
    expect(await t.fail('staff.add', { name: 'X', role: 'clerk', pin: '1111' }, t.clerk)).toMatchObject({ code: 'forbidden' });
    expect(await t.fail('staff.add', { name: 'X', role: 'admin', pin: '1111' }, t.manager)).toMatchObject({ code: 'forbidden', fields: { role: expect.any(String) } });
    const clerkId = t.clerk.staffId ?? '';
    expect(await t.fail('staff.setRole', { id: clerkId, role: 'admin' }, t.manager)).toMatchObject({ code: 'forbidden', fields: { role: expect.any(String) } });
    expect((await t.ok('staff.setRole', { id: clerkId, role: 'manager' }, t.manager)).role).toBe('manager');
    expect(t.count('staff')).toBe(2);
  });

  it('a manager cannot touch an admin; an admin can; the last admin stays', async () => {
    const t = await shop();
    // No admin exists in the demo seed: promote the demo manager directly, as an install would at setup.
    t.b.db.prepare("UPDATE staff SET role = 'admin' WHERE id = ?").run(t.manager.staffId);
    const admin = as({ id: t.manager.staffId ?? '', role: 'admin' });
    const mgr = await t.ok('staff.add', { name: 'Max Müller', role: 'manager', pin: '2222' }, admin);
    expect(await t.fail('staff.setActive', { id: admin.staffId ?? '', active: false }, as(mgr))).toMatchObject({ code: 'forbidden' });
    expect(await t.fail('staff.resetPin', { id: admin.staffId ?? '', pin: '9999' }, as(mgr))).toMatchObject({ code: 'forbidden' });
    expect(await t.fail('staff.setRole', { id: admin.staffId ?? '', role: 'clerk' }, admin)).toMatchObject({ code: 'conflict', message: expect.stringContaining('last admin') });
    expect(await t.fail('staff.setActive', { id: admin.staffId ?? '', active: false }, admin)).toMatchObject({ code: 'invalid_input' });
    const second = await t.ok('staff.setRole', { id: mgr.id, role: 'admin' }, admin);
    expect(second.role).toBe('admin');
    expect((await t.ok('staff.setRole', { id: admin.staffId ?? '', role: 'manager' }, as(second))).role).toBe('manager');
    expect(await t.fail('staff.setRole', { id: second.id, role: 'manager' }, as(second))).toMatchObject({ code: 'conflict' });
  });

  it('a stale version is refused and nothing is written', async () => {
    const t = await shop();
    const c = await t.ok('staff.add', { name: 'Ann', role: 'clerk', pin: '1234' }, t.manager);
    await t.ok('staff.setRole', { id: c.id, expectedVersion: c.version, role: 'manager' }, t.manager);
    expect(await t.fail('staff.setActive', { id: c.id, expectedVersion: c.version, active: false }, t.manager)).toMatchObject({ code: 'conflict' });
    expect((await t.ok('staff.manage.list', {}, t.manager)).staff.find((s) => s.id === c.id)).toMatchObject({ active: true, role: 'manager' });
  });

  it('disables without deleting: a disabled person cannot sign in, stays in the list and the audit', async () => {
    const t = await shop();
    const c = await t.ok('staff.add', { name: 'Ann', role: 'clerk', pin: '1234' }, t.manager);
    await t.ok('staff.setActive', { id: c.id, active: false }, t.manager);
    expect(await t.fail('session.signIn', { staffId: c.id, pin: '1234' }, nobody)).toMatchObject({ fields: { staffId: expect.any(String) } });
    expect((await t.ok('staff.list', {}, nobody)).staff.map((s) => s.name)).not.toContain('Ann');
    expect((await t.ok('staff.manage.list', {}, t.manager)).staff.find((s) => s.id === c.id)).toMatchObject({ active: false });
    expect(await t.fail('staff.setActive', { id: t.manager.staffId ?? '', active: false }, t.manager)).toMatchObject({ fields: { id: expect.stringContaining('own account') } });
  });

  it('unlocks a locked account and resets a PIN (which also lifts the lock)', async () => {
    const t = await shop();
    const clerkId = t.clerk.staffId ?? '';
    for (let i = 0; i < 5; i++) await t.fail('session.signIn', { staffId: clerkId, pin: '9999' }, nobody);
    expect((await t.ok('staff.manage.list', {}, t.manager)).staff.find((s) => s.id === clerkId)?.lockedUntil).not.toBeNull();
    expect(await t.fail('session.signIn', { staffId: clerkId, pin: '0000' }, nobody)).toMatchObject({ code: 'forbidden' });
    expect((await t.ok('staff.unlock', { id: clerkId }, t.manager)).lockedUntil).toBeNull();
    expect(await t.ok('session.signIn', { staffId: clerkId, pin: '0000' }, nobody)).toMatchObject({ role: 'clerk' });
    for (let i = 0; i < 5; i++) await t.fail('session.signIn', { staffId: clerkId, pin: '9999' }, nobody);
    const reset = await t.ok('staff.resetPin', { id: clerkId, pin: '5555' }, t.manager);
    expect(reset).toMatchObject({ lockedUntil: null, mustChangePin: true });
    expect(await t.ok('session.setNewPin', { staffId: clerkId, pin: '5555', newPin: '5678' }, nobody)).toMatchObject({ role: 'clerk' });
  });

  it('two admins disabling each other at once leave one admin (two counters on one database file)', async () => {
    const first = await shop();
    const dbPath = join(first.dir, 'shop.sqlite');
    first.close();
    shops.pop();
    const a = await shop({ dbPath });
    const b = await shop({ dbPath });
    const ids = a.b.db.prepare('SELECT id FROM staff ORDER BY id').pluck().all() as string[];
    for (let round = 0; round < 5; round++) {
      a.b.db.prepare("UPDATE staff SET role = 'admin', active = 1").run();
      const [x, y] = ids as [string, string];
      const results = await Promise.all([
        a.b.call(as({ id: x, role: 'admin' }), 'staff.setActive', { id: y, active: false }),
        b.b.call(as({ id: y, role: 'admin' }), 'staff.setActive', { id: x, active: false }),
        a.b.call(as({ id: x, role: 'admin' }), 'staff.setRole', { id: y, role: 'clerk' }),
        b.b.call(as({ id: y, role: 'admin' }), 'staff.setRole', { id: x, role: 'clerk' }),
      ]);
      // The first disable wins; the other admin's disable is refused (they are the last admin, or no longer active).
      expect(results[0]?.ok).not.toBe(results[1]?.ok);
      expect(a.b.db.prepare("SELECT count(*) FROM staff WHERE role = 'admin' AND active = 1").pluck().get()).toBe(1);
    }
  });

  it('checks a manager PIN for approvals and refuses a clerk', async () => {
    const t = await shop();
    const { api } = t.b.modules.find((m) => m.name === 'staff') as { api: { verifyManagerPin(id: string, pin: string): Promise<unknown> } };
    await expect(api.verifyManagerPin(t.manager.staffId ?? '', '1234')).resolves.toMatchObject({ role: 'manager' });
    await expect(api.verifyManagerPin(t.manager.staffId ?? '', '9999')).rejects.toMatchObject({ fields: { managerPin: expect.stringMatching(/^Wrong PIN\. 4 tries left/) } });
    await expect(api.verifyManagerPin(t.clerk.staffId ?? '', '0000')).rejects.toMatchObject({ code: 'forbidden' });
  });
});
