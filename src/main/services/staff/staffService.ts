import { newId } from '../../core/ids';
import type { Session } from '../../../shared/contract/app';
import type { StaffMember } from '../../../shared/contract/staff';
import { PosError } from '../../../shared/errors';
import type { Db } from '../../db/connection';
import { SIGNED_OUT } from '../../core/session';
import type { SessionStore } from '../../core/session';
import { appendAudit } from '../../core/audit';
import { formatShopTime } from '../../core/shopTime';
import { hashPinSync, verifyPin } from './pinHash';
import { createStaffRepo } from './staffRepo';
import type { StaffRow } from './staffRepo';

/** Wrong PINs in a row before an account is locked, and for how long. */
export const LOCK_AFTER_FAILURES = 5;
export const LOCK_MINUTES = 5;
/** Wrong PINs across all staff of this counter, within the window, before every PIN check pauses. */
export const INSTALL_FAILURE_LIMIT = 15;
export const INSTALL_WINDOW_MINUTES = 15;
const FAILURE_ACTIONS = ['staff.sign_in_failed', 'staff.pin_check_failed', 'staff.locked'] as const;

export type StaffService = {
  list(): StaffMember[];
  signIn(staffId: string, pin: string): Promise<Session>;
  /**
   * For approvals (a refund over the threshold, a handover): checks a member of staff's PIN
   * under the same lockout and install-wide limit as sign-in, without changing who is signed
   * in. Resolves to the member (check `role` for manager-only approvals); throws the same
   * sentences as sign-in (invalid_input with `fields.pin`, or forbidden while locked).
   */
  verifyPin(staffId: string, pin: string): Promise<StaffMember>;
  signOut(): Session;
  /** Adds a member of staff (seed, setup); the PIN is hashed here and never stored or logged in clear. */
  create(input: { name: string; role: 'clerk' | 'manager' | 'admin'; pin: string; id?: string; pinHash?: string }): StaffMember;
  firstManager(): StaffMember | null;
};

export type StaffDeps = {
  db: Db;
  installId: string;
  session: SessionStore;
  now: () => Date;
  shop: () => { timeZone: string; locale: string };
};

export function createStaffService(deps: StaffDeps): StaffService {
  const { db, installId, session, now } = deps;
  const repo = createStaffRepo(db);
  const member = (r: StaffRow): StaffMember => ({ id: r.id, name: r.name, role: r.role });

  // Every PIN check on this counter runs one at a time, and the lock and the install-wide
  // limit are read inside that turn: a burst of concurrent attempts cannot all be verified
  // before the first failures are recorded (each scrypt is ~30 ms, so the queue drains fast,
  // and a locked account is refused without hashing at all).
  let tail: Promise<unknown> = Promise.resolve();
  function oneAtATime<T>(fn: () => Promise<T>): Promise<T> {
    const run = tail.then(fn);
    tail = run.catch(() => undefined);
    return run;
  }

  const recentFailures = db.prepare<[string, number], { at: string }>(
    `SELECT at FROM audit_log WHERE entity_type = 'staff' AND action IN (${FAILURE_ACTIONS.map((a) => `'${a}'`).join(', ')})
       AND at >= ? ORDER BY seq DESC LIMIT ?`,
  );

  /** Checks a PIN under the lockout; returns the member on success, throws the clerk's sentence otherwise. */
  function checkPin(staffId: string, pin: string, purpose: 'sign_in' | 'approval'): Promise<StaffRow> {
    return oneAtATime(async () => {
      const row = repo.get(staffId);
      if (!row || row.active !== 1) {
        throw new PosError('invalid_input', 'That person cannot sign in at this counter. Pick your name from the list.', {
          fields: { staffId: 'Not a member of staff at this counter' },
        });
      }
      const { timeZone, locale } = deps.shop();
      const start = now();
      const window = recentFailures.all(new Date(start.getTime() - INSTALL_WINDOW_MINUTES * 60_000).toISOString(), INSTALL_FAILURE_LIMIT);
      if (window.length >= INSTALL_FAILURE_LIMIT) {
        // Paused until the oldest of the last LIMIT failures leaves the window.
        const until = new Date(Date.parse(window[window.length - 1]?.at ?? start.toISOString()) + INSTALL_WINDOW_MINUTES * 60_000).toISOString();
        const sentence = `Too many wrong PINs at this counter: PIN checks are paused until ${formatShopTime(until, timeZone, locale)}. Ask a manager.`;
        throw new PosError('forbidden', sentence, { fields: { pin: sentence } });
      }
      if (row.locked_until !== null && Date.parse(row.locked_until) > start.getTime()) {
        throw lockedError(row.name, row.locked_until, timeZone, locale);
      }
      const ok = await verifyPin(pin, row.pin_hash);
      // Read the clock again: the hash took time.
      const at = now();
      if (!ok) {
        const lockedUntil = new Date(at.getTime() + LOCK_MINUTES * 60_000).toISOString();
        const after = db.transaction(() => {
          repo.recordFailure(row.id, LOCK_AFTER_FAILURES, lockedUntil, at.toISOString());
          const updated = repo.get(row.id);
          const locked = updated?.locked_until === lockedUntil;
          appendAudit(db, installId, {
            actorId: row.id,
            actorRole: row.role,
            action: locked ? 'staff.locked' : purpose === 'sign_in' ? 'staff.sign_in_failed' : 'staff.pin_check_failed',
            entityType: 'staff',
            entityId: row.id,
            after: locked ? { lockedUntil, purpose } : { failedAttempts: updated?.failed_attempts ?? 0, purpose },
          }, at);
          return updated;
        })();
        if (after?.locked_until === lockedUntil) throw lockedError(row.name, lockedUntil, timeZone, locale, true);
        const left = LOCK_AFTER_FAILURES - (after?.failed_attempts ?? 0);
        const sentence = `Wrong PIN. ${left} ${left === 1 ? 'try' : 'tries'} left before ${row.name} is locked for ${LOCK_MINUTES} minutes.`;
        throw new PosError('invalid_input', sentence, { fields: { pin: sentence } });
      }
      db.transaction(() => {
        repo.recordSuccess(row.id, at.toISOString());
        appendAudit(db, installId, {
          actorId: row.id,
          actorRole: row.role,
          action: purpose === 'sign_in' ? 'staff.sign_in' : 'staff.pin_check',
          entityType: 'staff',
          entityId: row.id,
        }, at);
      })();
      return row;
    });
  }

  async function signIn(staffId: string, pin: string): Promise<Session> {
    const row = await checkPin(staffId, pin, 'sign_in');
    const next: Session = { staffId: row.id, name: row.name, role: row.role };
    session.set(next);
    return next;
  }

  function signOut(): Session {
    if (session.current().role !== null || session.current().staffId !== null) session.set(SIGNED_OUT);
    return session.current();
  }

  function create(input: { name: string; role: 'clerk' | 'manager' | 'admin'; pin: string; id?: string; pinHash?: string }): StaffMember {
    if (!/^\d{4,8}$/.test(input.pin)) throw new PosError('invalid_input', 'PIN is 4 to 8 digits', { fields: { pin: 'PIN is 4 to 8 digits' } });
    const at = now().toISOString();
    const row: StaffRow = {
      id: input.id ?? newId(),
      name: input.name,
      role: input.role,
      pin_hash: input.pinHash ?? hashPinSync(input.pin),
      failed_attempts: 0,
      locked_until: null,
      active: 1,
      install_id: installId,
      version: 1,
      created_at: at,
      updated_at: at,
    };
    repo.insert(row);
    return member(row);
  }

  return {
    list: () => repo.list().map(member),
    signIn,
    verifyPin: async (staffId, pin) => member(await checkPin(staffId, pin, 'approval')),
    signOut,
    create,
    firstManager: () => {
      const r = repo.firstManager();
      return r ? member(r) : null;
    },
  };
}

function lockedError(name: string, until: string, timeZone: string, locale: string, justNow = false): PosError {
  const when = formatShopTime(until, timeZone, locale);
  const sentence = justNow
    ? `Wrong PIN. Too many wrong PINs: ${name} is locked until ${when}. Try again then, or ask a manager.`
    : `${name} is locked after too many wrong PINs until ${when}. Try again then, or ask a manager.`;
  return new PosError('forbidden', sentence, { fields: { pin: sentence } });
}
