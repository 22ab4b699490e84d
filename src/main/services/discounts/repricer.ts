import { PosError } from '../../../shared/errors';
import type { Selection } from '../../../shared/contract/bookings';
import type { Db } from '../../db/connection';
import { createBookingsRepo, priceFacts, writeQuote } from '../bookings/index';
import type { BookingRow, PriceFacts, PriceTerms } from '../bookings/index';
import { createCustomersRepo } from '../customers/index';
import { createFleetRepo } from '../fleet/index';
import type { RateCardService } from '../pricing/index';
import type { PriceQuote } from '../pricing/index';

/**
 * Prices a saved booking again with the rate-card version it was quoted on, its drivers and
 * discounts included, and stores the new quote as the booking's price. The same facts as the
 * bookings service builds; call `save` inside the transaction that made the change.
 */
export type Repricer = {
  price(b: BookingRow): PriceQuote;
  save(b: BookingRow, q: PriceQuote, at: string): void;
};

export function createRepricer(deps: {
  db: Db;
  installId: string;
  rates: RateCardService;
  timeZone: () => string;
  /** The clock and tax the booking was quoted with (bookings' keptTerms); absent: the shop's clock, the card's tax. */
  terms?: (b: BookingRow) => PriceTerms;
  now: () => Date;
  adjustments: (bookingId: string) => Pick<PriceFacts, 'extraDriverBirthDates' | 'discounts'>;
}): Repricer {
  const bookings = createBookingsRepo(deps.db);
  const customers = createCustomersRepo(deps.db);
  const fleet = createFleetRepo(deps.db);
  return {
    price(b) {
      const quote = b.quote_id ? bookings.getQuote(b.quote_id) : undefined;
      const card = quote ? deps.rates.version(quote.rate_card_id, quote.rate_card_version) : deps.rates.current();
      const facts: PriceFacts = {
        vehicleClass: b.vehicle_class,
        pickupAt: b.pickup_at,
        returnAt: b.return_at,
        pickupCode: fleet.getLocation(b.pickup_location_id)?.code ?? '',
        returnCode: fleet.getLocation(b.return_location_id)?.code ?? '',
        dateOfBirth: customers.get(b.customer_id)?.date_of_birth ?? null,
        extras: JSON.parse(b.extras_json) as Selection[],
        fees: JSON.parse(b.fees_json) as Selection[],
        ...deps.adjustments(b.id),
      };
      return priceFacts(card, facts, deps.terms?.(b) ?? deps.timeZone(), deps.now());
    },
    save(b, q, at) {
      const quoteId = writeQuote(bookings, b.id, q, 'modify', deps.installId, at);
      if (!bookings.update({ ...b, quote_id: quoteId, total: q.total, currency: q.currency, updated_at: at })) {
        throw new PosError('conflict', `${b.ref} was changed at another counter or in another window. Reload it and try again.`);
      }
    },
  };
}
