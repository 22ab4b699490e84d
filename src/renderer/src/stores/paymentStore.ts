import { create } from 'zustand';
import type { Input, Output } from '../../../shared/contract';
import type { BookingPayments, Payment, Reader, Receipt, SimulatedOutcome } from '../../../shared/contract/payments';
import type { Result } from '../../../shared/errors';
import type { ReaderDriver, ReaderDriverKind, ReaderState } from '../readers/readerDriver';
import { createServerDrivenDriver } from '../readers/serverDrivenDriver';
import { createTerminalJsDriver, loadTerminalSdk } from '../readers/terminalJsDriver';
import { call, on } from '../rpc/client';
import { useApp } from './appStore';
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
  /** terminal-js: the SDK reader's state, for the reader line (null until the SDK is used). */
  sdkReader: ReaderState | null;
  /** Why the SDK reader is not ready (script not loaded, no reader found), for the reader line. */
  sdkProblem: string | null;
  /** terminal-js: loads the SDK and connects the reader now, so the reader line shows its real state before a charge. */
  connectSdk(): Promise<void>;
  /** terminal-js on the demo's simulated reader: what the next card does (the demo reader panel's choice). */
  nextCard: SimulatedOutcome;
  setNextCard(outcome: SimulatedOutcome): void;
};

/** The test card the SDK's simulated reader taps for each demo outcome it can play (Stripe's simulator numbers). */
export const SDK_TEST_CARDS: Partial<Record<SimulatedOutcome, string>> = {
  approve: '4242424242424242',
  card_declined: '4000000000000002',
  insufficient_funds: '4000000000009995',
  lost_card: '4000000000009987',
  stolen_card: '4000000000009979',
  expired_card: '4000000000000069',
  processing_error: '4000000000000119',
};

const drivers = new Map<ReaderDriverKind, Promise<ReaderDriver>>();

/**
 * terminal-js: main says where the SDK script comes from (the emulator's stand-in in demo,
 * Stripe's otherwise) and which location; the driver is made once, connected to the first
 * reader found, and dropped when the reader disconnects or the load fails, so the next charge
 * starts over.
 */
async function terminalJsDriver(): Promise<ReaderDriver> {
  const list = await call('readers.list', {});
  if (!list.ok) throw new Error(list.error.message);
  const t = list.value.terminalJs;
  if (!t) throw new Error('This counter is not set up for the Terminal JS reader. Reload the page.');
  const sdk = await loadTerminalSdk(t.scriptUrl);
  const d = createTerminalJsDriver({
    sdk,
    location: t.simulated ? null : t.location,
    simulatorCard: () => SDK_TEST_CARDS[usePayments.getState().nextCard] ?? null,
    async fetchConnectionToken() {
      const r = await call('readers.connectionToken', {});
      return r.ok ? { ok: true, value: r.value.secret } : { ok: false, error: { code: r.error.code, message: r.error.message } };
    },
  });
  d.on((e) => {
    if (e.type === 'connection') usePayments.setState({ sdkReader: e.state });
    if (e.type === 'disconnected') {
      usePayments.setState({ sdkReader: 'offline' });
      drivers.delete('terminal-js');
    }
  });
  const found = await d.discover();
  if (!found.ok) throw new Error(found.error.message);
  // A real reader: the one chosen for this till when the SDK sees it; the simulator has only one.
  const chosen = t.simulated ? undefined : list.value.readers.find((r) => r.selected)?.id;
  const first = chosen ? found.value.find((r) => r.id === chosen) : found.value[0];
  if (!first) throw new Error(chosen ? 'The chosen card reader was not found on the network. Check that it is on, or pick another reader.' : 'No card reader was found on the network. Check that it is on, or take cash.');
  const connected = await d.connect(first.id);
  if (!connected.ok) throw new Error(connected.error.message);
  return d;
}

function driverFor(kind: ReaderDriverKind): Promise<ReaderDriver> {
  let d = drivers.get(kind);
  if (!d) {
    d = kind === 'terminal-js' ? terminalJsDriver() : Promise.resolve(createServerDrivenDriver(kind));
    // A failed script load or connect is not kept: the next charge tries again.
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

  /**
   * Hands the payment to the reader driver; the screen follows main's record meanwhile. In
   * terminal-js mode main is then told, whatever the SDK said (even a failed load), and it asks
   * Stripe: the SDK's answer never marks anything paid by itself.
   */
  function follow(bookingId: string, kind: ReaderDriverKind, p: Payment & { clientSecret?: string | null }) {
    void driverFor(kind)
      .then((d) => d.collectAndProcess({ paymentId: p.id, clientSecret: p.clientSecret ?? null }))
      .then(
        (outcome) => (outcome.kind === 'failed' ? outcome.message : null),
        (e: unknown) => (e instanceof Error ? e.message : 'The card reader software failed.'),
      )
      .then(async (problem) => {
        if (kind !== 'terminal-js') return;
        if (problem) useApp.getState().notify('error', problem, 'charge');
        await call('payments.confirmFromReader', { paymentId: p.id });
      })
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
    sdkReader: null,
    sdkProblem: null,
    async connectSdk() {
      if (get().sdkReader === 'online') return;
      set({ sdkReader: 'connecting', sdkProblem: null });
      await driverFor('terminal-js').then(
        () => set({ sdkReader: 'online', sdkProblem: null }),
        (e: unknown) => set({ sdkReader: 'offline', sdkProblem: e instanceof Error ? e.message : 'The card reader software failed.' }),
      );
    },
    nextCard: 'approve',
    setNextCard: (outcome) => set({ nextCard: outcome }),
  };
});
