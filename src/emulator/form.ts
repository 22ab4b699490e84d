import { invalidRequest, parameterInvalid, parameterMissing, parameterUnknown } from './errors';

/** A decoded Stripe request: `a[b][0]=x` becomes `{ a: { b: ['x'] } }`. Leaves are strings. */
export type ParamValue = string | Params | ParamValue[];
export type Params = { [key: string]: ParamValue };

const MAX_PAIRS = 2000;
const MAX_DEPTH = 8;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function splitKey(key: string): string[] | null {
  const open = key.indexOf('[');
  if (open === -1) return [key];
  const parts = [key.slice(0, open)];
  let i = open;
  while (i < key.length) {
    if (key[i] !== '[') return null;
    const close = key.indexOf(']', i);
    if (close === -1) return null;
    parts.push(key.slice(i + 1, close));
    i = close + 1;
  }
  return parts;
}

type Node = { [key: string]: string | Node };

/**
 * Decodes `application/x-www-form-urlencoded` (or a query string) with Stripe's nested
 * bracket syntax. `a[]=x` appends; objects whose keys are all indexes become arrays, except
 * directly under `metadata`, whose keys are free text.
 */
export function parseForm(text: string): Params {
  const root: Node = {};
  if (text.length === 0) return {};
  let pairs = 0;
  for (const [rawKey, value] of new URLSearchParams(text)) {
    if (++pairs > MAX_PAIRS) throw invalidRequest('Too many parameters in this request.', { cacheable: false });
    const path = splitKey(rawKey);
    if (path === null || path.length > MAX_DEPTH || path[0] === '') {
      throw invalidRequest(`Invalid parameter name: ${rawKey}`, { cacheable: false });
    }
    let node = root;
    for (let i = 0; i < path.length; i++) {
      let part = path[i] as string;
      if (FORBIDDEN_KEYS.has(part)) break;
      if (part === '') part = String(Object.keys(node).length);
      if (i === path.length - 1) {
        node[part] = value;
        break;
      }
      const next = node[part];
      if (typeof next === 'object') node = next;
      else {
        const created: Node = {};
        node[part] = created;
        node = created;
      }
    }
  }
  return finish(root, false) as Params;
}

function finish(node: Node, keepKeys: boolean): Params | ParamValue[] {
  const keys = Object.keys(node);
  const out: Params = {};
  for (const key of keys) {
    const v = node[key] as string | Node;
    out[key] = typeof v === 'string' ? v : finish(v, key === 'metadata');
  }
  if (!keepKeys && keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys
      .map((k) => [Number(k), out[k] as ParamValue] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, v]) => v);
  }
  return out;
}

export function isParams(v: unknown): v is Params {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Stripe refuses parameters it does not know; so do we (top level only). */
export function allowOnly(p: Params, allowed: ReadonlySet<string>): void {
  for (const key of Object.keys(p)) {
    if (key !== 'expand' && !allowed.has(key)) throw parameterUnknown(key);
  }
}

/** Nested parameters Stripe knows: `true` is a leaf (or a hash not checked further), an object names the keys within. */
export type ParamShape = { readonly [key: string]: true | ParamShape };

/**
 * Refuses a nested parameter Stripe does not know, naming it in full as Stripe does:
 * `Received unknown parameter: payment_method_options[card][bogus]`.
 */
export function allowNested(p: Params, name: string, shape: ParamShape, label = name): void {
  const v = p[name];
  if (!isParams(v)) return;
  for (const [key, child] of Object.entries(v)) {
    const rule = shape[key];
    const path = `${label}[${key}]`;
    if (rule === undefined) throw parameterUnknown(path);
    if (rule !== true && isParams(child)) allowNested(v, key, rule, path);
  }
}

export function paramSet(...names: string[]): ReadonlySet<string> {
  return new Set(names);
}

export const PAGINATION = ['limit', 'starting_after', 'ending_before'] as const;

export function str(p: Params, name: string, label = name): string | undefined {
  const v = p[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw parameterInvalid(label, `Invalid string: ${label} must be a string`);
  return v;
}

export function reqStr(p: Params, name: string, label = name): string {
  const v = str(p, name, label);
  if (v === undefined || v === '') throw parameterMissing(label);
  return v;
}

/** Empty string means "unset" in Stripe's form encoding. */
export function nullableStr(p: Params, name: string, label = name): string | null | undefined {
  const v = str(p, name, label);
  if (v === undefined) return undefined;
  return v === '' ? null : v;
}

export function int(p: Params, name: string, opts: { min?: number; max?: number; label?: string } = {}): number | undefined {
  const label = opts.label ?? name;
  const v = str(p, name, label);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw parameterInvalid(label, `Invalid integer: ${v}`, 'parameter_invalid_integer');
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw parameterInvalid(label, `Invalid integer: ${v}`, 'parameter_invalid_integer');
  if (opts.min !== undefined && n < opts.min) {
    throw parameterInvalid(label, `This value must be greater than or equal to ${opts.min}.`, 'parameter_invalid_integer');
  }
  if (opts.max !== undefined && n > opts.max) {
    throw parameterInvalid(label, `This value must be less than or equal to ${opts.max}.`, 'parameter_invalid_integer');
  }
  return n;
}

export function reqInt(p: Params, name: string, opts: { min?: number; max?: number; label?: string } = {}): number {
  const n = int(p, name, opts);
  if (n === undefined) throw parameterMissing(opts.label ?? name);
  return n;
}

export function bool(p: Params, name: string, label = name): boolean | undefined {
  const v = str(p, name, label);
  if (v === undefined || v === '') return undefined;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw invalidRequest(`Invalid boolean: ${v}`, { param: label, cacheable: false });
}

export function oneOf<T extends string>(p: Params, name: string, values: readonly T[], label = name): T | undefined {
  const v = str(p, name, label);
  if (v === undefined || v === '') return undefined;
  if (!(values as readonly string[]).includes(v)) {
    throw invalidRequest(`Invalid ${label}: must be one of ${values.join(', ')}`, { param: label, cacheable: false });
  }
  return v as T;
}

export function obj(p: Params, name: string, label = name): Params | undefined {
  const v = p[name];
  if (v === undefined || v === '') return undefined;
  if (!isParams(v)) throw invalidRequest(`Invalid object: ${label} must be a hash`, { param: label, cacheable: false });
  return v;
}

export function strArray(p: Params, name: string, label = name): string[] | undefined {
  const v = p[name];
  if (v === undefined) return undefined;
  if (v === '') return [];
  const list = Array.isArray(v) ? v : isParams(v) ? Object.values(v) : [v];
  return list.map((item, i) => {
    if (typeof item !== 'string') throw invalidRequest(`Invalid array: ${label}[${i}] must be a string`, { param: label, cacheable: false });
    return item;
  });
}

export function expandPaths(p: Params): string[] {
  return strArray(p, 'expand') ?? [];
}

/** Applies `metadata[key]=value` updates; an empty value unsets a key, `metadata=` clears all. */
export function applyMetadata(current: Record<string, string>, p: Params): Record<string, string> | undefined {
  const v = p.metadata;
  if (v === undefined) return undefined;
  if (v === '') return {};
  if (!isParams(v)) throw invalidRequest('Invalid object: metadata must be a hash', { param: 'metadata', cacheable: false });
  const next = { ...current };
  for (const [key, value] of Object.entries(v)) {
    if (typeof value !== 'string') throw invalidRequest(`Invalid value for metadata[${key}]: must be a string`, { param: `metadata[${key}]`, cacheable: false });
    if (key.length > 40) throw invalidRequest(`Metadata keys can have a maximum length of 40 characters.`, { param: `metadata[${key}]`, cacheable: false });
    if (value.length > 500) throw invalidRequest(`Metadata values can have a maximum length of 500 characters.`, { param: `metadata[${key}]`, cacheable: false });
    if (value === '') delete next[key];
    else next[key] = value;
  }
  if (Object.keys(next).length > 50) throw invalidRequest('You can have a maximum of 50 metadata keys.', { param: 'metadata', cacheable: false });
  return next;
}
