import type { PartialHandlerTable } from '../../core/handlers';
import type { StaffService } from './staffService';

export function staffHandlers(staff: StaffService): PartialHandlerTable {
  return {
    'staff.list': () => ({ staff: staff.list() }),
    'session.signOut': () => staff.signOut(),
  };
}
