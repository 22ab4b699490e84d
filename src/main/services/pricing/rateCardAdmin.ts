import type { z } from 'zod';
import type { ParsedRateCard } from '../../../shared/contract/pricing';
import type { PreviewQuote, sampleBookingSchema } from '../../../shared/contract/rateCardAdmin';
import { PosError } from '../../../shared/errors';
import { prepareRateCard, priceBooking } from './priceBooking';
import type { PreparedRateCard } from './priceBooking';
import type { RateCardService } from './rateCards';
import type { PriceQuote } from './schemas';

type Sample = z.output<typeof sampleBookingSchema>;

/** Classes of vehicles still in the fleet that `card` has no rate for. */
export function missingClasses(card: Pick<ParsedRateCard, 'classes'>, inUse: readonly string[]): string[] {
  return inUse.filter((code) => !Object.hasOwn(card.classes, code));
}

/**
 * Refuses a card that would leave vehicles unpriceable: each class with vehicles needs a rate.
 * Nothing is written when this throws.
 */
export function checkClassesCovered(card: Pick<ParsedRateCard, 'classes'>, inUse: readonly string[]): void {
  const missing = missingClasses(card, inUse);
  if (missing.length === 0) return;
  const sentence = `The card has no rate for ${missing.join(', ')}, which the fleet still has vehicles in. Add a rate for ${missing.length === 1 ? 'it' : 'each'}, or retire those vehicles first.`;
  throw new PosError('invalid_input', sentence, { fields: Object.fromEntries(missing.map((c) => [`card.classes.${c}`, `Vehicles of class ${c} need a rate`])) });
}

function view(q: PriceQuote): PreviewQuote {
  const m = (amount: number) => ({ amount, currency: q.currency });
  return {
    rateCardVersion: q.rateCardVersion,
    rentalDays: q.rentalDays,
    lines: q.lines.filter((l) => l.countsInTotal && l.kind !== 'tax').map((l) => ({ key: `${l.kind}:${l.code}`, description: l.description, amount: m(l.amount) })),
    taxTotal: m(q.taxTotal),
    total: m(q.total),
  };
}

function priceSample(card: PreparedRateCard, s: Sample, computedAt: string): PriceQuote {
  return priceBooking(
    {
      currency: card.currency,
      vehicleClass: s.vehicleClass,
      pickupAt: new Date(s.pickupAt).toISOString(),
      returnAt: new Date(s.returnAt).toISOString(),
      // A sample returns where it started: no one-way fee.
      pickupLocation: 'sample',
      returnLocation: 'sample',
      driverAges: s.driverAges,
      extras: s.extras.map((e) => ({ code: e.code, quantity: e.quantity })),
      fees: [],
      damages: [],
      discounts: [],
      computedAt,
    },
    card,
  );
}

/** The preview: the card in force and the edited card price the same sample. */
export function previewRateCard(rates: RateCardService, edited: ParsedRateCard, sample: Sample, inUse: readonly string[], now: Date) {
  const at = now.toISOString();
  const next = rates.currentOrNull();
  // The number saving would give it: after every stored version, scheduled ones included.
  const proposedCard = prepareRateCard({ ...edited, version: rates.nextVersion(edited.id) });
  let proposed: PreviewQuote;
  try {
    proposed = view(priceSample(proposedCard, sample, at));
  } catch (err) {
    if (err instanceof PosError) {
      // The engine names the booking field; the form shows it beside the sample.
      const fields = Object.fromEntries(Object.entries(err.fields ?? {}).map(([k, v]) => [k.startsWith('rateCard.') ? `card.${k.slice(9)}` : `sample.${k}`, v]));
      throw new PosError('invalid_input', err.message, { fields });
    }
    throw err;
  }
  let current: PreviewQuote | null = null;
  let currentError: string | null = null;
  if (next) {
    try {
      current = view(priceSample(next.card, sample, at));
    } catch (err) {
      currentError = err instanceof PosError ? `The card in force cannot price this sample: ${err.message}` : 'The card in force cannot price this sample.';
    }
  } else {
    currentError = 'No rate card is in force yet.';
  }
  return { current, currentError, proposed, missingClasses: missingClasses(edited, inUse) };
}
