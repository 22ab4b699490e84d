import type { ModuleWithApi } from '../../core/module';
import { fleetHandlers } from './fleetHandlers';
import { createFleetService } from './fleetService';
import type { FleetDeps, FleetService } from './fleetService';

export type { FleetService } from './fleetService';
export { blockWindow } from './fleetService';
// Bookings and the demo seed read vehicle and location rows; narrow to an api when fleet grows.
export { createFleetRepo } from './fleetRepo';
export type { BlockWindow, LocationRow, VehicleRow } from './fleetRepo';
export { toLocation } from './fleetView';

/** Vehicles, classes, locations and availability. */
export function createFleetModule(deps: FleetDeps): ModuleWithApi<FleetService> {
  const fleet = createFleetService(deps);
  return { name: 'fleet', handlers: fleetHandlers(fleet), api: fleet };
}
