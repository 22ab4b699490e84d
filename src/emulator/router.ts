import type { Core } from './core';
import type { Params } from './form';

/** A resource handler: runs synchronously, returns the object to send (before `expand`). */
export type Handler = (core: Core, params: Params, ids: string[]) => unknown;
export type RouteDef = [method: 'GET' | 'POST' | 'DELETE', pattern: string, handler: Handler];

type Route = { segments: string[]; handler: Handler };

/** Matches `/v1/payment_intents/:id/capture`-style patterns; `:x` segments become `ids`. */
export class Router {
  private readonly table = new Map<string, Route[]>();

  add(defs: readonly RouteDef[]): void {
    for (const [method, pattern, handler] of defs) {
      const segments = pattern.split('/').filter(Boolean);
      const key = `${method} ${segments.length}`;
      const list = this.table.get(key) ?? [];
      list.push({ segments, handler });
      this.table.set(key, list);
    }
  }

  match(method: string, path: string): { handler: Handler; ids: string[] } | null {
    const parts = path.split('/').filter(Boolean);
    const candidates = this.table.get(`${method} ${parts.length}`);
    if (!candidates) return null;
    outer: for (const route of candidates) {
      const ids: string[] = [];
      for (let i = 0; i < parts.length; i++) {
        const seg = route.segments[i] as string;
        const part = parts[i] as string;
        if (seg.charCodeAt(0) === 58 /* : */) {
          let id: string;
          try {
            id = decodeURIComponent(part);
          } catch {
            continue outer;
          }
          ids.push(id);
        } else if (seg !== part) continue outer;
      }
      return { handler: route.handler, ids };
    }
    return null;
  }

  /** True when the path exists under another method (Stripe still answers 404 Unrecognized). */
  has(path: string): boolean {
    return ['GET', 'POST', 'DELETE'].some((m) => this.match(m, path) !== null);
  }
}
