/** A deep copy as JSON would send it: events carry the object as it was at that moment. */
export function snapshot<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Stripe's `data.previous_attributes`: the old values of what changed; nested hashes are
 * diffed key by key, and a key that did not exist before shows as null.
 */
export function previousAttributes(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const prev: Record<string, unknown> = {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    const b = before[key];
    const a = after[key];
    if (JSON.stringify(b) === JSON.stringify(a)) continue;
    if (isPlainObject(b) && isPlainObject(a) && key !== 'data') prev[key] = previousAttributes(b, a);
    else prev[key] = b === undefined ? null : b;
  }
  return prev;
}
