import { create } from 'zustand';
import type { Input, Output } from '../../../shared/contract';
import type { BookingDetail } from '../../../shared/contract/bookings';
import type { Result } from '../../../shared/errors';
import { call } from '../rpc/client';
import { useCounter } from './counterStore';

type Loaded = { detail: BookingDetail; error: null } | { detail: BookingDetail | null; error: string };

type BookingState = {
  /** Bookings opened on screen, by id; kept so Back shows the last answer at once. */
  byId: Record<string, Loaded>;
  load(id: string): Promise<void>;
  create(input: Input<'bookings.create'>): Promise<Result<BookingDetail>>;
  modify(input: Input<'bookings.modify'>): Promise<Result<BookingDetail>>;
  extend(input: Input<'bookings.extend'>): Promise<Result<BookingDetail>>;
  cancel(input: Input<'bookings.cancel'>): Promise<Result<BookingDetail>>;
  noShow(input: Input<'bookings.noShow'>): Promise<Result<BookingDetail>>;
  close(input: Input<'bookings.close'>): Promise<Result<BookingDetail>>;
  checkOut(input: Input<'bookings.checkOut'>): Promise<Result<BookingDetail>>;
  checkIn(input: Input<'bookings.checkIn'>): Promise<Result<BookingDetail>>;
  /** What checkIn would charge for these readings; main saves nothing. */
  previewCheckIn(input: Input<'bookings.checkInPreview'>): Promise<Result<Output<'bookings.checkInPreview'>>>;
};

/** One booking's life: every change goes to main and the answer replaces what the screen shows. */
export const useBookings = create<BookingState>((set, get) => {
  function keep(res: Result<BookingDetail>): Result<BookingDetail> {
    if (res.ok) {
      set({ byId: { ...get().byId, [res.value.id]: { detail: res.value, error: null } } });
      // The counter's lists show status and balance: refresh them behind the scenes.
      void useCounter.getState().loadToday();
    }
    return res;
  }

  return {
    byId: {},
    async load(id) {
      const res = await call('bookings.get', { id });
      const before = get().byId[id]?.detail ?? null;
      set({ byId: { ...get().byId, [id]: res.ok ? { detail: res.value, error: null } : { detail: before, error: res.error.message } } });
    },
    create: async (input) => keep(await call('bookings.create', input)),
    modify: async (input) => keep(await call('bookings.modify', input)),
    extend: async (input) => keep(await call('bookings.extend', input)),
    cancel: async (input) => keep(await call('bookings.cancel', input)),
    noShow: async (input) => keep(await call('bookings.noShow', input)),
    close: async (input) => keep(await call('bookings.close', input)),
    checkOut: async (input) => keep(await call('bookings.checkOut', input)),
    checkIn: async (input) => keep(await call('bookings.checkIn', input)),
    previewCheckIn: (input) => call('bookings.checkInPreview', input),
  };
});
