import type { PartialHandlerTable } from '../../core/handlers';
import type { FleetService } from './fleetService';

export function fleetHandlers(fleet: FleetService): PartialHandlerTable {
  return {
    'vehicles.list': (input) => ({ vehicles: fleet.list(input) }),
    'vehicles.availability': (input) => ({
      from: new Date(input.from).toISOString(),
      to: new Date(input.to).toISOString(),
      vehicles: fleet.availability(input),
    }),
    'vehicles.upsert': (input, ctx) => fleet.upsert(input, ctx),
    'locations.list': () => ({ locations: fleet.locations() }),
  };
}
