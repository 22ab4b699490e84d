import { useEffect } from 'react';
import { CommandPalette } from './components/CommandPalette';
import { NavBar } from './components/NavBar';
import { Notices } from './components/Notices';
import { TitleBar } from './components/TitleBar';
import { useKeymap } from './keymap';
import { BookingsScreen } from './screens/bookings/BookingsScreen';
import { ComingSoon } from './screens/ComingSoon';
import { CounterScreen } from './screens/counter/CounterScreen';
import { RefundsScreen } from './screens/refunds/RefundsScreen';
import { SettingsScreen } from './screens/settings/SettingsScreen';
import { SetupScreen } from './screens/setup/SetupScreen';
import { useSetup } from './screens/setup/setupStore';
import { SignInScreen } from './screens/signin/SignInScreen';
import type { ScreenId } from './screens/registry';
import { on } from './rpc/client';
import { useApp } from './stores/appStore';
import { useBookings } from './stores/bookingStore';
import { useCounter } from './stores/counterStore';

function Screen({ id }: { id: ScreenId }) {
  switch (id) {
    case 'counter':
      return <CounterScreen />;
    case 'bookings':
      return <BookingsScreen />;
    case 'refunds':
      return <RefundsScreen />;
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
  const signedOut = useApp((s) => s.session?.role === null);
  const setupOpen = useSetup((s) => s.open && s.state !== null);
  useKeymap();
  useEffect(() => {
    void load();
    void useSetup.getState().loadOnStart();
  }, [load]);
  // Stripe's news (a payment confirmed, a refund or dispute) reaches this till through the relay:
  // refresh the bookings on screen and today's lists so nobody works from a stale balance.
  useEffect(
    () =>
      on('bookings.changed', ({ ids }) => {
        if (!useApp.getState().session?.role) return;
        const open = useBookings.getState().byId;
        for (const id of ids) if (open[id]) void useBookings.getState().load(id);
        void useCounter.getState().loadToday();
      }),
    [],
  );

  let content;
  if (fatal) {
    content = (
      <main className="screen" aria-labelledby="screen-title">
        <h1 id="screen-title">Keydesk cannot reach its services</h1>
        <p role="alert">{fatal}</p>
        <button type="button" className="primary" onClick={() => void load()}>Try again</button>
      </main>
    );
  } else if (setupOpen) {
    content = <SetupScreen />;
  } else if (signedOut) {
    content = <SignInScreen />;
  } else {
    content = <Screen id={screen} />;
  }

  return (
    <div className="shell">
      <TitleBar />
      {(signedOut || setupOpen) && !fatal ? <div aria-hidden="true" /> : <NavBar />}
      {content}
      <Notices />
      {!signedOut && !setupOpen && <CommandPalette />}
    </div>
  );
}
