import { create } from 'zustand';
import type { Input, Output } from '../../../shared/contract';
import type { QuoteView } from '../../../shared/contract/bookings';
import type { AvailableVehicle, Location } from '../../../shared/contract/fleet';
import type { PosErrorShape } from '../../../shared/errors';
import { call } from '../rpc/client';
import { latestOnly } from '../lib/latest';

export type RateCard = Output<'rates.get'>['card'];

type CatalogState = {
  /** Reference data for the booking form, loaded once per sign-in. */
  locations: Location[];
  card: RateCard | null;
  catalogError: string | null;
  loadCatalog(): Promise<void>;

  /** Vehicles free for the form's window, each with where it will be at the pickup. */
  available: AvailableVehicle[] | null;
  availableError: PosErrorShape | null;
  checkAvailability(input: Input<'vehicles.availability'>): Promise<void>;

  /** The live quote for the form; dropped when an older request answers late. */
  quote: QuoteView | null;
  quoteError: PosErrorShape | null;
  requestQuote(input: Input<'bookings.quote'>): Promise<void>;
  /** Nothing to price any more (no class, no vehicle): the last quote must not stay on screen. */
  clearQuote(): void;
  resetForm(): void;
};

const latestAvailability = latestOnly();
const latestQuote = latestOnly();

export const useCatalog = create<CatalogState>((set) => ({
  locations: [],
  card: null,
  catalogError: null,
  async loadCatalog() {
    const [locations, rates] = await Promise.all([call('locations.list', {}), call('rates.get', {})]);
    if (locations.ok) set({ locations: locations.value.locations });
    if (rates.ok) set({ card: rates.value.card });
    const failed = !locations.ok ? locations.error : !rates.ok ? rates.error : null;
    set({ catalogError: failed ? failed.message : null });
  },

  available: null,
  availableError: null,
  async checkAvailability(input) {
    const answer = await latestAvailability(() => call('vehicles.availability', input));
    if (answer.stale) return;
    const res = answer.value;
    if (res.ok) set({ available: res.value.vehicles, availableError: null });
    else set({ available: null, availableError: res.error });
  },

  quote: null,
  quoteError: null,
  async requestQuote(input) {
    const answer = await latestQuote(() => call('bookings.quote', input));
    if (answer.stale) return;
    const res = answer.value;
    if (res.ok) set({ quote: res.value.quote, quoteError: null });
    else set({ quote: null, quoteError: res.error });
  },
  clearQuote() {
    latestQuote.invalidate();
    set({ quote: null, quoteError: null });
  },
  resetForm() {
    latestAvailability.invalidate();
    latestQuote.invalidate();
    set({ available: null, availableError: null, quote: null, quoteError: null });
  },
}));
