import { PosError } from '../../../shared/errors';
import type { PartialHandlerTable } from '../../core/handlers';
import type { StaffAdmin } from './staffAdmin';
import type { StaffService } from './staffService';

export function staffAdminHandlers(admin: StaffAdmin, staff: StaffService): PartialHandlerTable {
  return {
    'staff.manage.list': () => ({ staff: admin.list() }),
    'staff.add': (input, ctx) => admin.add(input, ctx),
    'staff.setRole': (input, ctx) => admin.setRole(input, ctx),
    'staff.setActive': (input, ctx) => admin.setActive(input, ctx),
    'staff.resetPin': (input, ctx) => admin.resetPin(input, ctx),
    'staff.unlock': (input, ctx) => admin.unlock(input, ctx),
    'session.setNewPin': (input) => admin.setNewPin(input),
    // Sign-in itself stays in staffService; a temporary PIN signs in only to choose a new one.
    'session.signIn': async (input) => {
      const session = await staff.signIn(input.staffId, input.pin);
      if (admin.mustChangePin(input.staffId)) {
        staff.signOut();
        const sentence = `${session.name}, your PIN was set by a manager. Choose a new PIN of your own to sign in.`;
        throw new PosError('forbidden', sentence, { fields: { newPin: sentence } });
      }
      return session;
    },
  };
}
