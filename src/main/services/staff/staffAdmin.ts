import type { Session } from '../../../shared/contract/app';
import { roleRank } from '../../../shared/contract/define';
import type { Role } from '../../../shared/contract/define';
import type { StaffRecord } from '../../../shared/contract/staffAdmin';
import { PosError } from '../../../shared/errors';
import type { Db } from '../../db/connection';
import { appendAudit } from '../../core/audit';
import type { CallContext } from '../../core/handlers';
import { badInput, staleVersion } from '../../core/errors';
import { newId } from '../../core/ids';
import { hashPinSync } from './pinHash';
import type { StaffService } from './staffService';

/**
 * Staff management (issue 15): add, change role, disable/enable, reset a PIN, unlock. Every rule
 * is checked inside one IMMEDIATE transaction that also writes the change and its audit row, so
 * two managers at two counters (two connections to one file) cannot both pass the "last admin"
 * check. The actor's role is read from the database, not the session: a manager demoted or
 * disabled a moment ago can no longer act.
 */
type Row = {
  id: string;
  name: string;
  role: Role;
  pin_hash: string;
  locked_until: string | null;
  active: number;
  must_change_pin: number;
  version: number;
};

export type StaffAdmin = {
  list(): StaffRecord[];
  add(input: { name: string; role: Role; pin: string }, ctx: Actor): StaffRecord;
  setRole(input: { id: string; expectedVersion?: number | undefined; role: Role }, ctx: Actor): StaffRecord;
  setActive(input: { id: string; expectedVersion?: number | undefined; active: boolean }, ctx: Actor): StaffRecord;
  resetPin(input: { id: string; expectedVersion?: number | undefined; pin: string }, ctx: Actor): StaffRecord;
  unlock(input: { id: string; expectedVersion?: number | undefined }, ctx: Actor): StaffRecord;
  /** The person's name when they must choose a new PIN before they may work (active accounts only), else null. */
  mustChangePin(staffId: string): string | null;
  /** Signs in with the temporary PIN (lockout rules apply), then stores the new PIN. */
  setNewPin(input: { staffId: string; pin: string; newPin: string }): Promise<Session>;
  /**
   * Checks a manager's (or admin's) PIN for an approval such as a large discount, through the
   * staff service's `verifyPin` (lockouts apply); refuses clerks and temporary PINs. The error's
   * field is `managerPin`, the approval form's control.
   */
  verifyManagerPin(staffId: string, pin: string): Promise<{ id: string; name: string; role: Role }>;
};

type Actor = Pick<CallContext, 'staffId' | 'role'>;

export function createStaffAdmin(deps: { db: Db; installId: string; now: () => Date; staff: StaffService }): StaffAdmin {
  const { db, installId, now } = deps;
  const all = db.prepare<[], Row>("SELECT * FROM staff ORDER BY active DESC, CASE role WHEN 'admin' THEN 0 WHEN 'manager' THEN 1 ELSE 2 END, name");
  const get = db.prepare<[string], Row>('SELECT * FROM staff WHERE id = ?');
  const activeAdmins = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM staff WHERE role = 'admin' AND active = 1");
  const byName = db.prepare<[string], Row>('SELECT * FROM staff WHERE lower(name) = lower(?) AND active = 1');
  const insert = db.prepare(
    `INSERT INTO staff (id, name, role, pin_hash, must_change_pin, install_id, created_at, updated_at)
     VALUES (@id, @name, @role, @pin_hash, 1, @install_id, @at, @at)`,
  );
  const update = db.prepare<{ id: string; role: Role; active: number; pin_hash: string; must_change_pin: number; locked_until: string | null; failed: number | null; at: string }>(
    `UPDATE staff SET role = @role, active = @active, pin_hash = @pin_hash, must_change_pin = @must_change_pin, locked_until = @locked_until,
       failed_attempts = coalesce(@failed, failed_attempts), version = version + 1, updated_at = @at
     WHERE id = @id`,
  );

  const record = (r: Row): StaffRecord => ({
    id: r.id,
    name: r.name,
    role: r.role,
    active: r.active === 1,
    lockedUntil: r.locked_until !== null && Date.parse(r.locked_until) > now().getTime() ? r.locked_until : null,
    mustChangePin: r.must_change_pin === 1,
    version: r.version,
  });

  /** The acting manager or admin, as the database knows them now. */
  function actorRow(ctx: Actor): Row {
    const me = ctx.staffId ? get.get(ctx.staffId) : undefined;
    if (!me || me.active !== 1 || roleRank(me.role) < roleRank('manager')) {
      throw new PosError('forbidden', 'Only an active manager or admin can manage staff. Sign in again as a manager.');
    }
    return me;
  }

  function targetRow(id: string, expectedVersion: number | undefined, me: Row): Row {
    const t = get.get(id);
    if (!t) throw badInput('id', 'No member of staff with this id; they may have been added at another counter. Reload the list.');
    staleVersion(t.name, expectedVersion, t.version);
    if (roleRank(t.role) > roleRank(me.role)) {
      throw new PosError('forbidden', `${t.name} is ${article(t.role)} ${t.role}; only an admin can change their account.`, {
        fields: { id: `Only an admin can change ${t.name}` },
      });
    }
    return t;
  }

  /** Runs `fn` in an IMMEDIATE transaction: the write lock is taken before the rules are read. */
  function write<T>(fn: () => T): T {
    return db.transaction(fn).immediate();
  }

  function change(t: Row, next: Partial<Row> & { failed?: number | null }, action: string, me: Row, auditAfter: object): StaffRecord {
    const at = now().toISOString();
    const merged = { ...t, ...next };
    update.run({
      id: t.id,
      role: merged.role,
      active: merged.active,
      pin_hash: merged.pin_hash,
      must_change_pin: merged.must_change_pin,
      locked_until: merged.locked_until,
      failed: next.failed ?? null,
      at,
    });
    appendAudit(db, installId, { actorId: me.id, actorRole: me.role, action, entityType: 'staff', entityId: t.id, after: auditAfter });
    return record(get.get(t.id) as Row);
  }

  function checkNotLastAdmin(t: Row, doing: string): void {
    if (t.role === 'admin' && t.active === 1 && (activeAdmins.get()?.n ?? 0) <= 1) {
      throw new PosError('conflict', `${t.name} is the last admin, so they cannot be ${doing}. Make someone else an admin first.`, {
        fields: { id: `${t.name} is the last admin` },
      });
    }
  }

  function checkPin(pin: string, field = 'pin'): void {
    if (!/^\d{4,8}$/.test(pin)) throw badInput(field, 'PIN is 4 to 8 digits');
  }

  return {
    list: () => all.all().map(record),

    add(input, ctx) {
      checkPin(input.pin);
      // Hash outside the lock: scrypt takes ~30 ms.
      const pinHash = hashPinSync(input.pin);
      return write(() => {
        const me = actorRow(ctx);
        if (roleRank(input.role) > roleRank(me.role)) {
          throw new PosError('forbidden', `A ${me.role} cannot add ${article(input.role)} ${input.role}. Ask an admin.`, { fields: { role: `Only an admin can add ${article(input.role)} ${input.role}` } });
        }
        const name = input.name.trim();
        if (byName.get(name)) throw badInput('name', `${name} is already on the staff list; use a name the sign-in screen can tell apart`);
        const id = newId();
        insert.run({ id, name, role: input.role, pin_hash: pinHash, install_id: installId, at: now().toISOString() });
        appendAudit(db, installId, { actorId: me.id, actorRole: me.role, action: 'staff.create', entityType: 'staff', entityId: id, after: { name, role: input.role } });
        return record(get.get(id) as Row);
      });
    },

    setRole(input, ctx) {
      return write(() => {
        const me = actorRow(ctx);
        const t = targetRow(input.id, input.expectedVersion, me);
        if (roleRank(input.role) > roleRank(me.role)) {
          throw new PosError('forbidden', `A ${me.role} cannot make anyone ${article(input.role)} ${input.role}. Ask an admin.`, { fields: { role: `Only an admin can give the ${input.role} role` } });
        }
        if (t.role === input.role) return record(t);
        if (input.role !== 'admin') checkNotLastAdmin(t, 'given another role');
        return change(t, { role: input.role }, 'staff.role', me, { from: t.role, to: input.role });
      });
    },

    setActive(input, ctx) {
      return write(() => {
        const me = actorRow(ctx);
        const t = targetRow(input.id, input.expectedVersion, me);
        if ((t.active === 1) === input.active) return record(t);
        if (!input.active) {
          if (t.id === me.id) throw badInput('id', 'You cannot disable your own account; ask another manager');
          checkNotLastAdmin(t, 'disabled');
        }
        return change(t, { active: input.active ? 1 : 0 }, input.active ? 'staff.enable' : 'staff.disable', me, { active: input.active });
      });
    },

    resetPin(input, ctx) {
      checkPin(input.pin);
      const pinHash = hashPinSync(input.pin);
      return write(() => {
        const me = actorRow(ctx);
        const t = targetRow(input.id, input.expectedVersion, me);
        // A reset also lifts a lock: the person is standing at the counter with a manager.
        return change(t, { pin_hash: pinHash, must_change_pin: 1, locked_until: null, failed: 0 }, 'staff.pin_reset', me, { mustChangePin: true });
      });
    },

    unlock(input, ctx) {
      return write(() => {
        const me = actorRow(ctx);
        const t = targetRow(input.id, input.expectedVersion, me);
        return change(t, { locked_until: null, failed: 0 }, 'staff.unlock', me, { locked: false });
      });
    },

    mustChangePin: (staffId) => {
      const r = get.get(staffId);
      return r && r.active === 1 && r.must_change_pin === 1 ? r.name : null;
    },

    async setNewPin(input) {
      checkPin(input.newPin, 'newPin');
      if (input.newPin === input.pin) throw badInput('newPin', 'Choose a PIN different from the temporary one');
      const row = get.get(input.staffId);
      if (row && row.must_change_pin !== 1) throw badInput('newPin', `${row.name} already has their own PIN; sign in with it`);
      const session = await deps.staff.signIn(input.staffId, input.pin);
      const pinHash = hashPinSync(input.newPin);
      write(() => {
        const t = get.get(input.staffId) as Row;
        change(t, { pin_hash: pinHash, must_change_pin: 0 }, 'staff.pin_set', t, { mustChangePin: false });
      });
      return session;
    },

    async verifyManagerPin(staffId, pin) {
      const notManager = 'That PIN does not belong to an active manager. Ask a manager to enter their own PIN.';
      if (get.get(staffId)?.must_change_pin === 1) throw new PosError('forbidden', notManager, { fields: { managerPin: notManager } });
      let m: { id: string; name: string; role: string };
      try {
        // The staff service's check: serialised, with the per-person and install-wide lockouts.
        m = await deps.staff.verifyPin(staffId, pin);
      } catch (err) {
        if (err instanceof PosError) {
          const f = err.fields ?? {};
          throw new PosError(err.code, err.message, { fields: { managerPin: f.pin ?? f.staffId ?? err.message } });
        }
        throw err;
      }
      if (roleRank(m.role as Role) < roleRank('manager')) throw new PosError('forbidden', notManager, { fields: { managerPin: notManager } });
      return { id: m.id, name: m.name, role: m.role as Role };
    },
  };
}

function article(role: Role): string {
  return role === 'admin' ? 'an' : 'a';
}
