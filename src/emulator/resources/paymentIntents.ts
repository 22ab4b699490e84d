import type { Core } from '../core';
import { invalidRequest, parameterInvalid, unexpectedState } from '../errors';
import {
  allowOnly,
  allowNested,
  applyMetadata,
  bool,
  int,
  nullableStr,
  obj,
  oneOf,
  PAGINATION,
  paramSet,
  reqInt,
  str,
  strArray,
  type Params,
  type ParamShape,
} from '../form';
import { newClientSecret, newId } from '../ids';
import { newestFirst, paginate, rangeFilter } from '../pagination';
import type { RouteDef } from '../router';
import { snapshot } from '../snapshot';
import type { PaymentIntent, PaymentIntentStatus, PaymentMethod } from '../types';
import { getCharge } from './charges';
import { MAX_AMOUNT, MIN_AMOUNT, parseCurrency } from './common';
import { getCustomer } from './customers';
import { attemptPayment, getPaymentIntent, missingPaymentMethod } from './paymentAttempt';
import { authenticate, cancelIntent, capture, CANCELLATION_REASONS, captureRoute, incrementRoute } from './paymentIntentLifecycle';
import { paymentMethodFromData, resolvePaymentMethod, type PaymentMethodType } from './paymentMethods';

const SHARED = [
  'amount', 'currency', 'allowed_payment_method_types', 'amount_details', 'application_fee_amount', 'automatic_payment_methods',
  'capture_method', 'customer', 'customer_account', 'description', 'excluded_payment_method_types', 'hooks', 'metadata',
  'payment_details', 'payment_method', 'payment_method_configuration', 'payment_method_data', 'payment_method_options',
  'payment_method_types', 'receipt_email', 'setup_future_usage', 'shipping', 'statement_descriptor',
  'statement_descriptor_suffix', 'transfer_data', 'transfer_group',
];
const CONFIRM_ONLY = [
  'confirmation_token', 'error_on_requires_action', 'mandate', 'mandate_data', 'off_session', 'radar_options', 'return_url', 'use_stripe_sdk',
];
const CREATE = paramSet(...SHARED, ...CONFIRM_ONLY, 'confirm', 'confirmation_method', 'on_behalf_of');
const UPDATE = paramSet(...SHARED);
const CONFIRM = paramSet(
  ...CONFIRM_ONLY, 'allowed_payment_method_types', 'payment_method_types', 'amount_details', 'amount_to_confirm', 'capture_method', 'excluded_payment_method_types',
  'hooks', 'payment_details', 'payment_method', 'payment_method_data', 'payment_method_options', 'receipt_email', 'setup_future_usage', 'shipping',
);
const LIST = paramSet('created', 'customer', 'customer_account', ...PAGINATION);

const SUPPORTED_TYPES = ['card', 'card_present'];
const CONFIRMABLE: PaymentIntentStatus[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
const UPDATABLE = CONFIRMABLE;



function parseAmount(p: Params, required: boolean): number | undefined {
  const amount = required ? reqInt(p, 'amount') : int(p, 'amount');
  if (amount === undefined) return undefined;
  if (amount < MIN_AMOUNT) {
    throw invalidRequest(`Amount must be at least ${MIN_AMOUNT} minor units.`, { param: 'amount', code: 'amount_too_small', cacheable: false });
  }
  if (amount > MAX_AMOUNT) {
    throw invalidRequest(`Amount must be no more than ${MAX_AMOUNT} minor units.`, { param: 'amount', code: 'amount_too_large', cacheable: false });
  }
  return amount;
}

/**
 * stripe-node 23 (API 2026-10-28) sends `allowed_payment_method_types`; older versions sent
 * `payment_method_types`. Both are accepted; the response carries both fields, as Stripe's does.
 */
function parseTypes(p: Params): string[] | undefined {
  const name = p.allowed_payment_method_types !== undefined ? 'allowed_payment_method_types' : 'payment_method_types';
  const types = strArray(p, name);
  if (types === undefined) return undefined;
  if (types.length === 0) throw parameterInvalid(name, `${name} must not be empty.`);
  for (const t of types) {
    if (!SUPPORTED_TYPES.includes(t)) {
      throw invalidRequest(`The payment method type "${t}" is invalid (the emulator supports card and card_present).`, {
        param: name,
        code: 'payment_intent_invalid_parameter',
        cacheable: false,
      });
    }
  }
  return [...new Set(types)];
}

/** The payment_method_options Stripe knows for the types the emulator supports (card, card_present, interac_present). */
const OPTION_SHAPE: ParamShape = {
  card: {
    capture_method: true, cvc_token: true, installments: true, mandate_options: true, moto: true, network: true,
    request_extended_authorization: true, request_incremental_authorization: true, request_multicapture: true,
    request_overcapture: true, request_three_d_secure: true, require_cvc_recollection: true, setup_future_usage: true,
    statement_descriptor_suffix_kana: true, statement_descriptor_suffix_kanji: true, three_d_secure: true,
  },
  card_present: { capture_method: true, request_extended_authorization: true, request_incremental_authorization_support: true, routing: true },
  interac_present: true,
};

function applyOptions(pi: PaymentIntent, p: Params): void {
  const options = obj(p, 'payment_method_options');
  if (!options) return;
  const present = obj(options, 'card_present', 'payment_method_options[card_present]');
  if (present) {
    const current = pi.payment_method_options.card_present ?? { request_extended_authorization: null, request_incremental_authorization_support: null };
    const ext = bool(present, 'request_extended_authorization', 'payment_method_options[card_present][request_extended_authorization]');
    const inc = bool(present, 'request_incremental_authorization_support', 'payment_method_options[card_present][request_incremental_authorization_support]');
    pi.payment_method_options.card_present = {
      ...current,
      request_extended_authorization: ext ?? current.request_extended_authorization,
      request_incremental_authorization_support: inc ?? current.request_incremental_authorization_support,
    };
  }
  const card = obj(options, 'card', 'payment_method_options[card]');
  if (card) {
    const current = pi.payment_method_options.card ?? {};
    const next: Record<string, unknown> = { ...current };
    for (const key of ['request_extended_authorization', 'request_incremental_authorization', 'request_three_d_secure', 'capture_method']) {
      const v = str(card, key, `payment_method_options[card][${key}]`);
      if (v !== undefined) next[key] = v;
    }
    pi.payment_method_options.card = next;
  }
}

function defaultOptions(types: string[]): PaymentIntent['payment_method_options'] {
  const out: PaymentIntent['payment_method_options'] = {};
  if (types.includes('card')) out.card = { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' };
  if (types.includes('card_present')) out.card_present = { request_extended_authorization: null, request_incremental_authorization_support: null };
  return out;
}

/** The PaymentMethod type a test token becomes for this PaymentIntent. */
function tokenType(pi: PaymentIntent): PaymentMethodType {
  return pi.payment_method_types.includes('card') ? 'card' : 'card_present';
}

function checkCompatible(pi: PaymentIntent, pm: PaymentMethod): void {
  if (!pi.payment_method_types.includes(pm.type)) {
    throw invalidRequest(
      `The PaymentMethod provided (${pm.type}) is not allowed for this PaymentIntent. Please attach a PaymentMethod of one of the following types: ${pi.payment_method_types.join(', ')}.`,
      { param: 'payment_method', code: 'payment_intent_incompatible_payment_method' },
    );
  }
  if (pm.customer !== null && pm.customer !== pi.customer) {
    throw invalidRequest(`The provided PaymentMethod is attached to customer ${pm.customer}; pass that customer on the PaymentIntent to use it.`, {
      param: 'payment_method',
    });
  }
}

/** Reads `payment_method` / `payment_method_data` into the PaymentIntent; returns whether one was given. */
function applyPaymentMethod(core: Core, pi: PaymentIntent, p: Params): boolean {
  const pmId = nullableStr(p, 'payment_method');
  const data = obj(p, 'payment_method_data');
  if (pmId === null) {
    pi.payment_method = null;
    return false;
  }
  let pm: PaymentMethod | undefined;
  if (pmId !== undefined) pm = resolvePaymentMethod(core, pmId, tokenType(pi));
  else if (data) pm = paymentMethodFromData(core, data, pi.payment_method_types as PaymentMethodType[]);
  if (!pm) return false;
  checkCompatible(pi, pm);
  pi.payment_method = pm.id;
  return true;
}

function applyCommon(core: Core, pi: PaymentIntent, p: Params): void {
  const customer = nullableStr(p, 'customer');
  if (customer === null) pi.customer = null;
  else if (customer !== undefined) pi.customer = getCustomer(core, customer, 'customer').id;
  for (const key of ['description', 'receipt_email', 'statement_descriptor', 'statement_descriptor_suffix', 'transfer_group'] as const) {
    const v = nullableStr(p, key);
    if (v !== undefined) pi[key] = v;
  }
  if (pi.statement_descriptor !== null && pi.statement_descriptor.length > 22) {
    throw parameterInvalid('statement_descriptor', 'The statement descriptor must be at most 22 characters.');
  }
  const metadata = applyMetadata(pi.metadata, p);
  if (metadata) pi.metadata = metadata;
  const sfu = oneOf(p, 'setup_future_usage', ['on_session', 'off_session'] as const);
  if (sfu) pi.setup_future_usage = sfu;
  if (p.shipping !== undefined) pi.shipping = p.shipping === '' ? null : p.shipping;
  const fee = int(p, 'application_fee_amount', { min: 0 });
  if (fee !== undefined) pi.application_fee_amount = fee;
  applyOptions(pi, p);
}

/** A fresh PaymentIntent in requires_payment_method, shaped as Stripe's; callers set what they were given. */
export function newPaymentIntent(
  core: Core,
  given: Pick<PaymentIntent, 'amount' | 'currency' | 'capture_method' | 'payment_method_types' | 'payment_method_options'> & Partial<PaymentIntent>,
): PaymentIntent {
  const id = newId('pi');
  return {
    id,
    object: 'payment_intent',
    allowed_payment_method_types: null,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    client_secret: newClientSecret(id),
    confirmation_method: 'automatic',
    created: core.now(),
    customer: null,
    customer_account: null,
    description: null,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: {},
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'requires_payment_method',
    transfer_data: null,
    transfer_group: null,
    ...given,
  };
}

function create(core: Core, p: Params): PaymentIntent {
  allowOnly(p, CREATE);
  allowNested(p, 'payment_method_options', OPTION_SHAPE);
  const amount = parseAmount(p, true) as number;
  const currency = parseCurrency(p);
  if (currency === undefined) throw invalidRequest('Missing required param: currency.', { param: 'currency', code: 'parameter_missing', cacheable: false });
  const types = parseTypes(p);
  const automatic = obj(p, 'automatic_payment_methods');
  if (types && automatic && bool(automatic, 'enabled', 'automatic_payment_methods[enabled]')) {
    throw invalidRequest('You may only specify one of these parameters: allowed_payment_method_types, automatic_payment_methods.', { cacheable: false });
  }
  const paymentMethodTypes = types ?? ['card'];
  const captureMethod =
    oneOf(p, 'capture_method', ['automatic', 'automatic_async', 'manual'] as const) ??
    (paymentMethodTypes.includes('card_present') ? 'automatic' : 'automatic_async');
  const pi = newPaymentIntent(core, {
    allowed_payment_method_types: types ?? null,
    amount,
    automatic_payment_methods: types ? null : { allow_redirects: 'always', enabled: true },
    capture_method: captureMethod,
    confirmation_method: oneOf(p, 'confirmation_method', ['automatic', 'manual'] as const) ?? 'automatic',
    currency,
    payment_method_options: defaultOptions(paymentMethodTypes),
    payment_method_types: paymentMethodTypes,
  });
  const id = pi.id;
  applyCommon(core, pi, p);
  if (applyPaymentMethod(core, pi, p)) pi.status = 'requires_confirmation';
  const returnUrl = str(p, 'return_url');
  if (returnUrl) core.state.returnUrls.set(pi.id, returnUrl);
  core.state.paymentIntents.set(id, pi);
  core.events.record('payment_intent.created', pi);
  if (bool(p, 'confirm') === true) confirmIntent(core, pi, p, true);
  return pi;
}

function update(core: Core, p: Params, [id]: string[]): PaymentIntent {
  allowOnly(p, UPDATE);
  allowNested(p, 'payment_method_options', OPTION_SHAPE);
  const pi = getPaymentIntent(core, id as string);
  const restricted = ['amount', 'currency', 'payment_method', 'payment_method_data', 'allowed_payment_method_types', 'payment_method_types', 'capture_method', 'customer', 'payment_method_options'];
  for (const key of restricted) {
    if (p[key] !== undefined && !UPDATABLE.includes(pi.status)) {
      throw unexpectedState(
        `This PaymentIntent's ${key} could not be updated because it has a status of ${pi.status}. You may only update the ${key} of a PaymentIntent with one of the following statuses: ${UPDATABLE.join(', ')}.`,
        snapshot(pi),
        key,
      );
    }
  }
  const amount = parseAmount(p, false);
  if (amount !== undefined) pi.amount = amount;
  const currency = parseCurrency(p);
  if (currency !== undefined) pi.currency = currency;
  const types = parseTypes(p);
  if (types) {
    pi.payment_method_types = types;
    pi.allowed_payment_method_types = types;
    pi.automatic_payment_methods = null;
    pi.payment_method_options = { ...defaultOptions(types), ...pi.payment_method_options };
  }
  const capture = oneOf(p, 'capture_method', ['automatic', 'automatic_async', 'manual'] as const);
  if (capture) pi.capture_method = capture;
  applyCommon(core, pi, p);
  if (p.payment_method !== undefined || p.payment_method_data !== undefined) {
    const given = applyPaymentMethod(core, pi, p);
    if (given && pi.status === 'requires_payment_method') pi.status = 'requires_confirmation';
    if (!given) pi.status = 'requires_payment_method';
  }
  return pi;
}


/** Confirms; throws Stripe's card error (402) on a decline, after the state change is recorded. */
export function confirmIntent(core: Core, pi: PaymentIntent, p: Params, fromCreate = false): PaymentIntent {
  if (!CONFIRMABLE.includes(pi.status)) {
    throw unexpectedState(
      pi.status === 'succeeded'
        ? 'This PaymentIntent has already succeeded; it cannot be confirmed again.'
        : `You cannot confirm this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be confirmed: ${CONFIRMABLE.join(', ')}.`,
      snapshot(pi),
    );
  }
  if (!fromCreate) {
    for (const key of ['receipt_email'] as const) {
      const v = nullableStr(p, key);
      if (v !== undefined) pi[key] = v;
    }
    const capture = oneOf(p, 'capture_method', ['automatic', 'automatic_async', 'manual'] as const);
    if (capture) pi.capture_method = capture;
    const sfu = oneOf(p, 'setup_future_usage', ['on_session', 'off_session'] as const);
    if (sfu) pi.setup_future_usage = sfu;
    if (p.shipping !== undefined) pi.shipping = p.shipping === '' ? null : p.shipping;
    const types = parseTypes(p);
    if (types) {
      pi.payment_method_types = types;
      pi.allowed_payment_method_types = types;
      pi.payment_method_options = { ...defaultOptions(types), ...pi.payment_method_options };
    }
    applyOptions(pi, p);
    applyPaymentMethod(core, pi, p);
    const returnUrl = str(p, 'return_url');
    if (returnUrl) core.state.returnUrls.set(pi.id, returnUrl);
  }
  if (pi.payment_method === null) throw missingPaymentMethod(pi);
  const pm = core.state.paymentMethods.get(pi.payment_method);
  if (!pm) throw missingPaymentMethod(pi);
  const error = attemptPayment(core, pi, pm, null, { errorOnRequiresAction: bool(p, 'error_on_requires_action') === true });
  if (error) throw error;
  return pi;
}

function list(core: Core, p: Params): unknown {
  allowOnly(p, LIST);
  const customer = str(p, 'customer');
  const created = rangeFilter(p, 'created');
  return paginate(
    newestFirst(core.state.paymentIntents.values(), (pi) => (customer === undefined || pi.customer === customer) && (created === null || created(pi.created))),
    p,
    '/v1/payment_intents',
  );
}

export const paymentIntentRoutes: RouteDef[] = [
  ['POST', '/v1/payment_intents', create],
  ['GET', '/v1/payment_intents', list],
  ['GET', '/v1/payment_intents/:id', (core, p, [id]) => {
    allowOnly(p, paramSet('client_secret'));
    return getPaymentIntent(core, id as string);
  }],
  ['POST', '/v1/payment_intents/:id', update],
  ['POST', '/v1/payment_intents/:id/confirm', (core, p, [id]) => {
    allowOnly(p, CONFIRM);
    allowNested(p, 'payment_method_options', OPTION_SHAPE);
    return confirmIntent(core, getPaymentIntent(core, id as string), p);
  }],
  ['POST', '/v1/payment_intents/:id/capture', captureRoute],
  ['POST', '/v1/payment_intents/:id/cancel', (core, p, [id]) => {
    allowOnly(p, paramSet('cancellation_reason'));
    const pi = getPaymentIntent(core, id as string);
    return cancelIntent(core, pi, oneOf(p, 'cancellation_reason', CANCELLATION_REASONS) ?? null);
  }],
  ['POST', '/v1/payment_intents/:id/increment_authorization', incrementRoute],
  ['POST', '/v1/test_helpers/payment_intents/:id/authenticate', authenticate],
  // Legacy charge capture, for callers that still capture by charge id.
  ['POST', '/v1/charges/:id/capture', (core, p, [id]) => {
    allowOnly(p, paramSet('amount', 'application_fee', 'application_fee_amount', 'receipt_email', 'statement_descriptor', 'statement_descriptor_suffix', 'transfer_data', 'transfer_group'));
    const charge = getCharge(core, id as string);
    const pi = getPaymentIntent(core, charge.payment_intent ?? '', 'charge');
    const amount = str(p, 'amount');
    capture(core, pi, amount === undefined ? {} : { amount_to_capture: amount });
    return charge;
  }],
];
