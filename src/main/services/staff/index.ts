import type { ModuleWithApi } from '../../core/module';
import { staffHandlers } from './staffHandlers';
import { createStaffAdmin } from './staffAdmin';
import type { StaffAdmin } from './staffAdmin';
import { staffAdminHandlers } from './staffAdminHandlers';
import { createStaffService } from './staffService';
import type { StaffDeps, StaffService } from './staffService';

export type { StaffService } from './staffService';
export { hashPinSync } from './pinHash';
// Bookings reads staff names for its audit trail; narrow to an api when staff grows.
export { createStaffRepo } from './staffRepo';

/** Staff, PINs and sign-in at this counter. */
export type StaffApi = StaffService & Pick<StaffAdmin, 'verifyManagerPin'>;

export function createStaffModule(deps: StaffDeps): ModuleWithApi<StaffApi> {
  const staff = createStaffService(deps);
  const admin = createStaffAdmin({ ...deps, staff });
  return {
    name: 'staff',
    handlers: { ...staffHandlers(staff), ...staffAdminHandlers(admin, staff) },
    api: { ...staff, verifyManagerPin: admin.verifyManagerPin },
  };
}
