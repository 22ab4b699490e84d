import type { Session } from '../../../shared/contract/app';
import type { Db } from '../../db/connection';
import type { CallContext } from '../../core/handlers';
import { readSettingRows, writeSetting } from '../settings/settingsRepo';
import type { StaffService } from '../staff/staffService';

/**
 * Who is signed in at this counter. One till, one session: both transports read the same one.
 * Until staff sign-in lands, demo mode opens signed in as a demo manager so every screen is
 * reachable; test and live modes start signed out.
 */
export type SessionStore = {
  current(): Session;
  set(session: Session): void;
  context(transport: CallContext['transport']): CallContext;
};

export const SIGNED_OUT: Session = { staffId: null, name: '', role: null };

export function createSessionStore(initial: Session, onChange: (s: Session) => void): SessionStore {
  let session = initial;
  return {
    current: () => session,
    set(next) {
      session = next;
      onChange(next);
    },
    context: (transport) => ({ role: session.role, staffId: session.staffId, transport }),
  };
}

/**
 * Who was signed in, kept in the settings table so a restart opens the same way: the member of
 * staff who was signed in (with their role as it is now), or signed out. Never more than that.
 */
const REMEMBERED = 'session.staffId';

export function rememberSession(db: Db, s: Session): void {
  writeSetting(db, REMEMBERED, s.staffId, s.staffId);
}

/**
 * The session a demo counter opens with. First start: the demo manager, so every screen is
 * reachable at once. After that: whoever was signed in last, looked up again (a clerk stays a
 * clerk; someone removed since is signed out), or signed out if nobody was.
 */
export function demoStartSession(db: Db, staff: Pick<StaffService, 'list' | 'firstManager'>): Session {
  const rows = readSettingRows(db);
  if (!rows.has(REMEMBERED)) {
    const manager = staff.firstManager();
    return manager ? { staffId: manager.id, name: manager.name, role: manager.role } : SIGNED_OUT;
  }
  const id = rows.get(REMEMBERED);
  const member = typeof id === 'string' ? staff.list().find((m) => m.id === id) : undefined;
  return member ? { staffId: member.id, name: member.name, role: member.role } : SIGNED_OUT;
}
