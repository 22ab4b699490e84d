import type { Session } from '../../../shared/contract/app';
import type { Db } from '../../db/connection';
import { SIGNED_OUT } from '../../core/session';
import { readSettingRows, writeSetting } from '../settings/index';

/**
 * Who was signed in, kept in the settings table so a restart opens the same way: the member of
 * staff who was signed in (with their role as it is now), or signed out. Never more than that.
 */
const REMEMBERED = 'session.staffId';

type StaffLookup = {
  list(): readonly { id: string; name: string; role: Session['role'] }[];
  firstManager(): { id: string; name: string; role: Session['role'] } | null | undefined;
};

export function rememberSession(db: Db, s: Session): void {
  writeSetting(db, REMEMBERED, s.staffId, s.staffId);
}

/**
 * The session a demo counter opens with. First start: the demo manager, so every screen is
 * reachable at once. After that: whoever was signed in last, looked up again (a clerk stays a
 * clerk; someone removed since is signed out), or signed out if nobody was.
 */
export function demoStartSession(db: Db, staff: StaffLookup): Session {
  const rows = readSettingRows(db);
  if (!rows.has(REMEMBERED)) {
    const manager = staff.firstManager();
    return manager ? { staffId: manager.id, name: manager.name, role: manager.role } : SIGNED_OUT;
  }
  const id = rows.get(REMEMBERED);
  const member = typeof id === 'string' ? staff.list().find((m) => m.id === id) : undefined;
  return member ? { staffId: member.id, name: member.name, role: member.role } : SIGNED_OUT;
}
