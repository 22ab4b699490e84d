import { create } from 'zustand';
import type { BookingStatus, BookingSummary } from '../../../shared/contract/bookings';
import { call } from '../rpc/client';
import { latestOnly } from '../lib/latest';

export type ListFilter = {
  /** Shop calendar dates, inclusive. */
  fromDate: string;
  toDate: string;
  status: BookingStatus | 'all';
};

type ListState = {
  filter: ListFilter | null;
  bookings: BookingSummary[];
  loading: boolean;
  error: string | null;
  fieldErrors: Record<string, string>;
  /** `from`/`to` are the UTC instants of the window's ends. */
  load(filter: ListFilter, from: string, to: string): Promise<void>;
};

const latest = latestOnly();

/** The Bookings screen's list: bookings overlapping a window of days, optionally one status. */
export const useBookingList = create<ListState>((set) => ({
  filter: null,
  bookings: [],
  loading: false,
  error: null,
  fieldErrors: {},
  async load(filter, from, to) {
    set({ filter, loading: true });
    const answer = await latest(() =>
      call('bookings.list', { from, to, limit: 500, ...(filter.status === 'all' ? {} : { statuses: [filter.status] }) }),
    );
    if (answer.stale) return;
    const res = answer.value;
    if (res.ok) set({ bookings: res.value.bookings, loading: false, error: null, fieldErrors: {} });
    else set({ bookings: [], loading: false, error: res.error.message, fieldErrors: res.error.fields ?? {} });
  },
}));
