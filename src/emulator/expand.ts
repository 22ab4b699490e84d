import type { Core } from './core';
import { invalidRequest } from './errors';
import { lineItemsList } from './resources/checkout';
import { refreshBalanceTransaction } from './resources/balanceTransactions';

const MAX_DEPTH = 4;

type Tree = Map<string, Tree>;

function cannotExpand(path: string): Error {
  return invalidRequest(`This property cannot be expanded (${path}).`, { param: 'expand', cacheable: false });
}

/** Finds any stored object by its id prefix; null when the id is unknown. */
export function lookup(core: Core, id: string): unknown {
  const s = core.state;
  const prefix = id.slice(0, id.indexOf('_') + 1);
  switch (prefix) {
    case 'pi_':
      return s.paymentIntents.get(id) ?? null;
    case 'ch_':
    case 'py_':
      return s.charges.get(id) ?? null;
    case 're_':
      return s.refunds.get(id) ?? null;
    case 'txn_': {
      const txn = s.balanceTransactions.get(id);
      return txn ? refreshBalanceTransaction(core, txn) : null;
    }
    case 'cus_':
      if (s.deletedCustomers.has(id)) return { id, object: 'customer', deleted: true };
      return s.customers.get(id) ?? null;
    case 'pm_':
      return s.paymentMethods.get(id) ?? null;
    case 'cs_':
      return s.checkoutSessions.get(id) ?? null;
    case 'tml_':
      return s.locations.get(id) ?? null;
    case 'tmr_':
      return s.readers.get(id) ?? null;
    default:
      return null;
  }
}

function buildTree(paths: string[]): Tree {
  const root: Tree = new Map();
  for (const path of paths) {
    const parts = path.split('.');
    if (parts.length > MAX_DEPTH) throw invalidRequest(`You cannot expand more than ${MAX_DEPTH} levels of a property (${path}).`, { param: 'expand', cacheable: false });
    let node = root;
    for (const part of parts) {
      let next = node.get(part);
      if (!next) {
        next = new Map();
        node.set(part, next);
      }
      node = next;
    }
  }
  return root;
}

function expandNode(core: Core, value: unknown, tree: Tree, path: string): unknown {
  if (Array.isArray(value)) return value.map((item) => expandNode(core, item, tree, path));
  if (typeof value !== 'object' || value === null) return value;
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = { ...source };
  for (const [key, sub] of tree) {
    const here = path ? `${path}.${key}` : key;
    let field = source[key];
    if (key === 'line_items' && source.object === 'checkout.session' && field === undefined) {
      field = lineItemsList(core, source.id as string, {});
    } else if (!(key in source)) throw cannotExpand(here);
    if (typeof field === 'string') {
      const found = lookup(core, field);
      if (found === null) throw cannotExpand(here);
      field = found;
    }
    copy[key] = sub.size > 0 ? expandNode(core, field, sub, here) : field;
  }
  return copy;
}

/** Applies `expand[]`, returning copies so stored objects keep their ids. */
export function applyExpand(core: Core, value: unknown, paths: string[]): unknown {
  if (paths.length === 0) return value;
  return expandNode(core, value, buildTree(paths), '');
}
