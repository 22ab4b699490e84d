import { useApp } from '../stores/appStore';
import { currentWorkScreen, useViews } from '../stores/viewStore';
import type { View, WorkScreen } from '../stores/viewStore';

/**
 * Changing the reader driver reloads the page: the Terminal SDK script, and the CSP that lets it
 * in, come only with a fresh page. So the clerk is not dropped on the home screen, the open views
 * are kept for this tab across that one reload and put back when this module loads again.
 */

const KEY = 'keydesk.viewsAcrossDriverReload';

export function reloadKeepingViews(): void {
  const screen = currentWorkScreen();
  if (screen) sessionStorage.setItem(KEY, JSON.stringify({ screen, stacks: useViews.getState().stacks }));
  window.location.reload();
}

function restore(): void {
  const saved = sessionStorage.getItem(KEY);
  if (!saved) return;
  sessionStorage.removeItem(KEY);
  try {
    const { screen, stacks } = JSON.parse(saved) as { screen: WorkScreen; stacks: Record<WorkScreen, View[]> };
    if ((screen !== 'counter' && screen !== 'bookings') || !Array.isArray(stacks.counter) || !Array.isArray(stacks.bookings)) return;
    useViews.setState({ stacks });
    useApp.setState({ screen });
  } catch {
    // A damaged entry only costs the clerk the open views.
  }
}

if (typeof window !== 'undefined' && typeof sessionStorage !== 'undefined') restore();
