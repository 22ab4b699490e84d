import type { PartialHandlerTable } from '../../core/handlers';
import type { StaffService } from './staffService';

export function staffHandlers(staff: StaffService): PartialHandlerTable {
  return {
    'staff.list': () => ({ staff: staff.list() }),
    'session.signIn': (input) => staff.signIn(input.staffId, input.pin),
    'session.signOut': () => staff.signOut(),
  };
}
