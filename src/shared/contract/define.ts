import type { z } from 'zod';

/**
 * Who may call a method. `public` needs no sign-in; `clerk` is any signed-in staff; `manager` is
 * managers and admins; `admin` is admins only. Roles are ordered: each can do what the ones
 * before it can.
 */
export const ROLES = ['clerk', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export type Access = 'public' | Role;

export type MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> = {
  readonly input: I;
  readonly output: O;
  readonly access: Access;
  /** One line saying what the method does, for the method table and audits. */
  readonly summary: string;
};

export function method<I extends z.ZodType, O extends z.ZodType>(def: MethodDef<I, O>): MethodDef<I, O> {
  return def;
}

/** True when `role` satisfies `access`. A manager can do everything a clerk can. */
export function roleAllows(access: Access, role: Role | null): boolean {
  if (access === 'public') return true;
  if (role === null) return false;
  return roleRank(role) >= roleRank(access);
}

/** clerk 0, manager 1, admin 2: a manager cannot raise anyone above their own rank. */
export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

/** Keys that name prototype properties: a parser or a spread may treat them as more than data. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The dotted path of the first own key anywhere in `value` that names a prototype property
 * ("card.classes.__proto__"), or null. Refused for every method before its schema runs.
 * Depth and breadth are bounded (a request body is at most 1 MiB anyway).
 */
export function findPrototypeKey(value: unknown, maxDepth = 64): string | null {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop() as { v: unknown; path: string; depth: number };
    if (v === null || typeof v !== 'object') continue;
    if (depth > maxDepth) return path || '(input)';
    for (const key of Object.keys(v)) {
      const here = path ? `${path}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) return here;
      stack.push({ v: (v as Record<string, unknown>)[key], path: here, depth: depth + 1 });
    }
  }
  return null;
}
