import type { Core } from '../core';
import { ApiError, invalidRequest, parameterMissing, resourceMissing } from '../errors';
import { allowOnly, applyMetadata, int, obj, oneOf, PAGINATION, paramSet, reqStr, str, type Params } from '../form';
import { fingerprintOf, newId } from '../ids';
import { newestFirst, paginate } from '../pagination';
import type { RouteDef } from '../router';
import { snapshot, previousAttributes } from '../snapshot';
import { cardForNumber, numberForTestToken, type TestCard } from '../testCards';
import type { CardDetails, PaymentMethod } from '../types';
import { parseBillingDetails } from './common';

export type PaymentMethodType = 'card' | 'card_present';

function details(card: TestCard, expMonth: number, expYear: number): CardDetails {
  return {
    brand: card.brand,
    country: card.country,
    exp_month: expMonth,
    exp_year: expYear,
    fingerprint: fingerprintOf(card.number),
    funding: card.funding,
    last4: card.number.slice(-4),
  };
}

function defaultExpiry(core: Core): { month: number; year: number } {
  return { month: 12, year: new Date(core.clock.nowMs()).getUTCFullYear() + 4 };
}

export function incorrectNumber(param: string): ApiError {
  return new ApiError(402, { type: 'card_error', code: 'incorrect_number', message: 'Your card number is incorrect.', param }, { cacheable: false });
}

/** Stores a PaymentMethod for a card number; the number itself is kept aside, never served. */
export function createCardPaymentMethod(
  core: Core,
  number: string,
  type: PaymentMethodType,
  opts: { expMonth?: number; expYear?: number; billing?: PaymentMethod['billing_details']; metadata?: Record<string, string>; param?: string } = {},
): PaymentMethod {
  const card = cardForNumber(number);
  if (!card) throw incorrectNumber(opts.param ?? 'number');
  const expiry = defaultExpiry(core);
  const d = details(card, opts.expMonth ?? expiry.month, opts.expYear ?? expiry.year);
  const pm: PaymentMethod = {
    id: newId('pm'),
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: opts.billing ?? {
      address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
      email: null,
      name: null,
      phone: null,
      tax_id: null,
    },
    created: core.now(),
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: opts.metadata ?? {},
    type,
  };
  if (type === 'card') {
    pm.card = {
      ...d,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
      display_brand: d.brand,
      generated_from: null,
      networks: { available: [d.brand], preferred: null },
      regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true },
      wallet: null,
    };
  } else {
    pm.card_present = {
      ...d,
      brand_product: null,
      cardholder_name: null,
      description: null,
      issuer: null,
      networks: { available: [d.brand], preferred: null },
      offline: null,
      preferred_locales: ['en'],
      read_method: 'contact_emv',
      wallet: { type: 'unknown' },
    };
  }
  core.state.paymentMethods.set(pm.id, pm);
  core.state.cardNumbers.set(pm.id, card.number);
  return pm;
}

export function getPaymentMethod(core: Core, id: string, param = 'id'): PaymentMethod {
  const pm = core.state.paymentMethods.get(id);
  if (!pm) throw resourceMissing('PaymentMethod', id, param);
  return pm;
}

/**
 * A `payment_method` parameter: an existing id, or a test token such as `pm_card_visa`, which
 * (as in Stripe) makes a fresh PaymentMethod each time. For card_present PaymentIntents a test
 * token becomes a card_present PaymentMethod, so tests can confirm without a reader.
 */
export function resolvePaymentMethod(core: Core, value: string, type: PaymentMethodType, param = 'payment_method'): PaymentMethod {
  const number = numberForTestToken(value);
  if (number !== undefined) return createCardPaymentMethod(core, number, type);
  return getPaymentMethod(core, value, param);
}

/** `payment_method_data[type]=card&payment_method_data[card][number]=…` (card numbers are fine here: test mode only). */
export function paymentMethodFromData(core: Core, data: Params, allowed: PaymentMethodType[]): PaymentMethod {
  const type = oneOf(data, 'type', ['card', 'card_present'] as const, 'payment_method_data[type]');
  if (!type) throw parameterMissing('payment_method_data[type]');
  if (!allowed.includes(type)) {
    throw invalidRequest(`The PaymentMethod provided (${type}) is not allowed for this PaymentIntent.`, {
      param: 'payment_method_data[type]',
      code: 'payment_intent_incompatible_payment_method',
      cacheable: false,
    });
  }
  const cardParams = obj(data, type, `payment_method_data[${type}]`) ?? {};
  const token = str(cardParams, 'token');
  const number = (token !== undefined ? numberForTestToken(token) : str(cardParams, 'number')) ?? '4242424242424242';
  return createCardPaymentMethod(core, number, type, {
    expMonth: int(cardParams, 'exp_month', { min: 1, max: 12 }),
    expYear: int(cardParams, 'exp_year'),
    billing: parseBillingDetails(data),
    param: `payment_method_data[${type}][number]`,
  });
}

const CREATE = paramSet('type', 'card', 'billing_details', 'metadata', 'allow_redisplay', 'customer', 'payment_method');
const UPDATE = paramSet('billing_details', 'card', 'metadata', 'allow_redisplay');
const LIST = paramSet('customer', 'type', 'allow_redisplay', ...PAGINATION);

function create(core: Core, p: Params): PaymentMethod {
  allowOnly(p, CREATE);
  const type = reqStr(p, 'type');
  if (type !== 'card') {
    throw invalidRequest(`The emulator can only create PaymentMethods of type card (got ${type}); card_present ones come from a reader.`, {
      param: 'type',
      cacheable: false,
    });
  }
  const card = obj(p, 'card');
  if (!card) throw parameterMissing('card');
  const token = str(card, 'token');
  const number = token !== undefined ? numberForTestToken(token) : str(card, 'number');
  if (number === undefined) throw parameterMissing(token !== undefined ? 'card[token]' : 'card[number]');
  const expMonth = int(card, 'exp_month', { min: 1, max: 12, label: 'card[exp_month]' });
  const expYear = int(card, 'exp_year', { label: 'card[exp_year]' });
  if (expYear !== undefined && expYear < new Date(core.clock.nowMs()).getUTCFullYear()) {
    throw new ApiError(402, { type: 'card_error', code: 'invalid_expiry_year', message: "Your card's expiration year is invalid.", param: 'exp_year' }, { cacheable: false });
  }
  const pm = createCardPaymentMethod(core, number, 'card', {
    expMonth,
    expYear,
    billing: parseBillingDetails(p),
    metadata: applyMetadata({}, p) ?? {},
    param: 'number',
  });
  const redisplay = oneOf(p, 'allow_redisplay', ['always', 'limited', 'unspecified'] as const);
  if (redisplay) pm.allow_redisplay = redisplay;
  return pm;
}

function update(core: Core, p: Params, [id]: string[]): PaymentMethod {
  allowOnly(p, UPDATE);
  const pm = getPaymentMethod(core, id as string);
  const before = snapshot(pm);
  if (p.billing_details !== undefined) pm.billing_details = parseBillingDetails(p, pm.billing_details);
  const metadata = applyMetadata(pm.metadata, p);
  if (metadata) pm.metadata = metadata;
  const card = obj(p, 'card');
  if (card && pm.card) {
    const m = int(card, 'exp_month', { min: 1, max: 12, label: 'card[exp_month]' });
    const y = int(card, 'exp_year', { label: 'card[exp_year]' });
    if (m !== undefined) pm.card.exp_month = m;
    if (y !== undefined) pm.card.exp_year = y;
  }
  const redisplay = oneOf(p, 'allow_redisplay', ['always', 'limited', 'unspecified'] as const);
  if (redisplay) pm.allow_redisplay = redisplay;
  core.events.record('payment_method.updated', pm, previousAttributes(before, pm));
  return pm;
}

export function attachPaymentMethod(core: Core, pm: PaymentMethod, customerId: string): PaymentMethod {
  if (pm.type !== 'card') {
    throw invalidRequest(`PaymentMethods of type ${pm.type} cannot be attached to a customer.`, { param: 'payment_method' });
  }
  if (pm.customer !== null && pm.customer !== customerId) {
    throw invalidRequest('The payment method you provided has already been attached to a customer.', { param: 'payment_method' });
  }
  if (pm.customer === customerId) return pm;
  pm.customer = customerId;
  core.events.record('payment_method.attached', pm);
  return pm;
}

function attach(core: Core, p: Params, [id]: string[]): PaymentMethod {
  allowOnly(p, paramSet('customer', 'customer_account'));
  const customerId = reqStr(p, 'customer');
  if (!core.state.customers.has(customerId)) throw resourceMissing('customer', customerId, 'customer');
  const pm = resolvePaymentMethod(core, id as string, 'card', 'payment_method');
  return attachPaymentMethod(core, pm, customerId);
}

function detach(core: Core, p: Params, [id]: string[]): PaymentMethod {
  allowOnly(p, paramSet());
  const pm = getPaymentMethod(core, id as string);
  if (pm.customer === null) {
    throw invalidRequest('The payment method you provided is not attached to a customer so detachment is impossible.', { param: 'payment_method' });
  }
  const customer = core.state.customers.get(pm.customer);
  if (customer && customer.invoice_settings.default_payment_method === pm.id) customer.invoice_settings.default_payment_method = null;
  pm.customer = null;
  core.events.record('payment_method.detached', pm, { customer: customer?.id ?? null });
  return pm;
}

function list(core: Core, p: Params, customerId?: string): ReturnType<typeof paginate<PaymentMethod>> {
  allowOnly(p, LIST);
  const customer = customerId ?? str(p, 'customer');
  if (customer !== undefined && !core.state.customers.has(customer)) throw resourceMissing('customer', customer, 'customer');
  const type = str(p, 'type');
  const url = customerId ? `/v1/customers/${customerId}/payment_methods` : '/v1/payment_methods';
  return paginate(
    newestFirst(core.state.paymentMethods.values(), (pm) => (customer === undefined || pm.customer === customer) && (type === undefined || pm.type === type)),
    p,
    url,
  );
}

export const paymentMethodRoutes: RouteDef[] = [
  ['POST', '/v1/payment_methods', create],
  ['GET', '/v1/payment_methods', (core, p) => list(core, p)],
  ['GET', '/v1/payment_methods/:id', (core, p, [id]) => {
    allowOnly(p, paramSet());
    // Retrieving a test token answers with a fresh PaymentMethod, as Stripe does.
    return resolvePaymentMethod(core, id as string, 'card', 'id');
  }],
  ['POST', '/v1/payment_methods/:id', update],
  ['POST', '/v1/payment_methods/:id/attach', attach],
  ['POST', '/v1/payment_methods/:id/detach', detach],
  ['GET', '/v1/customers/:id/payment_methods', (core, p, [id]) => list(core, p, id)],
];
