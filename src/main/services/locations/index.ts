import type { Db } from '../../db/connection';
import type { Module } from '../../core/module';
import { createLocationsService } from './locationsService';

/** Location settings for the office: address, time zone, currency, opening hours, turnaround, tax. */
export function createLocationsModule(deps: { db: Db; installId: string; now: () => Date }): Module {
  const locations = createLocationsService(deps);
  return {
    name: 'locations',
    handlers: {
      'locations.manage.list': () => ({ locations: locations.list() }),
      'locations.upsert': (input, ctx) => locations.upsert(input, ctx),
    },
  };
}
