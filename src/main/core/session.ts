import type { Session } from '../../shared/contract/app';
import type { CallContext } from './handlers';

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
