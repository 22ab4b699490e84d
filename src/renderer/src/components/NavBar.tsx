import { SCREENS } from '../screens/registry';
import { useApp } from '../stores/appStore';

export function NavBar() {
  const screen = useApp((s) => s.screen);
  const navigate = useApp((s) => s.navigate);
  const openPalette = useApp((s) => s.setPaletteOpen);
  return (
    <nav aria-label="Main" className="nav">
      {SCREENS.map((s) => (
        <button
          key={s.id}
          type="button"
          aria-current={screen === s.id ? 'page' : undefined}
          aria-keyshortcuts={s.key}
          onClick={() => navigate(s.id)}
        >
          <span>{s.title}</span>
          <kbd aria-hidden="true">{s.key}</kbd>
        </button>
      ))}
      <button type="button" className="palette-button" aria-keyshortcuts="Control+K" onClick={() => openPalette(true)}>
        <span>Commands</span>
        <kbd aria-hidden="true">Ctrl K</kbd>
      </button>
    </nav>
  );
}
