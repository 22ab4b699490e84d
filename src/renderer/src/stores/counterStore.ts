import { create } from 'zustand';
import type { Output } from '../../../shared/contract';
import { call } from '../rpc/client';
import { debouncer, latestOnly } from '../lib/latest';

export type Today = Output<'counter.today'>;
export type SearchHit = Output<'bookings.search'>['results'][number];

type CounterState = {
  today: Today | null;
  todayError: string | null;
  loadToday(): Promise<void>;

  query: string;
  /** The query the shown results answer (they may lag the typed one by a keystroke). */
  resultsFor: string;
  results: SearchHit[];
  /** More bookings match than are shown. */
  more: boolean;
  active: number;
  searchError: string | null;
  setQuery(q: string): void;
  move(delta: number): void;
  /** The highlighted hit once results match what is typed (searches at once if a search is pending). */
  chosen(): Promise<SearchHit | null>;
  clear(): void;
};

export const SEARCH_DEBOUNCE_MS = 120;
/** Hits shown; one more is asked for, to know whether there are more. */
export const SEARCH_SHOWN = 12;
/** Fewer characters than this match too much to be useful: the box asks for more. */
export const SEARCH_MIN_CHARS = 2;
const searchSoon = debouncer(SEARCH_DEBOUNCE_MS);
const latest = latestOnly();

export const useCounter = create<CounterState>((set, get) => {
  async function runSearch(q: string): Promise<void> {
    if (q.trim().length < SEARCH_MIN_CHARS) {
      latest.invalidate();
      set({ results: [], more: false, resultsFor: q, active: 0, searchError: null });
      return;
    }
    const answer = await latest(() => call('bookings.search', { query: q.trim(), limit: SEARCH_SHOWN + 1 }));
    // A newer keystroke already asked again: this answer is for text no longer in the box.
    if (answer.stale) return;
    const res = answer.value;
    if (res.ok) set({ results: res.value.results.slice(0, SEARCH_SHOWN), more: res.value.results.length > SEARCH_SHOWN, resultsFor: q, active: 0, searchError: null });
    else set({ results: [], more: false, resultsFor: q, active: 0, searchError: res.error.message });
  }

  let inFlight: Promise<void> = Promise.resolve();

  return {
    today: null,
    todayError: null,
    async loadToday() {
      const res = await call('counter.today', {});
      if (res.ok) set({ today: res.value, todayError: null });
      else set({ todayError: res.error.message });
    },

    query: '',
    resultsFor: '',
    results: [],
    more: false,
    active: 0,
    searchError: null,
    setQuery(q) {
      set({ query: q });
      searchSoon.schedule(() => {
        inFlight = runSearch(q);
      });
    },
    move(delta) {
      const n = get().results.length;
      if (n === 0) return;
      set({ active: (get().active + delta + n) % n });
    },
    async chosen() {
      if (searchSoon.pending()) searchSoon.flush();
      if (get().resultsFor !== get().query) await inFlight;
      const s = get();
      if (s.resultsFor !== s.query) return null;
      return s.results[s.active] ?? null;
    },
    clear() {
      searchSoon.cancel();
      latest.invalidate();
      set({ query: '', results: [], more: false, resultsFor: '', active: 0, searchError: null });
    },
  };
});
