import { PosError } from '../../../shared/errors';
import type { Db } from '../../db/connection';
import type { PartialHandlerTable } from '../../core/handlers';
import type { ModuleWithApi } from '../../core/module';
import { withEffectiveDates } from './effectiveRates';
import type { EffectiveRates } from './effectiveRates';
import { checkClassesCovered, previewRateCard } from './rateCardAdmin';
import { createRateCardService } from './rateCards';
import type { LoadedCard } from './rateCards';

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
export type PricingDeps = {
  db: Db;
  installId: string;
  now: () => Date;
  /** Vehicle classes the fleet still has vehicles in (fleet is built after pricing, so this is read late). */
  classesInUse?: () => readonly string[];
  /** The shop's clock and language, for the dates in sentences (settings are built before pricing). */
  shop?: () => { timeZone: string; locale: string };
  /** Locations that set their own currency (locations is built after pricing, so this is read late). */
  locationCurrencies?: () => readonly { name: string; currency: string }[];
};

/**
 * One rate card prices one currency (issue 15): a card in another currency than a location
 * takes would leave that location unbookable, so it is refused on the card's currency field.
 */
function checkLocationCurrencies(currency: string, locations: readonly { name: string; currency: string }[]): void {
  const off = locations.filter((l) => l.currency !== currency);
  if (off.length === 0) return;
  const names = off.map((l) => `${l.name} (${l.currency})`).join(', ');
  const sentence = `${names} ${off.length === 1 ? 'takes' : 'take'} another currency than ${currency}, and one rate card prices one currency: those locations could not be booked. Change their currency in Settings → Locations first, or keep the card's currency.`;
  throw new PosError('invalid_input', sentence, { fields: { 'card.currency': sentence } });
}

export function createPricingModule(deps: PricingDeps): ModuleWithApi<EffectiveRates> {
  // Versions take effect at their date (rateCards.ts stores them; effectiveRates picks the one in force).
  const rates = withEffectiveDates(createRateCardService(deps), { ...deps, shop: deps.shop ?? (() => ({ timeZone: 'UTC', locale: 'en-GB' })) });
  const answer = (l: LoadedCard) => ({ card: rates.summary(l), raw: l.raw });
  const handlers: PartialHandlerTable = {
    'rates.get': () => answer(rates.current()),
    // The contract has already parsed the card; save() parses again and stores only the parsed value.
    'rates.update': (input, ctx) => {
      checkClassesCovered(input.card, deps.classesInUse?.() ?? []);
      checkLocationCurrencies(input.card.currency, deps.locationCurrencies?.() ?? []);
      return answer(rates.saveNow(input.card, ctx, input.laterVersions));
    },
    'rates.schedule': (input, ctx) => {
      checkClassesCovered(input.card, deps.classesInUse?.() ?? []);
      checkLocationCurrencies(input.card.currency, deps.locationCurrencies?.() ?? []);
      const saved = rates.schedule(input.card, input.effectiveFrom, ctx, input.laterVersions);
      return { version: saved.version, effectiveFrom: saved.effectiveFrom, upcoming: rates.upcoming() };
    },
    'rates.upcoming': () => ({ upcoming: rates.upcoming() }),
    'rates.versions': () => ({ versions: rates.versions() }),
    'rates.cancelScheduled': (input, ctx) => {
      rates.cancelScheduled(input, ctx);
      return { versions: rates.versions() };
    },
    'rates.preview': (input) => previewRateCard(rates, input.card, input.sample, deps.classesInUse?.() ?? [], deps.now()),
  };
  return { name: 'pricing', handlers, api: rates };
}
