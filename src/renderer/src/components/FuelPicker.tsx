import { fuelLabel } from '../format/labels';

const EIGHTHS = [0, 1, 2, 3, 4, 5, 6, 7, 8] as const;

/** The fuel gauge as nine radio buttons (arrow keys move between them, as with any radio group). */
export function FuelPicker({
  name,
  legend,
  value,
  onChange,
  error,
}: {
  name: string;
  legend: string;
  value: number | null;
  onChange: (eighths: number) => void;
  error?: string | undefined;
}) {
  const errId = `${name}-err`;
  return (
    <fieldset className="segmented" aria-invalid={error ? true : undefined} aria-describedby={error ? errId : undefined}>
      <legend>{legend}</legend>
      <div className="segments">
        {EIGHTHS.map((n) => (
          <label key={n} className={value === n ? 'on' : undefined}>
            <input type="radio" name={name} value={n} checked={value === n} onChange={() => onChange(n)} aria-label={`${fuelLabel(n)} (${n} of 8)`} />
            <span aria-hidden="true">{fuelLabel(n)}</span>
          </label>
        ))}
      </div>
      {error && <p id={errId} className="field-error">{error}</p>}
    </fieldset>
  );
}
