import { invalidRequest } from './errors';
import { int, isParams, str, type Params } from './form';
import type { ListObject } from './types';

type Comparison = { gt?: number; gte?: number; lt?: number; lte?: number; eq?: number };

function parseTimestamp(v: string, param: string): number {
  if (!/^\d+$/.test(v)) throw invalidRequest(`Invalid integer: ${v}`, { param, code: 'parameter_invalid_integer', cacheable: false });
  return Number(v);
}

/** `created=123` or `created[gte]=…&created[lt]=…`, as Stripe's list filters. */
export function rangeFilter(p: Params, name: string): ((value: number) => boolean) | null {
  const v = p[name];
  if (v === undefined || v === '') return null;
  const c: Comparison = {};
  if (typeof v === 'string') c.eq = parseTimestamp(v, name);
  else if (isParams(v)) {
    for (const [op, raw] of Object.entries(v)) {
      if (op !== 'gt' && op !== 'gte' && op !== 'lt' && op !== 'lte') {
        throw invalidRequest(`Received unknown parameter: ${name}[${op}]`, { param: `${name}[${op}]`, code: 'parameter_unknown', cacheable: false });
      }
      if (typeof raw !== 'string') throw invalidRequest(`Invalid integer: ${name}[${op}]`, { param: `${name}[${op}]`, cacheable: false });
      c[op] = parseTimestamp(raw, `${name}[${op}]`);
    }
  } else throw invalidRequest(`Invalid ${name}`, { param: name, cacheable: false });
  return (x) =>
    (c.eq === undefined || x === c.eq) &&
    (c.gt === undefined || x > c.gt) &&
    (c.gte === undefined || x >= c.gte) &&
    (c.lt === undefined || x < c.lt) &&
    (c.lte === undefined || x <= c.lte);
}

/**
 * Stripe cursor pagination over items already filtered and ordered newest first.
 * `starting_after` pages towards older items, `ending_before` towards newer ones.
 */
export function paginate<T extends { id: string }>(newestFirst: readonly T[], p: Params, url: string): ListObject<T> {
  const limit = int(p, 'limit', { min: 1, max: 100 }) ?? 10;
  const startingAfter = str(p, 'starting_after');
  const endingBefore = str(p, 'ending_before');
  if (startingAfter && endingBefore) {
    throw invalidRequest('You may only specify one of these parameters: ending_before, starting_after.', { cacheable: false });
  }
  const indexOf = (id: string, param: string): number => {
    const i = newestFirst.findIndex((item) => item.id === id);
    if (i === -1) throw invalidRequest(`No such object: '${id}'`, { param, code: 'resource_missing', cacheable: false });
    return i;
  };
  if (endingBefore) {
    const end = indexOf(endingBefore, 'ending_before');
    const start = Math.max(0, end - limit);
    return { object: 'list', data: newestFirst.slice(start, end), has_more: start > 0, url };
  }
  const start = startingAfter ? indexOf(startingAfter, 'starting_after') + 1 : 0;
  const data = newestFirst.slice(start, start + limit);
  return { object: 'list', data, has_more: start + limit < newestFirst.length, url };
}

/** Newest first from a Map kept in creation order, keeping items `keep` accepts. */
export function newestFirst<T>(items: Iterable<T>, keep: (item: T) => boolean): T[] {
  const out: T[] = [];
  for (const item of items) if (keep(item)) out.push(item);
  return out.reverse();
}
