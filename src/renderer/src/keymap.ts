import { useEffect } from 'react';
import { SCREENS } from './screens/registry';
import { useApp } from './stores/appStore';

/**
 * The one keymap. Every shortcut in the app is listed here so the palette, the navigation
 * labels and the handler can never disagree.
 */
export type Shortcut = { keys: string; label: string; run: () => void };

export function shortcuts(): Shortcut[] {
  const app = useApp.getState();
  return [
    ...SCREENS.map((s) => ({ keys: s.key, label: `Go to ${s.title}`, run: () => app.navigate(s.id) })),
    { keys: 'Control+K', label: 'Open the command palette', run: () => app.setPaletteOpen(!useApp.getState().paletteOpen) },
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

export function useKeymap(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const key = keyOf(e);
      const hit = shortcuts().find((s) => s.keys === key);
      if (!hit) return;
      // F-keys would otherwise open help or reload the page in a browser.
      e.preventDefault();
      hit.run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
