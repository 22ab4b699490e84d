import { useEffect } from 'react';
import { CommandPalette } from './components/CommandPalette';
import { NavBar } from './components/NavBar';
import { Notices } from './components/Notices';
import { TitleBar } from './components/TitleBar';
import { useKeymap } from './keymap';
import { ComingSoon } from './screens/ComingSoon';
import { SettingsScreen } from './screens/settings/SettingsScreen';
import type { ScreenId } from './screens/registry';
import { useApp } from './stores/appStore';

function Screen({ id }: { id: ScreenId }) {
  switch (id) {
    case 'counter':
      return <ComingSoon title="Counter">Today’s pickups and returns, and a search box that finds a booking by reference, name, phone, licence or plate.</ComingSoon>;
    case 'bookings':
      return <ComingSoon title="Bookings">Create, change, extend and cancel bookings, with availability and a price breakdown.</ComingSoon>;
    case 'refunds':
      return <ComingSoon title="Refunds">Full and partial refunds with a reason and a manager’s PIN, queued safely while offline.</ComingSoon>;
    case 'shift':
      return <ComingSoon title="Shift">Open and close the till, count cash, and print the X and Z reports.</ComingSoon>;
    case 'reports':
      return <ComingSoon title="Reports">Takings by day, method and clerk; deposits held and holds expiring.</ComingSoon>;
    case 'settings':
      return <SettingsScreen />;
  }
}

export function App() {
  const load = useApp((s) => s.load);
  const screen = useApp((s) => s.screen);
  const fatal = useApp((s) => s.fatal);
  useKeymap();
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="shell">
      <TitleBar />
      <NavBar />
      {fatal ? (
        <main className="screen" aria-labelledby="screen-title">
          <h1 id="screen-title">Keydesk cannot reach its services</h1>
          <p role="alert">{fatal}</p>
          <button type="button" className="primary" onClick={() => void load()}>Try again</button>
        </main>
      ) : (
        <Screen id={screen} />
      )}
      <Notices />
      <CommandPalette />
    </div>
  );
}
