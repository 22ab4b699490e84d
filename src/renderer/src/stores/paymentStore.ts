import { create } from 'zustand';
import type { Input, Output } from '../../../shared/contract';
import type { BookingPayments, Payment, Reader, Receipt, SimulatedOutcome } from '../../../shared/contract/payments';
import type { Result } from '../../../shared/errors';
import type { ReaderDriver, ReaderDriverKind } from '../readers/readerDriver';
import { createServerDrivenDriver } from '../readers/serverDrivenDriver';
import { createTerminalJsDriver, loadTerminalSdk } from '../readers/terminalJsDriver';
import { call, on } from '../rpc/client';
import { useBookings } from './bookingStore';

type Loaded = { data: BookingPayments | null; error: string | null };

type PaymentState = {
  /** Each booking's payments as main last answered, by booking id. */
  byBooking: Record<string, Loaded>;
  /** Bumped by the F-key: the Charge panel on screen takes focus. */
  chargeFocus: number;
  load(bookingId: string): Promise<void>;
  startCard(bookingId: string, amount: number | undefined): Promise<Result<Payment>>;
  retry(bookingId: string, paymentId: string): Promise<Result<Payment>>;
  cancel(bookingId: string, paymentId: string): Promise<Result<Payment>>;
  cash(input: Input<'payments.cash'>): Promise<Result<Output<'payments.cash'>>>;
  approveUnpaidHandover(input: Input<'payments.approveUnpaidHandover'>): Promise<Result<BookingPayments>>;
  simulate(readerId: string, outcome: SimulatedOutcome): Promise<Result<{ ok: true }>>;
  receipt(bookingId: string): Promise<Result<Receipt>>;
  readers(): Promise<Result<Output<'readers.list'>>>;
  /** Chooses this till's reader (kept in main's settings), then reloads the booking's payments. */
  selectReader(bookingId: string, readerId: string): Promise<Result<Reader>>;
  managers(): Promise<Result<Output<'staff.list'>>>;
  focusCharge(): void;
};

/** Where Stripe's Terminal script comes from in terminal-js mode (main's CSP opens it only then). */
const TERMINAL_SDK_SRC = 'https://js.stripe.com/terminal/v1/sdk.js';

const drivers = new Map<ReaderDriverKind, Promise<ReaderDriver>>();
function driverFor(kind: ReaderDriverKind): Promise<ReaderDriver> {
  let d = drivers.get(kind);
  if (!d) {
    d =
      kind === 'terminal-js'
        ? loadTerminalSdk(TERMINAL_SDK_SRC).then((sdk) =>
            createTerminalJsDriver({
              sdk,
              location: null,
              async fetchConnectionToken() {
                const r = await call('readers.connectionToken', {});
                return r.ok ? { ok: true, value: r.value.secret } : { ok: false, error: { code: r.error.code, message: r.error.message } };
              },
            }),
          )
        : Promise.resolve(createServerDrivenDriver(kind));
    // A failed script load is not kept: the next charge tries again.
    d.catch(() => drivers.delete(kind));
    drivers.set(kind, d);
  }
  return d;
}

let subscribed = false;

/**
 * Money at the counter. Every figure on screen is main's answer (`payments.forBooking`); the
 * store names a booking and a choice and then reloads. Main pushes `payments.changed` as the
 * reader moves, so a decline or a payment finished at another till shows without a click.
 */
export const usePayments = create<PaymentState>((set, get) => {
  function subscribe() {
    if (subscribed) return;
    subscribed = true;
    on('payments.changed', ({ bookingId }) => {
      if (get().byBooking[bookingId]) void refresh(bookingId);
    });
  }

  async function refresh(bookingId: string) {
    await Promise.all([get().load(bookingId), useBookings.getState().byId[bookingId] ? useBookings.getState().load(bookingId) : null]);
  }

  /** Hands the payment to the reader driver; the screen follows main's record meanwhile. */
  function follow(bookingId: string, kind: ReaderDriverKind, p: Payment & { clientSecret?: string | null }) {
    void driverFor(kind)
      .then((d) => d.collectAndProcess({ paymentId: p.id, clientSecret: p.clientSecret ?? null }))
      .catch(() => null)
      .then(() => refresh(bookingId));
  }

  async function card(bookingId: string, res: Result<Payment>): Promise<Result<Payment>> {
    await refresh(bookingId);
    const kind = get().byBooking[bookingId]?.data?.driver;
    if (res.ok && kind) follow(bookingId, kind, res.value);
    return res;
  }

  return {
    byBooking: {},
    chargeFocus: 0,

    async load(bookingId) {
      subscribe();
      const res = await call('payments.forBooking', { bookingId });
      const before = get().byBooking[bookingId]?.data ?? null;
      set({ byBooking: { ...get().byBooking, [bookingId]: res.ok ? { data: res.value, error: null } : { data: before, error: res.error.message } } });
    },

    startCard: async (bookingId, amount) => card(bookingId, await call('payments.startCard', amount === undefined ? { bookingId } : { bookingId, amount })),
    retry: async (bookingId, paymentId) => card(bookingId, await call('payments.retry', { paymentId })),

    async cancel(bookingId, paymentId) {
      const kind = get().byBooking[bookingId]?.data?.driver;
      // terminal-js: stop the SDK's collection first, so the card is not read after main cancels.
      if (kind === 'terminal-js') await (await driverFor(kind).catch(() => null))?.cancel();
      const res = await call('payments.cancel', { paymentId });
      await refresh(bookingId);
      return res;
    },

    async cash(input) {
      const res = await call('payments.cash', input);
      await refresh(input.bookingId);
      return res;
    },

    async approveUnpaidHandover(input) {
      const res = await call('payments.approveUnpaidHandover', input);
      if (res.ok) set({ byBooking: { ...get().byBooking, [input.bookingId]: { data: res.value, error: null } } });
      return res;
    },

    simulate: (readerId, outcome) => call('readers.simulate', { readerId, outcome }),
    receipt: (bookingId) => call('receipts.get', { bookingId }),
    readers: () => call('readers.list', {}),
    async selectReader(bookingId, readerId) {
      const res = await call('readers.select', { readerId });
      await get().load(bookingId);
      return res;
    },
    managers: () => call('staff.list', {}),
    focusCharge: () => set({ chargeFocus: get().chargeFocus + 1 }),
  };
});
