import { create } from 'zustand';
import type { Input, Output } from '../../../shared/contract';
import type { Customer } from '../../../shared/contract/customers';
import type { Result } from '../../../shared/errors';
import { call } from '../rpc/client';
import { debouncer, latestOnly } from '../lib/latest';

type CustomerPage = Output<'customers.get'>;

type CustomerState = {
  byId: Record<string, { page: CustomerPage | null; error: string | null }>;
  load(id: string): Promise<void>;
  upsert(input: Input<'customers.upsert'>): Promise<Result<Customer>>;

  /** The booking form's customer picker. */
  query: string;
  matches: Customer[];
  matchesFor: string;
  searchError: string | null;
  search(q: string): void;
  clearSearch(): void;
};

const soon = debouncer(150);
const latest = latestOnly();

export const useCustomers = create<CustomerState>((set, get) => ({
  byId: {},
  async load(id) {
    const res = await call('customers.get', { id });
    const before = get().byId[id]?.page ?? null;
    set({ byId: { ...get().byId, [id]: res.ok ? { page: res.value, error: null } : { page: before, error: res.error.message } } });
  },
  async upsert(input) {
    const res = await call('customers.upsert', input);
    if (res.ok) {
      const page = get().byId[res.value.id]?.page;
      if (page) set({ byId: { ...get().byId, [res.value.id]: { page: { ...page, customer: res.value }, error: null } } });
    }
    return res;
  },

  query: '',
  matches: [],
  matchesFor: '',
  searchError: null,
  search(q) {
    set({ query: q });
    soon.schedule(() => {
      void (async () => {
        if (q.trim() === '') {
          set({ matches: [], matchesFor: q, searchError: null });
          return;
        }
        const answer = await latest(() => call('customers.search', { query: q.trim(), limit: 8 }));
        if (answer.stale) return;
        const res = answer.value;
        if (res.ok) set({ matches: res.value.customers, matchesFor: q, searchError: null });
        else set({ matches: [], matchesFor: q, searchError: res.error.message });
      })();
    });
  },
  clearSearch() {
    soon.cancel();
    set({ query: '', matches: [], matchesFor: '', searchError: null });
  },
}));
