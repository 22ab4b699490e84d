import type { Settings } from '../../../shared/contract/settings';
import type { Db } from '../../db/connection';
import type { ModuleWithApi } from '../../core/module';
import type { RateCardService } from '../pricing/index';
import { assertCardCurrency, createLocationTerms } from './locationTerms';
import type { LocationTermsReader } from './locationTerms';
import { assertOpen, closedSentence } from './openingHours';
import { createLocationsService } from './locationsService';

export type { LocationTerms, TurnaroundGaps } from './locationTerms';

/** What other capabilities may ask of a location: its terms, and the two checks they govern. */
export type LocationsApi = LocationTermsReader & {
  /** Refuses `iso` outside the location's opening hours on `field` ("Schiphol opens 07:00–22:00 on Sundays; …"). */
  assertOpen: typeof assertOpen;
  /** The same sentence without throwing (null when open), to report pickup and return at once. */
  closedSentence: typeof closedSentence;
  /** Refuses pricing at a location whose own currency is not the rate card's, on `field`. */
  assertCardCurrency: typeof assertCardCurrency;
};

/** Location settings for the office: address, time zone, currency, opening hours, turnaround, tax. */
export function createLocationsModule(deps: { db: Db; installId: string; now: () => Date; settings: () => Settings; rates: Pick<RateCardService, 'currentOrNull'> }): ModuleWithApi<LocationsApi> {
  const locations = createLocationsService(deps);
  const terms = createLocationTerms(deps);
  return {
    name: 'locations',
    handlers: {
      'locations.manage.list': () => ({ locations: locations.list() }),
      'locations.upsert': (input, ctx) => locations.upsert(input, ctx),
    },
    api: { ...terms, assertOpen, closedSentence, assertCardCurrency },
  };
}
