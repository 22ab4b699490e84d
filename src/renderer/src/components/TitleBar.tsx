import { useApp } from '../stores/appStore';
import { useSession } from '../stores/sessionStore';
import { QueueBadge } from '../screens/refunds/QueueBadge';

const MODE_LABEL = { demo: 'Demo', test: 'Test', live: 'Live' } as const;

function connection(online: boolean | null | undefined): { text: string; tone: string } {
  if (online === true) return { text: 'Online', tone: 'ok' };
  if (online === false) return { text: 'Offline', tone: 'bad' };
  return { text: 'Not checked', tone: 'idle' };
}

const SYNC_LABEL = { off: 'Sync off', connecting: 'Connecting', live: 'Live', offline: 'Sync offline', error: 'Sync error' } as const;

/** Mode, connectivity and sync are always on screen: a clerk must never wonder which shop they are charging in. */
export function TitleBar() {
  const info = useApp((s) => s.info);
  const status = useApp((s) => s.status);
  const settings = useApp((s) => s.settings);
  const session = useApp((s) => s.session);
  const signOut = useSession((s) => s.signOut);
  const conn = connection(status?.online);
  const mode = info?.mode;
  return (
    <header className={`titlebar mode-${mode ?? 'unknown'}`}>
      <div className="brand">
        <span className="app-name">Keydesk</span>
        <span aria-label="Version" className="version">{info ? `v${info.version}` : ''}</span>
        {settings && <span className="shop">{settings.shopName} · {settings.counterName}</span>}
      </div>
      <div className="badges">
        <output aria-label="Mode" className={`badge mode-badge ${mode ?? ''}`} title="Which Stripe account this counter charges">
          {mode ? MODE_LABEL[mode] : '…'}
        </output>
        <output aria-label="Connection" className={`badge ${conn.tone}`} title={status?.detail ?? ''}>
          {conn.text}
        </output>
        <output aria-label="Sync" className={`badge ${status?.sync === 'live' ? 'ok' : status?.sync === 'error' ? 'bad' : 'idle'}`} title={status?.detail ?? ''}>
          {status ? SYNC_LABEL[status.sync] : '…'}
        </output>
        <QueueBadge />
        {session && <span className="who" aria-label="Signed in as">{session.role ? `${session.name} (${session.role})` : 'Signed out'}</span>}
        {session?.role && (
          <button type="button" className="signout" onClick={() => void signOut()}>
            Sign out
          </button>
        )}
      </div>
    </header>
  );
}
