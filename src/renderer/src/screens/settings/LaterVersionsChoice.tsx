import { useState } from 'react';
import type { ParsedRateCard } from '../../../../shared/contract/pricing';
import type { RateCardVersionView } from '../../../../shared/contract/rateCardAdmin';
import { showDateTime } from '../../format/time';

/** A save waiting for the manager's choice: versions scheduled after it would replace it on their dates. */
export type PendingSave = {
  card: ParsedRateCard;
  /** null: the change applies as soon as it is saved. */
  effectiveFrom: string | null;
  later: RateCardVersionView[];
  /** Main's sentence when it refused the save (a version was scheduled meanwhile). */
  message: string | null;
};

/**
 * Saving a change that takes effect before a version already scheduled: cancel the scheduled
 * version(s), or keep them and accept they replace this change on their dates. Both dates are
 * on screen; main enforces the same rule.
 */
export function LaterVersionsChoice({ pending, nextVersion, tz, locale, busy, onChoose, onBack }: {
  pending: PendingSave;
  nextVersion: number | null;
  tz: string;
  locale: string;
  busy: boolean;
  onChoose: (choice: 'cancel' | 'keep') => void;
  onBack: () => void;
}) {
  const [choice, setChoice] = useState<'cancel' | 'keep' | null>(null);
  const when = (iso: string) => showDateTime(iso, tz, locale);
  const yours = nextVersion === null ? 'Your change' : `Your change (version ${nextVersion})`;
  const start = pending.effectiveFrom === null ? `applies as soon as you save (now, ${when(new Date().toISOString())})` : `applies from ${when(pending.effectiveFrom)}`;
  const list = pending.later.length === 0 ? 'the scheduled versions' : pending.later.map((v) => `version ${v.version} (from ${when(v.effectiveFrom)})`).join(' and ');
  const one = pending.later.length === 1;
  const first = pending.later[0];
  return (
    <fieldset className="panel-warn span-all rc-later" aria-describedby="rc-later-why">
      <legend>A later version is already scheduled</legend>
      <p id="rc-later-why" role="alert">
        {pending.message ?? `${yours} ${start}, but ${list} ${one ? 'is' : 'are'} already scheduled and would replace it on ${one ? 'that date' : 'those dates'}.`}
      </p>
      <label className="radio-row">
        <input type="radio" name="rc-later" checked={choice === 'cancel'} onChange={() => setChoice('cancel')} />
        <span>Cancel {list}: your change stays in force after {first ? when(first.effectiveFrom) : 'that date'}.</span>
      </label>
      <label className="radio-row">
        <input type="radio" name="rc-later" checked={choice === 'keep'} onChange={() => setChoice('keep')} />
        <span>Keep {one ? 'it' : 'them'}: your change lasts only until {first ? `${when(first.effectiveFrom)}, when version ${first.version} replaces it` : 'the scheduled date, when that version replaces it'}.</span>
      </label>
      <div className="actions">
        <button type="button" className="primary" disabled={busy || choice === null} onClick={() => choice && onChoose(choice)}>Save with this choice</button>
        <button type="button" onClick={onBack}>Back to editing</button>
      </div>
    </fieldset>
  );
}
