import type { ModuleWithApi } from '../../core/module';
import { staffHandlers } from './staffHandlers';
import { createStaffService } from './staffService';
import type { StaffDeps, StaffService } from './staffService';

export type { StaffService } from './staffService';
export { hashPinSync } from './pinHash';
// Bookings reads staff names for its audit trail; narrow to an api when staff grows.
export { createStaffRepo } from './staffRepo';

/** Staff, PINs and sign-in at this counter. */
export function createStaffModule(deps: StaffDeps): ModuleWithApi<StaffService> {
  const staff = createStaffService(deps);
  return { name: 'staff', handlers: staffHandlers(staff), api: staff };
}
