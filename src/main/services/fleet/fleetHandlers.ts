import type { PartialHandlerTable } from '../../core/handlers';
import type { FleetAdmin } from './fleetAdmin';
import type { FleetService } from './fleetService';

export function fleetHandlers(fleet: FleetService, admin: FleetAdmin): PartialHandlerTable {
  return {
    'vehicles.list': (input) => ({ vehicles: fleet.list(input) }),
    'vehicles.availability': (input) => ({
      from: new Date(input.from).toISOString(),
      to: new Date(input.to).toISOString(),
      vehicles: fleet.availability(input),
    }),
    'vehicles.upsert': (input, ctx) => fleet.upsert(input, ctx),
    'vehicles.move': (input, ctx) => admin.move(input, ctx),
    'vehicles.downtime.add': (input, ctx) => admin.addDowntime(input, ctx),
    'vehicles.downtime.list': (input) => ({ downtime: admin.listDowntime(input.vehicleId) }),
    'vehicles.downtime.cancel': (input, ctx) => admin.cancelDowntime(input.id, ctx),
    'locations.list': () => ({ locations: fleet.locations() }),
  };
}
