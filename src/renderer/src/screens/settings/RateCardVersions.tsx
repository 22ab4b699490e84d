import { useState } from 'react';
import type { Output } from '../../../../shared/contract';
import type { RateCardVersionView } from '../../../../shared/contract/rateCardAdmin';
import { Field } from '../../components/Field';
import { showDateTime } from '../../format/time';
import { errorFor, useChange } from './adminKit';

type Versions = Output<'rates.versions'>['versions'];

const STATE_WORDS: Record<RateCardVersionView['state'], string> = {
  in_force: 'In force',
  scheduled: 'Scheduled',
  superseded: 'Superseded',
  cancelled: 'Cancelled',
};

/**
 * Every saved version of the rate card and what it is now: the one in force, those scheduled
 * (each can be cancelled before its date, with a reason), and those superseded or cancelled.
 */
export function RateCardVersions({ versions, tz, locale, onChanged }: { versions: Versions; tz: string; locale: string; onChanged: () => Promise<void> }) {
  const act = useChange();
  const [cancelling, setCancelling] = useState<RateCardVersionView | null>(null);
  const [reason, setReason] = useState('');
  const when = (iso: string) => showDateTime(iso, tz, locale);

  function what(v: RateCardVersionView): string {
    switch (v.state) {
      case 'in_force':
        return v.replacedBy ? `In force since ${when(v.effectiveFrom)}; version ${v.replacedBy.version} replaces it on ${when(v.replacedBy.at)}` : `In force since ${when(v.effectiveFrom)}`;
      case 'scheduled':
        return `Takes effect on ${when(v.effectiveFrom)}${v.replacedBy ? `; version ${v.replacedBy.version} replaces it on ${when(v.replacedBy.at)}` : ''}`;
      case 'superseded':
        return `Applied from ${when(v.effectiveFrom)}${v.replacedBy ? ` until ${when(v.replacedBy.at)} (version ${v.replacedBy.version})` : ''}`;
      case 'cancelled':
        return `Was due on ${when(v.effectiveFrom)}; cancelled${v.cancelledAt ? ` on ${when(v.cancelledAt)}` : ''}${v.cancelledBy ? ` by ${v.cancelledBy}` : ''}`;
    }
  }

  async function confirmCancel() {
    if (!cancelling) return;
    const res = await act.run('rates.cancelScheduled', { id: cancelling.id, version: cancelling.version, reason }, `Version ${cancelling.version} is cancelled; it will not take effect.`);
    if (res) {
      setCancelling(null);
      setReason('');
      await onChanged();
    }
  }

  return (
    <section className="admin-section" aria-labelledby="rc-versions-title">
      <h3 id="rc-versions-title">Versions of the rate card</h3>
      <table className="admin-table" aria-label="Rate card versions">
        <thead>
          <tr><th scope="col">Version</th><th scope="col">State</th><th scope="col">When</th><th scope="col">Saved</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={`${v.id}@${v.version}`} className={v.state === 'superseded' || v.state === 'cancelled' ? 'muted' : v.state === 'in_force' ? 'selected' : ''}>
              <th scope="row">{v.version}</th>
              <td>{STATE_WORDS[v.state]}</td>
              <td>{what(v)}</td>
              <td>{when(v.savedAt)}{v.savedBy ? `, ${v.savedBy}` : ''}</td>
              <td className="row-actions">
                {v.state === 'scheduled' && (
                  <button type="button" onClick={() => { setCancelling(v); setReason(''); act.clear(); }}>Cancel version {v.version}</button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {cancelling && (
        <form className="panel-warn" aria-label={`Cancel version ${cancelling.version}`} onSubmit={(e) => { e.preventDefault(); void confirmCancel(); }} noValidate>
          <p>Version {cancelling.version} is due to take effect on {when(cancelling.effectiveFrom)}. Cancelled, it never takes effect and the prices in force stay. This is recorded.</p>
          <Field id="rc-cancel-reason" label="Reason for cancelling" error={errorFor(act.fields, 'reason') ?? errorFor(act.fields, 'version')}>
            {(c) => <input {...c} value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
          <div className="actions">
            <button type="submit" className="primary" disabled={act.busy}>Cancel version {cancelling.version} for good</button>
            <button type="button" onClick={() => setCancelling(null)}>Keep it</button>
          </div>
        </form>
      )}
    </section>
  );
}
