import { useEffect } from 'react';
import { SCREENS } from './screens/registry';
import { useApp } from './stores/appStore';
import { useBookings } from './stores/bookingStore';
import { useSession } from './stores/sessionStore';
import { currentWorkScreen, useViews } from './stores/viewStore';
import type { ScreenId } from './screens/registry';
import { usePayments } from './stores/paymentStore';
import { usePrint } from './stores/printStore';

/**
 * The one keymap. Every shortcut in the app is listed here so the palette, the navigation
 * labels and the handler can never disagree.
 */
export type Shortcut = {
  keys: string;
  label: string;
  run: () => void;
  /** Also fires while the clerk is typing in a field (F-keys, Ctrl+…); plain keys like "/" do not. */
  whileTyping?: boolean;
  /** Left out of the command palette (keys that only make sense on their own, like Escape). */
  hidden?: boolean;
};

export const NEW_BOOKING_KEYS = 'Control+N';

function goCounterSearch(): void {
  const app = useApp.getState();
  app.navigate('counter');
  useViews.getState().home('counter');
  useViews.getState().focusSearch();
}

function openNewBooking(): void {
  const views = useViews.getState();
  // On the Counter or Bookings the form opens there, so Esc goes back to exactly where the clerk was.
  const screen = currentWorkScreen() ?? 'counter';
  const top = views.stacks[screen].at(-1);
  // Already filling one in: stay on it rather than stacking a second, empty form.
  if (top?.kind === 'bookingForm' && !top.id && !top.customerId) return;
  views.open({ kind: 'bookingForm' }, screen);
}

/** F2…F6: go to the screen; pressed on the screen already shown, back to its home (the list). */
function goScreen(id: ScreenId): void {
  const app = useApp.getState();
  if (app.screen === id && (id === 'counter' || id === 'bookings')) useViews.getState().home(id);
  app.navigate(id);
}

/** F8 on a booking (or its check-out): to the Charge panel. Elsewhere it says where to go instead of doing nothing. */
export const CHARGE_KEYS = 'F8';
function openCharge(): void {
  useApp.getState().setPaletteOpen(false);
  const views = useViews.getState();
  const screen = useApp.getState().screen;
  const top = screen === 'counter' || screen === 'bookings' ? views.stacks[screen].at(-1) : undefined;
  if (top?.kind === 'booking' || top?.kind === 'checkOut') usePayments.getState().focusCharge();
  else useApp.getState().notify('error', 'Open a booking first, then press F8 to take a payment.', 'charge-key');
}

export function shortcuts(): Shortcut[] {
  const app = useApp.getState();
  return [
    ...SCREENS.map((s) =>
      s.id === 'counter'
        ? { keys: s.key, label: `Go to ${s.title} and find a booking`, run: goCounterSearch, whileTyping: true }
        : { keys: s.key, label: `Go to ${s.title}`, run: () => goScreen(s.id), whileTyping: true },
    ),
    { keys: '/', label: 'Find a booking', run: goCounterSearch },
    { keys: NEW_BOOKING_KEYS, label: 'New booking', run: openNewBooking, whileTyping: true },
    { keys: CHARGE_KEYS, label: 'Take a payment on this booking', run: openCharge, whileTyping: true },
    { keys: 'Control+K', label: 'Open the command palette', run: () => app.setPaletteOpen(!useApp.getState().paletteOpen), whileTyping: true },
    { keys: 'Escape', label: 'Back', run: () => useViews.getState().back(), whileTyping: true, hidden: true },
  ];
}

export type PaletteAction = { id: string; label: string; run: () => void };

/**
 * What the palette can do besides going places: act on the booking on screen (check it out or
 * in, as its status allows) and sign out. Built when the palette opens, from what is shown.
 */
export function paletteActions(): PaletteAction[] {
  const actions: PaletteAction[] = [];
  const screen = currentWorkScreen();
  const top = screen ? useViews.getState().stacks[screen].at(-1) : undefined;
  const b = top?.kind === 'booking' ? useBookings.getState().byId[top.id]?.detail : undefined;
  if (b?.status === 'reserved') actions.push({ id: 'check-out', label: `Check out ${b.ref}`, run: () => useViews.getState().open({ kind: 'checkOut', id: b.id }) });
  if (b?.status === 'checked_out') actions.push({ id: 'check-in', label: `Check in ${b.ref}`, run: () => useViews.getState().open({ kind: 'checkIn', id: b.id }) });
  if (b && b.balanceDue.amount > 0) actions.push({ id: 'take-payment', label: `Take payment on ${b.ref}`, run: openCharge });
  if (b && b.paid.amount > 0) actions.push({ id: 'print-receipt', label: `Print receipt for ${b.ref}`, run: () => usePrint.getState().showReceipt(b.id) });
  if (b && (b.status === 'reserved' || b.status === 'checked_out')) actions.push({ id: 'print-agreement', label: `Print rental agreement for ${b.ref}`, run: () => usePrint.getState().showAgreement(b.id) });
  // New booking is in the palette already, as its shortcut (Ctrl+N).
  actions.push({ id: 'sign-out', label: 'Sign out', run: () => void useSession.getState().signOut() });
  return actions;
}

export function keyOf(e: KeyboardEvent): string {
  const parts: string[] = [];
  if (e.ctrlKey || e.metaKey) parts.push('Control');
  if (e.altKey) parts.push('Alt');
  if (e.shiftKey && e.key.length > 1) parts.push('Shift');
  parts.push(e.key.length === 1 ? e.key.toUpperCase() : e.key);
  return parts.join('+');
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit'].includes(target.type);
}

export function useKeymap(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Signed out: the sign-in screen owns the keyboard (digits go to the PIN).
      if (useApp.getState().session?.role === null) return;
      const key = keyOf(e);
      const hit = shortcuts().find((s) => s.keys === key);
      if (!hit) return;
      if (!hit.whileTyping && isTyping(e.target)) return;
      // A dialog handles its own Escape (Radix closes it); the view behind stays put.
      if (key === 'Escape' && (e.defaultPrevented || document.querySelector('[role="dialog"]'))) return;
      // F-keys would otherwise open help or reload the page in a browser.
      e.preventDefault();
      hit.run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
