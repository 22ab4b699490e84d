import type { ModuleWithApi } from '../../core/module';
import { createFleetAdmin } from './fleetAdmin';
import type { FleetAdmin } from './fleetAdmin';
import { fleetHandlers } from './fleetHandlers';
import { createFleetService } from './fleetService';
import type { FleetDeps, FleetService } from './fleetService';

export type { FleetService } from './fleetService';
export { blockWindow } from './fleetService';
export type { Gaps } from './fleetService';
export { gapSql, readyAfterSql } from './fleetRepo';
// Bookings and the demo seed read vehicle and location rows; narrow to an api when fleet grows.
export { createFleetRepo } from './fleetRepo';
export type { BlockWindow, LocationRow, VehicleRow } from './fleetRepo';
export { toLocation } from './fleetView';

/** Vehicles, classes, locations and availability. */
export type FleetApi = FleetService & Pick<FleetAdmin, 'classesInUse'>;

export function createFleetModule(deps: FleetDeps): ModuleWithApi<FleetApi> {
  const fleet = createFleetService(deps);
  const admin = createFleetAdmin({ ...deps, view: fleet.view });
  return { name: 'fleet', handlers: fleetHandlers(fleet, admin), api: { ...fleet, classesInUse: admin.classesInUse } };
}
