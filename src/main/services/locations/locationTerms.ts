import type { OpeningHours } from '../../../shared/contract/locations';
import type { Settings } from '../../../shared/contract/settings';
import { PosError } from '../../../shared/errors';
import type { Db } from '../../db/connection';
import { badInput } from '../../core/errors';
import type { RateCardService } from '../pricing/index';
import type { LocationSettingsRow } from './locationsService';

/**
 * A location's terms with every empty setting filled from the shop: the one place that decides
 * which clock, currency, tax, turnaround and hours govern a booking at a location (issue 15).
 * Bookings price with the pickup location's terms and hold the car for the return location's
 * turnaround; fleet's availability widens windows with the same figures.
 */
export type LocationTerms = {
  id: string;
  code: string;
  name: string;
  /** The location's IANA zone, or the shop's when it has none. */
  timeZone: string;
  /** The location's currency, or the rate card's when it has none (null: no card set up yet). */
  currency: string | null;
  /** True when the location set its own currency (checked against the rate card when pricing). */
  ownCurrency: boolean;
  /**
   * The location's own tax (its name or rate; the other part from the rate card in force), or
   * null when it charges the card's tax.
   */
  tax: { name: string; rateBp: number } | null;
  /** Minutes a car returned here needs before its next rental (the shop's when not set; 0 is a real 0). */
  turnaroundMinutes: number;
  /** Monday = 1; empty: always open; otherwise a day not listed is closed. */
  openingHours: OpeningHours;
};

type Row = Pick<LocationSettingsRow, 'id' | 'code' | 'name' | 'time_zone' | 'currency' | 'opening_hours_json' | 'turnaround_minutes' | 'tax_name' | 'tax_rate_bp'>;

export type LocationTermsReader = {
  /** Terms of one location; 'invalid_input' on `field` when there is no such location. */
  termsOf(locationId: string, field?: string): LocationTerms;
  /** The home location's terms (the counter's own location); null before setup added one. */
  homeTerms(): LocationTerms | null;
  /**
   * Turnaround figures for an availability check of a rental returned at `returnLocationId`
   * (null: the home location): its own gap, the shop's (for locations without one), and the
   * largest any location asks for (bounds the index range scan).
   */
  turnaround(returnLocationId: string | null): TurnaroundGaps;
  /** Locations that set their own currency: a rate card in any other currency could not price them. */
  ownCurrencies(): { name: string; currency: string }[];
};

export type TurnaroundGaps = { own: number; shop: number; max: number };

export function createLocationTerms(deps: { db: Db; settings: () => Settings; rates: Pick<RateCardService, 'currentOrNull'> }): LocationTermsReader {
  const get = deps.db.prepare<[string], Row>('SELECT * FROM locations WHERE id = ?');
  const home = deps.db.prepare<[], Row>('SELECT * FROM locations WHERE is_home = 1 ORDER BY created_at LIMIT 1');
  const maxGap = deps.db.prepare<[], { m: number | null }>('SELECT max(turnaround_minutes) AS m FROM locations');
  const currencies = deps.db.prepare<[], { name: string; currency: string }>("SELECT name, currency FROM locations WHERE currency <> '' ORDER BY name");

  function resolve(r: Row): LocationTerms {
    const shop = deps.settings();
    const card = deps.rates.currentOrNull()?.card;
    const ownTax = r.tax_rate_bp !== null || r.tax_name !== '';
    return {
      id: r.id,
      code: r.code,
      name: r.name,
      timeZone: r.time_zone || shop.timeZone,
      currency: r.currency || card?.currency || null,
      ownCurrency: r.currency !== '',
      tax: ownTax ? { name: r.tax_name || card?.tax.name || 'Tax', rateBp: r.tax_rate_bp ?? card?.tax.rateBp ?? 0 } : null,
      turnaroundMinutes: r.turnaround_minutes ?? shop.turnaroundMinutes,
      openingHours: JSON.parse(r.opening_hours_json) as OpeningHours,
    };
  }

  return {
    termsOf(locationId, field = 'locationId') {
      const r = get.get(locationId);
      if (!r) throw badInput(field, 'Unknown location: no location with this id');
      return resolve(r);
    },
    homeTerms() {
      const r = home.get();
      return r ? resolve(r) : null;
    },
    ownCurrencies: () => currencies.all(),
    turnaround(returnLocationId) {
      const shop = deps.settings().turnaroundMinutes;
      const r = returnLocationId === null ? home.get() : get.get(returnLocationId);
      if (returnLocationId !== null && !r) throw badInput('returnLocationId', 'Unknown location: no location with this id');
      return { own: r?.turnaround_minutes ?? shop, shop, max: Math.max(shop, maxGap.get()?.m ?? 0) };
    },
  };
}

/**
 * One rate card prices one currency: a location that takes another cannot be priced. Refused on
 * the booking's pickup location (or the location form's currency field) with what to do.
 */
export function assertCardCurrency(t: Pick<LocationTerms, 'name' | 'currency' | 'ownCurrency'>, cardCurrency: string, field: string): void {
  if (!t.ownCurrency || t.currency === cardCurrency) return;
  const sentence = `${t.name} takes ${t.currency ?? '?'} but the rate card prices in ${cardCurrency}; one rate card prices one currency. Ask a manager to set ${t.name}'s currency to ${cardCurrency} or leave it empty.`;
  throw new PosError('invalid_input', sentence, { fields: { [field]: sentence } });
}
