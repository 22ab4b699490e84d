/**
 * A deep copy of plain JSON data (objects, arrays, primitives): events carry the object as it
 * was at that moment. Hand-written because it runs several times per request and is about
 * three times faster than a JSON round trip. `undefined` members are dropped, as JSON would.
 */
export function snapshot<T>(value: T): T {
  return clone(value) as T;
}

function clone(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = clone(value[i]);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = clone(v);
  }
  return out;
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
