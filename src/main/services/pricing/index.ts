import type { Db } from '../../db/connection';
import type { PartialHandlerTable } from '../../core/handlers';
import type { ModuleWithApi } from '../../core/module';
import { createRateCardService } from './rateCards';
import type { LoadedCard, RateCardService } from './rateCards';

// The pure engine, for bookings (quotes) and the demo seed.
export { prepareRateCard, priceBooking } from './priceBooking';
export type { PreparedRateCard } from './priceBooking';
export { PricingError } from './pricingError';
export { demoRateCard } from './demoRateCard';
export { priceEndFee } from './endFee';
export type { EndFee, EndKind } from './endFee';
export type { PriceInput, PriceQuote, RateCard } from './schemas';
export type { LoadedCard, RateCardService, RateCardSummary } from './rateCards';

/** Rate cards (stored, versioned) and the pricing engine that turns a card and facts into a quote. */
export function createPricingModule(deps: { db: Db; installId: string; now: () => Date }): ModuleWithApi<RateCardService> {
  const rates = createRateCardService(deps);
  const answer = (l: LoadedCard) => ({ card: rates.summary(l), raw: l.raw });
  const handlers: PartialHandlerTable = {
    'rates.get': () => answer(rates.current()),
    // The contract has already parsed the card; save() parses again and stores only the parsed value.
    'rates.update': (input, ctx) => answer(rates.save(input.card, ctx)),
  };
  return { name: 'pricing', handlers, api: rates };
}
