import { DEFAULT_MESSAGES } from '../../../shared/errors';
import type { PosErrorShape } from '../../../shared/errors';

/** Field errors keyed by a form's control names (dotted input paths as main sends them). */
export type FieldErrors = Record<string, string>;

/** The message for a control: its exact path, or any path beneath it ("extras.0.quantity" → "extras"). */
export function fieldMessage(fields: FieldErrors | undefined, key: string): string | undefined {
  if (!fields) return undefined;
  if (fields[key] !== undefined) return fields[key];
  const nested = Object.keys(fields).find((k) => k.startsWith(`${key}.`));
  return nested === undefined ? undefined : fields[nested];
}

/** Renames one method's input paths to the form's controls (availability's `to` is the form's `returnAt`). */
export function renameFields(fields: FieldErrors | undefined, map: Record<string, string>): FieldErrors {
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(fields ?? {})) {
    const head = k.split('.')[0] ?? k;
    const to = map[head];
    out[to === undefined ? k : to + k.slice(head.length)] ??= v;
  }
  return out;
}

/**
 * The sentence for the notices area. Main's own sentences are kept as they are; the generic
 * "check the highlighted fields" gains the names of those fields, so a clerk who cannot see
 * the control (scrolled away, or on another panel) still knows what to fix.
 */
export function errorSentence(error: PosErrorShape, labels: Record<string, string> = {}): string {
  const message = error.message.trim() || DEFAULT_MESSAGES[error.code];
  const fields = Object.entries(error.fields ?? {});
  if (error.code !== 'invalid_input' || fields.length === 0 || message !== DEFAULT_MESSAGES.invalid_input) return message;
  const named = fields.map(([path, what]) => {
    const label = labelFor(path, labels);
    return label ? `${label}: ${what}` : what;
  });
  return `${message} ${named.map((n) => (/[.!?]$/.test(n) ? n : `${n}.`)).join(' ')}`;
}

function labelFor(path: string, labels: Record<string, string>): string | undefined {
  if (labels[path]) return labels[path];
  const parts = path.split('.');
  for (let i = parts.length - 1; i > 0; i--) {
    const l = labels[parts.slice(0, i).join('.')];
    if (l) return l;
  }
  return undefined;
}
