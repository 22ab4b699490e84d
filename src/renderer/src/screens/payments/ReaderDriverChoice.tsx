import { useEffect } from 'react';
import type { ReaderDriverKind } from '../../../../shared/contract/payments';
import { reloadKeepingViews } from '../../readers/reloadForDriver';
import { useApp } from '../../stores/appStore';
import { usePayments } from '../../stores/paymentStore';

const DRIVER_LABEL: Record<ReaderDriverKind, string> = {
  'server-driven': 'Stripe reader, driven by Keydesk',
  simulated: 'Demo reader, driven by Keydesk',
  'terminal-js': 'Stripe Terminal JS (this screen drives the reader)',
};

/**
 * How this counter drives its reader (kept in settings; a manager changes it). The page reloads
 * after a change: the Terminal SDK script and the page's CSP that lets it in are set when the
 * page loads, so only a fresh page gets (or drops) them.
 */
export function ReaderDriverChoice({ driver }: { driver: ReaderDriverKind }) {
  const mode = useApp((s) => s.info?.mode);
  const chosen = useApp((s) => s.settings?.readerDriver);
  const notify = useApp((s) => s.notify);
  useEffect(() => {
    if (driver === 'terminal-js') void usePayments.getState().connectSdk();
  }, [driver]);
  const options: ReaderDriverKind[] = mode === 'demo' ? ['simulated', 'terminal-js'] : ['server-driven', 'terminal-js'];
  const value = driver === 'terminal-js' ? 'terminal-js' : (options.find((o) => o !== 'terminal-js') ?? driver);

  async function change(next: ReaderDriverKind) {
    if (next === chosen || next === value) return;
    const res = await useApp.getState().saveSettings({ readerDriver: next });
    if (!res.ok) {
      notify('error', res.error.message, 'charge');
      return;
    }
    reloadKeepingViews();
  }

  return (
    <span className="reader-driver">
      <label>
        <span className="muted">Driver</span>{' '}
        <select aria-label="Reader driver" value={value} onChange={(e) => void change(e.target.value as ReaderDriverKind)}>
          {options.map((o) => (
            <option key={o} value={o}>
              {DRIVER_LABEL[o]}
            </option>
          ))}
        </select>
      </label>
    </span>
  );
}
