import { PosError } from '../../../shared/errors';
import type { Selection } from '../../../shared/contract/bookings';
import type { Db } from '../../db/connection';
import { createBookingsRepo, priceFacts, writeQuote } from '../bookings/index';
import type { BookingDiscountFact, BookingRow, PriceFacts, PriceTerms } from '../bookings/index';
import { createCustomersRepo } from '../customers/index';
import { createFleetRepo } from '../fleet/index';
import type { RateCardService } from '../pricing/index';
import type { PriceQuote } from '../pricing/index';

/**
 * Prices a saved booking again with the rate-card version it was quoted on, its drivers and
 * discounts included, and stores the new quote as the booking's price. The same facts as the
 * bookings service builds (for a returned booking, its return as check-in priced it: the time,
 * fuel, odometer and damage recorded then); call `save` inside the transaction that made the change.
 */
export type Repricer = {
  /** `discounts` instead of the booking's own: what the price would be with those. */
  price(b: BookingRow, discounts?: readonly BookingDiscountFact[]): PriceQuote;
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
  /** What check-in priced a return with, read back from its hand-over rows. */
  function returnFacts(b: BookingRow): Pick<PriceFacts, 'actualReturnAt' | 'fuel' | 'odometer' | 'damages'> {
    const hs = bookings.handovers(b.id);
    const out = hs.find((h) => h.kind === 'out');
    const back = hs.find((h) => h.kind === 'in');
    if (!out || !back) throw new PosError('internal', `${b.ref} is returned but its hand-over records are missing.`);
    const tank = fleet.getVehicle(b.vehicle_id)?.tank_litres ?? 0;
    return {
      actualReturnAt: back.at,
      fuel: { outEighths: out.fuel_eighths, inEighths: back.fuel_eighths, tankLitres: tank },
      odometer: { out: out.odometer, in: back.odometer },
      damages: (JSON.parse(back.damage_json) as { description: string; amount: number }[]).map((d) => ({ description: d.description, amount: d.amount })),
    };
  }

  return {
    price(b, discounts) {
      const quote = b.quote_id ? bookings.getQuote(b.quote_id) : undefined;
      const card = quote ? deps.rates.version(quote.rate_card_id, quote.rate_card_version) : deps.rates.current();
      const adjustments = deps.adjustments(b.id);
      const facts: PriceFacts = {
        vehicleClass: b.vehicle_class,
        pickupAt: b.pickup_at,
        returnAt: b.return_at,
        pickupCode: fleet.getLocation(b.pickup_location_id)?.code ?? '',
        returnCode: fleet.getLocation(b.return_location_id)?.code ?? '',
        dateOfBirth: customers.get(b.customer_id)?.date_of_birth ?? null,
        extras: JSON.parse(b.extras_json) as Selection[],
        fees: JSON.parse(b.fees_json) as Selection[],
        ...adjustments,
        discounts: discounts ?? adjustments.discounts ?? [],
        ...(b.status === 'returned' ? returnFacts(b) : {}),
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
