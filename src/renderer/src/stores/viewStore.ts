import { create } from 'zustand';
import { useApp } from './appStore';

/**
 * Views opened inside the Counter and Bookings screens: a booking, its forms, a customer.
 * Each screen keeps its own stack, so Esc or "Back" returns to exactly where the clerk came from.
 */
export type View =
  | { kind: 'booking'; id: string }
  | { kind: 'bookingForm'; id?: string; customerId?: string }
  | { kind: 'checkOut'; id: string }
  | { kind: 'checkIn'; id: string }
  | { kind: 'customer'; id: string };

export type WorkScreen = 'counter' | 'bookings';

type ViewState = {
  stacks: Record<WorkScreen, View[]>;
  /** Bumped to ask the Counter's search box to take focus. */
  searchFocus: number;
  /** Opens a view on the current work screen (from elsewhere: on the Counter). */
  open(view: View, on?: WorkScreen): void;
  /** Swaps the top view (a saved form becomes the booking it saved). */
  replace(view: View): void;
  /** Closes the top view; false when there was none. */
  back(): boolean;
  home(screen: WorkScreen): void;
  focusSearch(): void;
};

export function currentWorkScreen(): WorkScreen | null {
  const s = useApp.getState().screen;
  return s === 'counter' || s === 'bookings' ? s : null;
}

export const useViews = create<ViewState>((set, get) => ({
  stacks: { counter: [], bookings: [] },
  searchFocus: 0,

  open(view, on) {
    useApp.getState().leaveView();
    const screen = on ?? currentWorkScreen() ?? 'counter';
    if (useApp.getState().screen !== screen) useApp.getState().navigate(screen);
    const stacks = get().stacks;
    set({ stacks: { ...stacks, [screen]: [...stacks[screen], view] } });
  },

  replace(view) {
    useApp.getState().leaveView();
    const screen = currentWorkScreen() ?? 'counter';
    const stacks = get().stacks;
    set({ stacks: { ...stacks, [screen]: [...stacks[screen].slice(0, -1), view] } });
  },

  back() {
    const screen = currentWorkScreen();
    if (!screen) return false;
    const stacks = get().stacks;
    if (stacks[screen].length === 0) return false;
    useApp.getState().leaveView();
    set({ stacks: { ...stacks, [screen]: stacks[screen].slice(0, -1) } });
    if (screen === 'counter' && stacks.counter.length === 1) get().focusSearch();
    return true;
  },

  home(screen) {
    if (get().stacks[screen].length > 0) useApp.getState().leaveView();
    set({ stacks: { ...get().stacks, [screen]: [] } });
  },

  focusSearch: () => set({ searchFocus: get().searchFocus + 1 }),
}));
