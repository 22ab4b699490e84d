/**
 * A whole-number meter reading typed by a clerk ("12 345", "12,345"). Group separators are
 * dropped; a fraction or a minus sign is kept, so main refuses it with its own sentence
 * ("Odometer must be a whole number") instead of the screen silently rounding.
 */
export function readingOf(text: string): number | null {
  const t = text.trim().replace(/[\s,.'](?=\d{3}(?:\D|$))/g, '');
  if (!/^-?\d{1,12}(\.\d+)?$/.test(t)) return null;
  return Number(t);
}
