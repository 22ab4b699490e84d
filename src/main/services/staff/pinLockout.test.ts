import { afterEach, describe, expect, it } from 'vitest';
import type { PosErrorShape } from '../../../shared/errors';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';
import { INSTALL_FAILURE_LIMIT, LOCK_AFTER_FAILURES, createStaffService } from './staffService';

const nobody = { role: null, staffId: null, transport: 'http' as const };
let shop: TestShop;
afterEach(() => shop.close());

function staffIds(s: TestShop): { manager: string; clerk: string } {
  const rows = s.b.db.prepare('SELECT id, role FROM staff').all() as { id: string; role: string }[];
  return { manager: rows.find((r) => r.role === 'manager')?.id ?? '', clerk: rows.find((r) => r.role === 'clerk')?.id ?? '' };
}

function staffAudit(s: TestShop): string[] {
  return (s.b.db.prepare("SELECT action FROM audit_log WHERE entity_type = 'staff' ORDER BY seq").all() as { action: string }[]).map((r) => r.action);
}

describe('PIN lockout under concurrency', () => {
  it('300 concurrent sign-ins: at most 5 PINs are checked before the lock, and the right PIN is refused while locked', async () => {
    shop = await openTestShop();
    const { manager } = staffIds(shop);
    const before = shop.b.session.current();
    const attempts = Array.from({ length: 300 }, (_, i) => (i === 150 ? '1234' : String(5000 + i)));
    const results = await Promise.all(attempts.map((pin) => shop.b.call(nobody, 'session.signIn', { staffId: manager, pin })));

    // What the audit trail (and so the lockout) saw: exactly five checks, the fifth locking.
    expect(staffAudit(shop)).toEqual([...Array<string>(LOCK_AFTER_FAILURES - 1).fill('staff.sign_in_failed'), 'staff.locked']);
    const errors = results.map((r) => (r.ok ? null : r.error)) as (PosErrorShape | null)[];
    expect(errors.filter((e) => e === null)).toHaveLength(0);
    expect(errors.filter((e) => e?.message.startsWith('Wrong PIN.'))).toHaveLength(LOCK_AFTER_FAILURES);
    expect(errors[150]).toMatchObject({ code: 'forbidden', message: expect.stringContaining('Demo manager is locked after too many wrong PINs') });
    expect(errors.filter((e) => e?.code === 'forbidden')).toHaveLength(300 - (LOCK_AFTER_FAILURES - 1));
    expect(shop.b.session.current()).toEqual(before);
  });

  it('a per-counter limit pauses every PIN check after too many wrong PINs across all staff', async () => {
    shop = await openTestShop();
    const { manager, clerk } = staffIds(shop);
    const signIn = (staffId: string, pin: string) => shop.b.call(nobody, 'session.signIn', { staffId, pin });
    const t0 = shop.clock.now.getTime();
    for (let i = 0; i < LOCK_AFTER_FAILURES; i++) await signIn(manager, '9999');
    for (let i = 0; i < LOCK_AFTER_FAILURES; i++) await signIn(clerk, '9999');
    shop.clock.now = new Date(t0 + 5 * 60_000 + 1); // both locks over
    for (let i = 0; i < INSTALL_FAILURE_LIMIT - 2 * LOCK_AFTER_FAILURES; i++) await signIn(manager, '9999');
    expect(await signIn(clerk, '0000')).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: 'Too many wrong PINs at this counter: PIN checks are paused until 2 Jun 2025, 08:15. Ask a manager.' },
    });
    expect(staffAudit(shop).filter((a) => a === 'staff.sign_in')).toHaveLength(0);
    shop.clock.now = new Date(t0 + 15 * 60_000 + 1);
    expect(await signIn(clerk, '0000')).toMatchObject({ ok: true, value: { name: 'Demo clerk', role: 'clerk' } });
  });
});

describe('verifyPin (approvals)', () => {
  it('checks a PIN under the same lockout without changing who is signed in', async () => {
    shop = await openTestShop();
    const { manager, clerk } = staffIds(shop);
    await shop.ok('session.signIn', { staffId: clerk, pin: '0000' }, nobody);
    const signedIn = shop.b.session.current();
    const installId = shop.b.info().installId;
    const staff = createStaffService({ db: shop.b.db, installId, session: shop.b.session, now: () => shop.clock.now, shop: () => ({ timeZone: 'Europe/Amsterdam', locale: 'en-GB' }) });

    expect(await staff.verifyPin(manager, '1234')).toEqual({ id: manager, name: 'Demo manager', role: 'manager' });
    expect(shop.b.session.current()).toEqual(signedIn);

    const burst = await Promise.allSettled(Array.from({ length: 50 }, () => staff.verifyPin(manager, '4321')));
    expect(burst.every((r) => r.status === 'rejected')).toBe(true);
    expect(staffAudit(shop).filter((a) => a === 'staff.pin_check_failed')).toHaveLength(LOCK_AFTER_FAILURES - 1);
    await expect(staff.verifyPin(manager, '1234')).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('locked') });
    // The same lock holds for sign-in.
    expect(await shop.b.call(nobody, 'session.signIn', { staffId: manager, pin: '1234' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(shop.b.session.current()).toEqual(signedIn);
  });
});
