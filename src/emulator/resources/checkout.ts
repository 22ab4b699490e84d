import type { Core } from '../core';
import { invalidRequest, parameterMissing, resourceMissing } from '../errors';
import { allowOnly, applyMetadata, int, isParams, nullableStr, obj, oneOf, PAGINATION, paramSet, reqInt, str, strArray, type Params } from '../form';
import { newCheckoutSessionId, newId } from '../ids';
import { newestFirst, paginate, rangeFilter } from '../pagination';
import type { RouteDef } from '../router';
import { previousAttributes, snapshot } from '../snapshot';
import type { CheckoutSession, LineItem, PaymentIntent } from '../types';
import { MAX_AMOUNT, parseCurrency } from './common';
import { getCustomer } from './customers';
import { newPaymentIntent } from './paymentIntents';
import { createCardPaymentMethod, resolvePaymentMethod } from './paymentMethods';
import { attemptPayment } from './paymentAttempt';
import { cancelIntent } from './paymentIntentLifecycle';

const CREATE = paramSet(
  'adaptive_pricing', 'after_expiration', 'allow_promotion_codes', 'allowed_payment_method_types', 'automatic_tax', 'billing_address_collection',
  'branding_settings', 'cancel_url', 'client_reference_id', 'consent_collection', 'currency', 'custom_fields', 'custom_text', 'customer',
  'customer_account', 'customer_creation', 'customer_email', 'customer_update', 'discounts', 'excluded_payment_method_types', 'expires_at',
  'integration_identifier', 'invoice_creation', 'line_items', 'locale', 'managed_payments', 'metadata', 'mode', 'name_collection',
  'optional_items', 'origin_context', 'payment_intent_data', 'payment_method_collection', 'payment_method_configuration',
  'payment_method_data', 'payment_method_options', 'payment_method_types', 'permissions', 'phone_number_collection',
  'redirect_on_completion', 'return_url', 'saved_payment_method_options', 'setup_intent_data', 'shipping_address_collection',
  'shipping_options', 'submit_type', 'subscription_data', 'success_url', 'tax_id_collection', 'ui_mode', 'wallet_options',
  // Emulator extension: a single amount instead of line_items.
  'amount',
);
const LIST = paramSet('created', 'customer', 'customer_account', 'customer_details', 'payment_intent', 'payment_link', 'status', 'subscription', ...PAGINATION);
const COMPLETE = paramSet('payment_method', 'card', 'customer_email', 'name');

const DAY = 24 * 3600;
const MIN_EXPIRY = 30 * 60;

export function getSession(core: Core, id: string): CheckoutSession {
  const s = core.state.checkoutSessions.get(id);
  if (!s) throw resourceMissing('checkout.session', id);
  return s;
}


function parseLineItems(core: Core, p: Params): { items: LineItem[]; currency: string } {
  const raw = p.line_items;
  const amount = int(p, 'amount', { min: 1, max: MAX_AMOUNT });
  if (raw === undefined) {
    if (amount === undefined) throw parameterMissing('line_items');
    const currency = parseCurrency(p);
    if (!currency) throw parameterMissing('currency');
    return { items: [lineItem(core, 'Payment', currency, amount, 1)], currency };
  }
  if (!Array.isArray(raw) || raw.length === 0) throw invalidRequest('line_items must be a non-empty array.', { param: 'line_items', cacheable: false });
  let currency: string | undefined;
  const items = raw.map((entry, i) => {
    if (!isParams(entry)) throw invalidRequest(`Invalid line_items[${i}]`, { param: `line_items[${i}]`, cacheable: false });
    const price = str(entry, 'price');
    if (price !== undefined) throw resourceMissing('price', price, `line_items[${i}][price]`);
    const data = obj(entry, 'price_data', `line_items[${i}][price_data]`);
    if (!data) throw parameterMissing(`line_items[${i}][price_data]`);
    const c = parseCurrency(data);
    if (!c) throw parameterMissing(`line_items[${i}][price_data][currency]`);
    if (currency !== undefined && c !== currency) throw invalidRequest('All line items must use the same currency.', { param: `line_items[${i}][price_data][currency]`, cacheable: false });
    currency = c;
    const unit = reqInt(data, 'unit_amount', { min: 0, max: MAX_AMOUNT, label: `line_items[${i}][price_data][unit_amount]` });
    const product = obj(data, 'product_data', `line_items[${i}][price_data][product_data]`);
    const name = (product && str(product, 'name')) || 'Item';
    const quantity = reqInt(entry, 'quantity', { min: 1, max: 999_999, label: `line_items[${i}][quantity]` });
    return lineItem(core, name, c, unit, quantity);
  });
  return { items, currency: currency as string };
}

function lineItem(core: Core, name: string, currency: string, unit: number, quantity: number): LineItem {
  const total = unit * quantity;
  return {
    id: newId('li'),
    object: 'item',
    adjustable_quantity: null,
    amount_discount: 0,
    amount_subtotal: total,
    amount_tax: 0,
    amount_total: total,
    currency,
    description: name,
    metadata: {},
    price: {
      id: newId('price'),
      object: 'price',
      active: false,
      billing_scheme: 'per_unit',
      created: core.now(),
      currency,
      custom_unit_amount: null,
      livemode: false,
      lookup_key: null,
      metadata: {},
      nickname: null,
      product: newId('prod'),
      recurring: null,
      tax_behavior: 'unspecified',
      tiers_mode: null,
      transform_quantity: null,
      type: 'one_time',
      unit_amount: unit,
      unit_amount_decimal: String(unit),
    },
    quantity,
  };
}

function create(core: Core, p: Params): CheckoutSession {
  allowOnly(p, CREATE);
  const mode = str(p, 'mode');
  if (mode === undefined) throw parameterMissing('mode');
  if (mode !== 'payment') throw invalidRequest(`The emulator supports Checkout Sessions in mode payment only (got ${mode}).`, { param: 'mode', cacheable: false });
  const { items, currency } = parseLineItems(core, p);
  const total = items.reduce((sum, li) => sum + li.amount_total, 0);
  if (total > MAX_AMOUNT) throw invalidRequest('The total amount is too large.', { param: 'line_items', code: 'amount_too_large', cacheable: false });
  const now = core.now();
  const expiresAt = int(p, 'expires_at') ?? now + DAY;
  if (expiresAt < now + MIN_EXPIRY || expiresAt > now + DAY) {
    throw invalidRequest('The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.', { param: 'expires_at', cacheable: false });
  }
  const customerId = str(p, 'customer');
  if (customerId) getCustomer(core, customerId, 'customer');
  const piData = obj(p, 'payment_intent_data') ?? {};
  const id = newCheckoutSessionId();
  // stripe-node 23 sends allowed_payment_method_types; payment_method_types is the older name.
  const allowed = strArray(p, 'allowed_payment_method_types') ?? strArray(p, 'payment_method_types');
  if (allowed && allowed.some((t) => t !== 'card')) {
    throw invalidRequest('The emulator supports card payments only in Checkout.', { param: 'allowed_payment_method_types', cacheable: false });
  }
  const types = allowed ?? ['card'];
  const session: CheckoutSession = {
    id,
    object: 'checkout.session',
    adaptive_pricing: { enabled: false },
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: allowed ?? null,
    amount_subtotal: total,
    amount_total: total,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: str(p, 'cancel_url') ?? null,
    client_reference_id: str(p, 'client_reference_id') ?? null,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: now,
    currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: customerId ?? null,
    customer_account: null,
    customer_creation: customerId ? null : 'if_required',
    customer_details: null,
    customer_email: str(p, 'customer_email') ?? null,
    discounts: [],
    expires_at: expiresAt,
    integration_identifier: null,
    invoice: null,
    invoice_creation: {
      enabled: false,
      invoice_data: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: null, metadata: {}, rendering_options: null },
    },
    livemode: false,
    locale: null,
    managed_payments: null,
    metadata: applyMetadata({}, p) ?? {},
    mode: 'payment',
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: 'if_required',
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: types,
    payment_status: 'unpaid',
    permissions: null,
    phone_number_collection: { enabled: false },
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: 'open',
    submit_type: null,
    subscription: null,
    success_url: str(p, 'success_url') ?? null,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted',
    url: `${core.baseUrl}/checkout/${id}`,
    wallet_options: null,
  };
  core.state.sessionIntentData.set(id, {
    capture_method: oneOf(piData, 'capture_method', ['automatic', 'manual'] as const, 'payment_intent_data[capture_method]') ?? 'automatic',
    metadata: applyMetadata({}, piData) ?? {},
    description: nullableStr(piData, 'description', 'payment_intent_data[description]') ?? null,
    receipt_email: nullableStr(piData, 'receipt_email', 'payment_intent_data[receipt_email]') ?? null,
  });
  core.state.checkoutSessions.set(id, session);
  core.state.lineItems.set(id, items);
  core.state.openSessions.set(id, expiresAt);
  core.noteDeadline(expiresAt);
  return session;
}

function sessionIntent(core: Core, session: CheckoutSession): PaymentIntent {
  if (session.payment_intent) {
    const existing = core.state.paymentIntents.get(session.payment_intent);
    if (existing) return existing;
  }
  const data = core.state.sessionIntentData.get(session.id) ?? { capture_method: 'automatic', metadata: {}, description: null, receipt_email: null };
  const pi = newPaymentIntent(core, {
    amount: session.amount_total,
    capture_method: data.capture_method,
    currency: session.currency,
    customer: session.customer,
    description: data.description,
    metadata: data.metadata,
    payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: ['card'],
    receipt_email: data.receipt_email,
  });
  const id = pi.id;
  core.state.paymentIntents.set(id, pi);
  session.payment_intent = id;
  core.events.record('payment_intent.created', pi);
  return pi;
}

/**
 * The customer pays on the hosted page (or the test helper stands in for them). A decline
 * leaves the session open with its PaymentIntent in requires_payment_method and answers 402.
 */
export function completeSession(core: Core, session: CheckoutSession, input: { paymentMethod?: string; cardNumber?: string; email?: string; name?: string }): CheckoutSession {
  if (session.status !== 'open') {
    throw invalidRequest(`This Checkout Session is ${session.status}; only an open session can be completed.`, { param: 'session' });
  }
  const pi = sessionIntent(core, session);
  const pm =
    input.cardNumber !== undefined
      ? createCardPaymentMethod(core, input.cardNumber, 'card', { param: 'card[number]' })
      : resolvePaymentMethod(core, input.paymentMethod ?? 'pm_card_visa', 'card');
  if (input.name || input.email) {
    pm.billing_details.name = input.name ?? pm.billing_details.name;
    pm.billing_details.email = input.email ?? pm.billing_details.email;
  }
  const error = attemptPayment(core, pi, pm, null, { errorOnRequiresAction: true });
  if (error) throw error;
  const before = snapshot(session);
  session.status = 'complete';
  session.payment_status = pi.status === 'succeeded' ? 'paid' : 'unpaid';
  session.url = null;
  session.customer_details = {
    address: pm.billing_details.address,
    business_name: null,
    email: input.email ?? session.customer_email ?? pm.billing_details.email,
    individual_name: null,
    name: input.name ?? pm.billing_details.name,
    phone: null,
    tax_exempt: 'none',
    tax_ids: [],
  };
  core.state.openSessions.delete(session.id);
  core.events.record('checkout.session.completed', session, previousAttributes(before, session));
  return session;
}

export function expireSession(core: Core, session: CheckoutSession): CheckoutSession {
  if (session.status !== 'open') {
    throw invalidRequest(`Only Checkout Sessions with a status of open can be expired; this one is ${session.status}.`, { param: 'session' });
  }
  session.status = 'expired';
  session.url = null;
  core.state.openSessions.delete(session.id);
  const pi = session.payment_intent ? core.state.paymentIntents.get(session.payment_intent) : undefined;
  if (pi && pi.status === 'requires_payment_method') cancelIntent(core, pi, 'abandoned');
  core.events.record('checkout.session.expired', session);
  return session;
}

function list(core: Core, p: Params): unknown {
  allowOnly(p, LIST);
  const pi = str(p, 'payment_intent');
  const customer = str(p, 'customer');
  const status = str(p, 'status');
  const created = rangeFilter(p, 'created');
  return paginate(
    newestFirst(
      core.state.checkoutSessions.values(),
      (s) =>
        (pi === undefined || s.payment_intent === pi) &&
        (customer === undefined || s.customer === customer) &&
        (status === undefined || s.status === status) &&
        (created === null || created(s.created)),
    ),
    p,
    '/v1/checkout/sessions',
  );
}

export function lineItemsList(core: Core, sessionId: string, p: Params): unknown {
  return paginate([...(core.state.lineItems.get(sessionId) ?? [])], p, `/v1/checkout/sessions/${sessionId}/line_items`);
}

export function completeInputFrom(p: Params): { paymentMethod?: string; cardNumber?: string; email?: string; name?: string } {
  const card = obj(p, 'card');
  return {
    paymentMethod: str(p, 'payment_method'),
    cardNumber: card ? str(card, 'number', 'card[number]') : undefined,
    email: str(p, 'customer_email'),
    name: str(p, 'name'),
  };
}

export const checkoutRoutes: RouteDef[] = [
  ['POST', '/v1/checkout/sessions', create],
  ['GET', '/v1/checkout/sessions', list],
  ['GET', '/v1/checkout/sessions/:id', (core, p, [id]) => {
    allowOnly(p, paramSet());
    return getSession(core, id as string);
  }],
  ['POST', '/v1/checkout/sessions/:id', (core, p, [id]) => {
    allowOnly(p, paramSet('metadata'));
    const s = getSession(core, id as string);
    const metadata = applyMetadata(s.metadata, p);
    if (metadata) s.metadata = metadata;
    return s;
  }],
  ['GET', '/v1/checkout/sessions/:id/line_items', (core, p, [id]) => {
    allowOnly(p, paramSet(...PAGINATION));
    getSession(core, id as string);
    return lineItemsList(core, id as string, p);
  }],
  ['POST', '/v1/checkout/sessions/:id/expire', (core, p, [id]) => {
    allowOnly(p, paramSet());
    return expireSession(core, getSession(core, id as string));
  }],
  // Emulator test helper (Stripe has none): pay the session as the customer would.
  ['POST', '/v1/test_helpers/checkout/sessions/:id/complete', (core, p, [id]) => {
    allowOnly(p, COMPLETE);
    return completeSession(core, getSession(core, id as string), completeInputFrom(p));
  }],
];
