import type { Db } from '../../db/connection';
import type { ModuleWithApi } from '../../core/module';
import type { BookingDiscountFact, BookingRow, PriceFacts, PriceTerms } from '../bookings/index';
import type { DriversApi } from '../drivers/index';
import type { RateCardService } from '../pricing/index';
import { createDiscountsService } from './discountsService';
import { createRepricer } from './repricer';

export type DiscountsApi = {
  /** Discounts of a saved booking, for bookings to price into every quote. */
  facts(bookingId: string): BookingDiscountFact[];
};

/** Discounts and additional drivers on bookings; each change re-prices the booking. */
export function createDiscountsModule(deps: {
  db: Db;
  installId: string;
  now: () => Date;
  timeZone: () => string;
  /** The clock and tax a saved booking is re-priced with (bookings' api). */
  terms?: (b: BookingRow) => PriceTerms;
  rates: RateCardService;
  drivers: DriversApi;
  verifyManagerPin: (staffId: string, pin: string) => Promise<{ id: string; name: string }>;
  /** The shop's PIN threshold for discounts (basis points of the price) and language, read at each call. */
  pinThresholdBp: () => number;
  locale: () => string;
  adjustments: (bookingId: string) => Pick<PriceFacts, 'extraDriverBirthDates' | 'discounts'>;
}): ModuleWithApi<DiscountsApi> {
  const repricer = createRepricer(deps);
  const s = createDiscountsService({ ...deps, repricer: () => repricer });
  return {
    name: 'discounts',
    handlers: {
      'bookings.adjustments': (input) => s.view(input.bookingId),
      'bookings.discounts.add': (input, ctx) => s.addDiscount(input, ctx),
      'bookings.discounts.remove': (input, ctx) => s.removeDiscount(input, ctx),
      'bookings.drivers.add': (input, ctx) => s.addDriver(input, ctx),
      'bookings.drivers.remove': (input, ctx) => s.removeDriver(input, ctx),
    },
    api: { facts: s.facts },
  };
}
