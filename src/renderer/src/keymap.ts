import { useEffect } from 'react';
import { SCREENS } from './screens/registry';
import { useApp } from './stores/appStore';
import { usePayments } from './stores/paymentStore';
import { useViews } from './stores/viewStore';

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
  const top = views.stacks.bookings.at(-1);
  // Already filling one in: stay on it rather than stacking a second, empty form.
  if (useApp.getState().screen === 'bookings' && top?.kind === 'bookingForm' && !top.id && !top.customerId) return;
  views.open({ kind: 'bookingForm' }, 'bookings');
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
        : { keys: s.key, label: `Go to ${s.title}`, run: () => app.navigate(s.id), whileTyping: true },
    ),
    { keys: '/', label: 'Find a booking', run: goCounterSearch },
    { keys: NEW_BOOKING_KEYS, label: 'New booking', run: openNewBooking, whileTyping: true },
    { keys: CHARGE_KEYS, label: 'Take a payment on this booking', run: openCharge, whileTyping: true },
    { keys: 'Control+K', label: 'Open the command palette', run: () => app.setPaletteOpen(!useApp.getState().paletteOpen), whileTyping: true },
    { keys: 'Escape', label: 'Back', run: () => useViews.getState().back(), whileTyping: true, hidden: true },
  ];
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
