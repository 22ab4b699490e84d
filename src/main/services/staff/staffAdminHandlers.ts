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
    // Sign-in itself stays in staffService. A person whose PIN a manager set is sent to choose
    // their own first; `session.setNewPin` checks the temporary PIN (with the lockout) and signs
    // them in, so the counter's session never flickers through a half sign-in.
    'session.signIn': async (input) => {
      const name = admin.mustChangePin(input.staffId);
      if (name !== null) {
        const sentence = `${name}, your PIN was set by a manager. Choose a new PIN of your own to sign in.`;
        throw new PosError('forbidden', sentence, { fields: { newPin: sentence } });
      }
      return staff.signIn(input.staffId, input.pin);
    },
  };
}
