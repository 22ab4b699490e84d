import { useEffect, useState } from 'react';
import type { SetupState } from '../../../../shared/contract/setup';
import { call } from '../../rpc/client';
import { useApp } from '../../stores/appStore';
import { useSetup } from './setupStore';

const LOCK_LABELS: Record<keyof SetupState['locked'], string> = { mode: 'Mode', relayUrl: 'Relay address', location: 'Location', currency: 'Currency', updateChannel: 'Update channel' };

/** Settings' view of setup: mode, how keys are kept, what the office locked, and the way back into setup. */
export function SetupSummary() {
  const [state, setState] = useState<SetupState | null>(null);
  const manager = useApp((s) => s.session?.role === 'manager');
  const show = useSetup((s) => s.show);
  useEffect(() => {
    void call('setup.state', {}).then((r) => r.ok && setState(r.value));
  }, []);
  if (!state) return null;
  const locks = Object.entries(state.locked) as [keyof SetupState['locked'], string][];
  return (
    <section aria-labelledby="counter-setup-title" className="about">
      <h2 id="counter-setup-title">Counter setup</h2>
      <dl>
        <dt>Mode</dt><dd>{state.mode}</dd>
        <dt>Keys</dt><dd>{state.secrets.sentence}</dd>
        {locks.map(([k, v]) => (
          <div key={k} className="locked-setting">
            <dt>{LOCK_LABELS[k]}</dt>
            <dd><span aria-label="locked">🔒</span> {v} <span className="hint">(locked by the office{state.managedSource ? ` in ${state.managedSource}` : ''})</span></dd>
          </div>
        ))}
      </dl>
      {manager && <div className="actions"><button type="button" onClick={() => void show()}>Set up this counter…</button></div>}
    </section>
  );
}
