import { useState } from 'react';
import type { MouseEvent } from 'react';
import type { DamageMark } from '../../../shared/contract/bookings';

/** The car from above, front at the top, in the diagram's 0–1000 coordinates. */
function CarOutline() {
  return (
    <g className="car-outline" aria-hidden="true">
      <text x="500" y="40" textAnchor="middle">Front</text>
      <text x="500" y="990" textAnchor="middle">Rear</text>
      {/* Shrunk a little and moved down so the labels sit clear of the car. */}
      <g transform="translate(30 55) scale(0.94 0.89)">
      <path d="M380 60 Q500 20 620 60 Q700 90 710 200 L720 820 Q715 930 620 950 Q500 975 380 950 Q285 930 280 820 L290 200 Q300 90 380 60 Z" />
      <path d="M340 250 Q500 200 660 250 L640 380 Q500 350 360 380 Z" className="glass" />
      <path d="M360 700 Q500 730 640 700 L655 820 Q500 860 345 820 Z" className="glass" />
      <rect x="250" y="170" width="40" height="110" rx="12" className="wheel" />
      <rect x="710" y="170" width="40" height="110" rx="12" className="wheel" />
      <rect x="250" y="700" width="40" height="110" rx="12" className="wheel" />
      <rect x="710" y="700" width="40" height="110" rx="12" className="wheel" />
      </g>
    </g>
  );
}

const same = (a: DamageMark, b: DamageMark) => a.x === b.x && a.y === b.y && a.note === b.note;

/**
 * Damage on the car's top-view diagram. Editable: a click places a point, the clerk writes what is
 * there and adds it. `before` (check-out's marks at check-in) is shown for reference; marks not
 * among them are new and drawn in the warning colour.
 */
export function DamageDiagram({
  id,
  marks,
  onChange,
  before,
  caption,
}: {
  id: string;
  marks: readonly DamageMark[];
  onChange?: (marks: DamageMark[]) => void;
  before?: readonly DamageMark[];
  caption: string;
}) {
  const [spot, setSpot] = useState<{ x: number; y: number } | null>(null);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const isNew = (m: DamageMark) => before !== undefined && !before.some((b) => same(b, m));

  function place(e: MouseEvent<SVGSVGElement>) {
    if (!onChange) return;
    const box = e.currentTarget.getBoundingClientRect();
    setSpot({ x: Math.round(((e.clientX - box.left) / box.width) * 1000), y: Math.round(((e.clientY - box.top) / box.height) * 1000) });
    setProblem(null);
  }

  function add() {
    if (!spot || !onChange) return;
    if (!note.trim()) {
      setProblem('Say what the damage is, e.g. "scratch 5 cm"');
      return;
    }
    onChange([...marks, { x: Math.min(1000, Math.max(0, spot.x)), y: Math.min(1000, Math.max(0, spot.y)), note: note.trim() }]);
    setSpot(null);
    setNote('');
  }

  const numbered = marks.map((m, i) => ({ m, n: i + 1, fresh: isNew(m) }));
  return (
    <figure className="damage-diagram">
      <figcaption id={`${id}-cap`}>{caption}</figcaption>
      <div className="diagram-body">
        <svg
          viewBox="0 0 1000 1000"
          role={onChange ? 'button' : 'img'}
          aria-label={onChange ? `${caption}: click where the damage is` : `${caption}: ${marks.length === 0 ? 'no damage marked' : `${marks.length} marked`}`}
          onClick={place}
          className={onChange ? 'editable' : undefined}
        >
          <CarOutline />
          {numbered.map(({ m, n, fresh }) => (
            <g key={`${m.x}-${m.y}-${n}`} className={fresh ? 'mark new' : 'mark'}>
              <circle cx={m.x} cy={m.y} r="40" />
              <text x={m.x} y={m.y + 15} textAnchor="middle">{n}</text>
            </g>
          ))}
          {spot && <circle cx={spot.x} cy={spot.y} r="40" className="mark pending" />}
        </svg>
        <div className="diagram-side">
          {onChange && spot && (
            <div className="field">
              <label htmlFor={`${id}-note`}>What is at the new mark?</label>
              <input id={`${id}-note`} value={note} autoFocus aria-invalid={problem ? true : undefined} onChange={(e) => setNote(e.target.value)} onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); add(); } }} />
              {problem && <p className="field-error">{problem}</p>}
              <div className="actions">
                <button type="button" className="primary" onClick={add}>Add mark</button>
                <button type="button" onClick={() => setSpot(null)}>Discard</button>
              </div>
            </div>
          )}
          {onChange && !spot && <p className="muted">Click the car where the damage is.</p>}
          {numbered.length > 0 && (
            <ol className="mark-list" aria-label={`${caption}: marks`}>
              {numbered.map(({ m, n, fresh }) => (
                <li key={`${m.x}-${m.y}-${n}`} className={fresh ? 'new' : undefined}>
                  {m.note}
                  {fresh && <strong className="new-tag"> (new at check-in)</strong>}
                  {onChange && !(before ?? []).some((b) => same(b, m)) && (
                    <button type="button" aria-label={`Remove mark ${n}`} onClick={() => onChange(marks.filter((x) => x !== m))}>×</button>
                  )}
                </li>
              ))}
            </ol>
          )}
        </div>
      </div>
    </figure>
  );
}
