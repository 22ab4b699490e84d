import type { Core } from '../core';
import { invalidRequest, resourceMissing } from '../errors';
import { allowOnly, applyMetadata, nullableStr, obj, oneOf, PAGINATION, paramSet, str, strArray, type Params } from '../form';
import { newId, randomToken } from '../ids';
import { newestFirst, paginate, rangeFilter } from '../pagination';
import type { RouteDef } from '../router';
import { previousAttributes, snapshot } from '../snapshot';
import type { Customer } from '../types';
import { parseAddress } from './common';
import { attachPaymentMethod, resolvePaymentMethod } from './paymentMethods';

const CREATE = paramSet(
  'address', 'balance', 'description', 'email', 'invoice_prefix', 'invoice_settings', 'metadata', 'name',
  'next_invoice_sequence', 'payment_method', 'phone', 'preferred_locales', 'shipping', 'tax_exempt', 'validate',
  'business_name', 'individual_name', 'cash_balance', 'source', 'tax', 'tax_id_data', 'test_clock',
);
const UPDATE = paramSet(
  'address', 'balance', 'default_source', 'description', 'email', 'invoice_prefix', 'invoice_settings', 'metadata', 'name',
  'next_invoice_sequence', 'phone', 'preferred_locales', 'shipping', 'tax_exempt', 'validate', 'business_name',
  'individual_name', 'cash_balance', 'source', 'tax',
);
const LIST = paramSet('created', 'email', 'test_clock', ...PAGINATION);

export function getCustomer(core: Core, id: string, param = 'id'): Customer {
  const c = core.state.customers.get(id);
  if (!c) throw resourceMissing('customer', id, param);
  return c;
}

function applyFields(core: Core, c: Customer, p: Params): void {
  for (const key of ['description', 'email', 'name', 'phone'] as const) {
    const v = nullableStr(p, key);
    if (v !== undefined) c[key] = v;
  }
  const address = parseAddress(p, 'address', c.address);
  if (address !== undefined) c.address = address;
  if (p.shipping !== undefined) c.shipping = p.shipping === '' ? null : p.shipping;
  const metadata = applyMetadata(c.metadata, p);
  if (metadata) c.metadata = metadata;
  const locales = strArray(p, 'preferred_locales');
  if (locales) c.preferred_locales = locales;
  const taxExempt = oneOf(p, 'tax_exempt', ['none', 'exempt', 'reverse'] as const);
  if (taxExempt) c.tax_exempt = taxExempt;
  const prefix = str(p, 'invoice_prefix');
  if (prefix) c.invoice_prefix = prefix;
  const settings = obj(p, 'invoice_settings');
  if (settings) {
    const pmId = nullableStr(settings, 'default_payment_method', 'invoice_settings[default_payment_method]');
    if (pmId === null) c.invoice_settings.default_payment_method = null;
    else if (pmId !== undefined) {
      const pm = core.state.paymentMethods.get(pmId);
      if (!pm || pm.customer !== c.id) {
        throw invalidRequest(`No such PaymentMethod: '${pmId}'; it must be attached to this customer first.`, {
          param: 'invoice_settings[default_payment_method]',
          code: 'resource_missing',
        });
      }
      c.invoice_settings.default_payment_method = pmId;
    }
  }
}

function create(core: Core, p: Params): Customer {
  allowOnly(p, CREATE);
  const c: Customer = {
    id: newId('cus'),
    object: 'customer',
    address: null,
    balance: 0,
    created: core.now(),
    currency: null,
    customer_account: null,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: null,
    invoice_prefix: randomToken(8).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: {},
    name: null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
  const pmId = str(p, 'payment_method');
  // Attach before reading invoice_settings so the new card may become the default.
  core.state.customers.set(c.id, c);
  try {
    if (pmId) attachPaymentMethod(core, resolvePaymentMethod(core, pmId, 'card'), c.id);
    applyFields(core, c, p);
  } catch (err) {
    core.state.customers.delete(c.id);
    throw err;
  }
  core.events.record('customer.created', c);
  return c;
}

function retrieve(core: Core, p: Params, [id]: string[]): unknown {
  allowOnly(p, paramSet());
  if (core.state.deletedCustomers.has(id as string)) return { id, object: 'customer', deleted: true };
  return getCustomer(core, id as string);
}

function update(core: Core, p: Params, [id]: string[]): Customer {
  allowOnly(p, UPDATE);
  const c = getCustomer(core, id as string);
  const before = snapshot(c);
  applyFields(core, c, p);
  const prev = previousAttributes(before, c);
  if (Object.keys(prev).length > 0) core.events.record('customer.updated', c, prev);
  return c;
}

function del(core: Core, p: Params, [id]: string[]): unknown {
  allowOnly(p, paramSet());
  const c = getCustomer(core, id as string);
  core.state.customers.delete(c.id);
  core.state.deletedCustomers.add(c.id);
  for (const pm of core.state.paymentMethods.values()) if (pm.customer === c.id) pm.customer = null;
  core.events.record('customer.deleted', c);
  return { id: c.id, object: 'customer', deleted: true };
}

function list(core: Core, p: Params): unknown {
  allowOnly(p, LIST);
  const email = str(p, 'email');
  const created = rangeFilter(p, 'created');
  return paginate(
    newestFirst(core.state.customers.values(), (c) => (email === undefined || c.email === email) && (created === null || created(c.created))),
    p,
    '/v1/customers',
  );
}

export const customerRoutes: RouteDef[] = [
  ['POST', '/v1/customers', create],
  ['GET', '/v1/customers', list],
  ['GET', '/v1/customers/:id', retrieve],
  ['POST', '/v1/customers/:id', update],
  ['DELETE', '/v1/customers/:id', del],
];
