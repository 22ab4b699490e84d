import type { Core } from '../core';
import { invalidRequest, parameterMissing, resourceMissing, unexpectedState } from '../errors';
import { allowOnly, applyMetadata, int, isParams, obj, oneOf, PAGINATION, paramSet, reqStr, str, type Params } from '../form';
import { newId, randomToken } from '../ids';
import { newestFirst, paginate } from '../pagination';
import type { RouteDef } from '../router';
import { snapshot } from '../snapshot';
import type { ApiError } from '../errors';
import type { TerminalLocation, TerminalReader } from '../types';
import { parseAddress } from './common';
import { attemptPayment, getPaymentIntent } from './paymentAttempt';
import { createCardPaymentMethod } from './paymentMethods';

const SIMULATED: Record<string, { device_type: string; label: string }> = {
  'simulated-wpe': { device_type: 'simulated_wisepos_e', label: 'Simulated WisePOS E' },
  'simulated-s700': { device_type: 'simulated_stripe_s700', label: 'Simulated Stripe S700' },
  'simulated-s710': { device_type: 'simulated_stripe_s710', label: 'Simulated Stripe S710' },
};

const LOCATION_FIELDS = ['address', 'address_kana', 'address_kanji', 'configuration_overrides', 'display_name', 'display_name_kana', 'display_name_kanji', 'metadata', 'phone'];

function getLocation(core: Core, id: string, param = 'id'): TerminalLocation {
  const l = core.state.locations.get(id);
  if (!l) throw resourceMissing('terminal.location', id, param);
  return l;
}

function getReader(core: Core, id: string): TerminalReader {
  const r = core.state.readers.get(id);
  if (!r) throw resourceMissing('terminal.reader', id);
  r.last_seen_at = core.clock.nowMs();
  return r;
}

function createLocation(core: Core, p: Params): TerminalLocation {
  allowOnly(p, paramSet(...LOCATION_FIELDS));
  const displayName = reqStr(p, 'display_name');
  const address = parseAddress(p, 'address');
  if (!address) throw parameterMissing('address');
  if (!address.country) throw parameterMissing('address[country]');
  const location: TerminalLocation = {
    id: newId('tml'),
    object: 'terminal.location',
    address,
    display_name: displayName,
    livemode: false,
    metadata: applyMetadata({}, p) ?? {},
  };
  core.state.locations.set(location.id, location);
  return location;
}

function updateLocation(core: Core, p: Params, [id]: string[]): TerminalLocation {
  allowOnly(p, paramSet(...LOCATION_FIELDS));
  const location = getLocation(core, id as string);
  const name = str(p, 'display_name');
  if (name) location.display_name = name;
  const address = parseAddress(p, 'address', location.address);
  if (address) location.address = address;
  const metadata = applyMetadata(location.metadata, p);
  if (metadata) location.metadata = metadata;
  return location;
}

function createReader(core: Core, p: Params): TerminalReader {
  allowOnly(p, paramSet('registration_code', 'label', 'location', 'metadata'));
  const code = reqStr(p, 'registration_code');
  const kind = SIMULATED[code];
  if (!kind) {
    throw invalidRequest(`The registration code '${code}' is invalid or expired; the emulator registers simulated-wpe, simulated-s700 and simulated-s710.`, {
      param: 'registration_code',
    });
  }
  const locationId = str(p, 'location');
  if (locationId) getLocation(core, locationId, 'location');
  const reader: TerminalReader = {
    id: newId('tmr'),
    object: 'terminal.reader',
    action: null,
    device_sw_version: '2.37.2.0',
    device_type: kind.device_type,
    ip_address: '0.0.0.0',
    label: str(p, 'label') ?? kind.label,
    last_seen_at: core.clock.nowMs(),
    livemode: false,
    location: locationId ?? null,
    metadata: applyMetadata({}, p) ?? {},
    serial_number: `${kind.device_type.toUpperCase()}-${randomToken(10).toUpperCase()}`,
    status: 'online',
  };
  core.state.readers.set(reader.id, reader);
  return reader;
}

function busy(reader: TerminalReader): boolean {
  return reader.action?.status === 'in_progress';
}

function readerBusy(): ApiError {
  return invalidRequest('The Reader is currently busy with another action. Cancel it with cancel_action or wait for it to finish.', { code: 'terminal_reader_busy' });
}

function processPaymentIntent(core: Core, p: Params, [id]: string[]): TerminalReader {
  allowOnly(p, paramSet('payment_intent', 'process_config'));
  const reader = getReader(core, id as string);
  const pi = getPaymentIntent(core, reqStr(p, 'payment_intent'), 'payment_intent');
  if (busy(reader)) throw readerBusy();
  if (!pi.payment_method_types.includes('card_present')) {
    throw invalidRequest(`PaymentIntent ${pi.id} does not accept card_present; create it with payment_method_types[]=card_present.`, { param: 'payment_intent' });
  }
  if (pi.status !== 'requires_payment_method' && pi.status !== 'requires_confirmation') {
    throw unexpectedState(
      `This PaymentIntent could not be processed because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be processed: requires_payment_method, requires_confirmation.`,
      snapshot(pi),
    );
  }
  const config = obj(p, 'process_config');
  reader.action = {
    api_error: null,
    failure_code: null,
    failure_message: null,
    process_payment_intent: config ? { payment_intent: pi.id, process_config: config } : { payment_intent: pi.id },
    status: 'in_progress',
    type: 'process_payment_intent',
  };
  return reader;
}

/**
 * Simulated reader only: the customer taps a card. Runs synchronously, so the Reader returned
 * already shows the action succeeded or failed (Stripe gets there a moment later).
 */
function presentPaymentMethod(core: Core, p: Params, [id]: string[]): TerminalReader {
  allowOnly(p, paramSet('amount_tip', 'card', 'card_present', 'interac_present', 'type'));
  const reader = getReader(core, id as string);
  if (!reader.device_type.startsWith('simulated_')) {
    throw invalidRequest('present_payment_method is only available for simulated readers.', { param: 'reader' });
  }
  const action = reader.action;
  if (!action || action.status !== 'in_progress' || action.type !== 'process_payment_intent' || !action.process_payment_intent) {
    throw invalidRequest('This Reader has no process_payment_intent action in progress for a payment method to be presented to.', { param: 'reader' });
  }
  const type = oneOf(p, 'type', ['card_present', 'interac_present'] as const) ?? 'card_present';
  const cardParams = obj(p, type) ?? {};
  const number = str(cardParams, 'number', `${type}[number]`) ?? (type === 'interac_present' ? '4506445006931933' : '4242424242424242');
  const tip = int(p, 'amount_tip', { min: 0 });
  const pi = getPaymentIntent(core, action.process_payment_intent.payment_intent, 'payment_intent');
  const pm = createCardPaymentMethod(core, number, 'card_present', { param: `${type}[number]` });
  if (tip !== undefined && tip > 0) {
    pi.amount += tip;
    pi.amount_details = { tip: { amount: tip } };
  }
  const error =
    pi.status === 'requires_payment_method' || pi.status === 'requires_confirmation'
      ? attemptPayment(core, pi, pm, { reader: reader.id, location: reader.location })
      : unexpectedState(`This PaymentIntent has a status of ${pi.status} and can no longer be processed.`, snapshot(pi));
  if (error) {
    const f = error.fields;
    action.status = 'failed';
    action.failure_code = f.code ?? 'card_declined';
    action.failure_message = f.message;
    action.api_error = {
      ...(f.charge ? { charge: f.charge } : {}),
      ...(f.code ? { code: f.code } : {}),
      ...(f.decline_code ? { decline_code: f.decline_code } : {}),
      message: f.message,
      type: f.type,
    };
    core.events.record('terminal.reader.action_failed', reader);
  } else {
    action.status = 'succeeded';
    core.events.record('terminal.reader.action_succeeded', reader);
  }
  return reader;
}

/** What `fail_action` can make the reader report: reader-side failures, or a card error read at the reader. */
const READER_FAILURES: Record<string, { message: string; cardError?: { code: string; decline_code?: string } }> = {
  card_removed: { message: 'The card was removed before the payment finished.' },
  customer_canceled: { message: 'The customer canceled the payment on the reader.' },
  incorrect_number: { message: 'Your card number is incorrect.', cardError: { code: 'incorrect_number' } },
  card_velocity_exceeded: { message: 'Your card was declined.', cardError: { code: 'card_declined', decline_code: 'card_velocity_exceeded' } },
};

/**
 * Emulator-only test helper (Stripe has none): the reader's action fails without a charge
 * attempt, as when the customer pulls the card out too soon (`failure_code=card_removed`, the
 * default), cancels on the reader, or the card cannot be read. The PaymentIntent is untouched,
 * so the same PaymentIntent can be processed again.
 */
function failReaderAction(core: Core, p: Params, [id]: string[]): TerminalReader {
  allowOnly(p, paramSet('failure_code'));
  const reader = getReader(core, id as string);
  if (!reader.device_type.startsWith('simulated_')) throw invalidRequest('fail_action is only available for simulated readers.', { param: 'reader' });
  const code = str(p, 'failure_code') ?? 'card_removed';
  const failure = READER_FAILURES[code];
  if (!failure) throw invalidRequest(`Invalid failure_code: must be one of ${Object.keys(READER_FAILURES).join(', ')}`, { param: 'failure_code' });
  const action = reader.action;
  if (!action || action.status !== 'in_progress') throw invalidRequest('This Reader has no action in progress to fail.', { param: 'reader' });
  action.status = 'failed';
  action.failure_code = failure.cardError ? failure.cardError.code : code;
  action.failure_message = failure.message;
  if (failure.cardError) action.api_error = { ...failure.cardError, message: failure.message, type: 'card_error' };
  core.events.record('terminal.reader.action_failed', reader);
  return reader;
}

function cancelAction(core: Core, p: Params, [id]: string[]): TerminalReader {
  allowOnly(p, paramSet());
  const reader = getReader(core, id as string);
  if (!busy(reader)) throw invalidRequest('This Reader has no action in progress to cancel.', { param: 'reader' });
  reader.action = null;
  return reader;
}

function setReaderDisplay(core: Core, p: Params, [id]: string[]): TerminalReader {
  allowOnly(p, paramSet('type', 'cart'));
  const reader = getReader(core, id as string);
  const type = reqStr(p, 'type');
  if (type !== 'cart') throw invalidRequest('Invalid type: must be cart', { param: 'type', cacheable: false });
  const cart = obj(p, 'cart');
  if (!cart) throw parameterMissing('cart');
  if (busy(reader)) throw readerBusy();
  const items = Array.isArray(cart.line_items) ? cart.line_items : [];
  reader.action = {
    api_error: null,
    failure_code: null,
    failure_message: null,
    set_reader_display: {
      type: 'cart',
      cart: {
        currency: reqStr(cart, 'currency', 'cart[currency]').toLowerCase(),
        line_items: items.filter(isParams).map((li, i) => ({
          amount: int(li, 'amount', { label: `cart[line_items][${i}][amount]` }) ?? 0,
          description: str(li, 'description') ?? '',
          quantity: int(li, 'quantity', { label: `cart[line_items][${i}][quantity]` }) ?? 1,
        })),
        tax: int(cart, 'tax', { label: 'cart[tax]' }) ?? null,
        total: int(cart, 'total', { label: 'cart[total]' }) ?? 0,
      },
    },
    status: 'succeeded',
    type: 'set_reader_display',
  };
  core.events.record('terminal.reader.action_succeeded', reader);
  return reader;
}

export const terminalRoutes: RouteDef[] = [
  ['POST', '/v1/terminal/connection_tokens', (core, p) => {
    allowOnly(p, paramSet('location'));
    const location = str(p, 'location');
    if (location) getLocation(core, location, 'location');
    return { object: 'terminal.connection_token', ...(location ? { location } : {}), secret: `pst_test_${randomToken(24)}` };
  }],
  ['POST', '/v1/terminal/locations', createLocation],
  ['GET', '/v1/terminal/locations', (core, p) => {
    allowOnly(p, paramSet(...PAGINATION));
    return paginate(newestFirst(core.state.locations.values(), () => true), p, '/v1/terminal/locations');
  }],
  ['GET', '/v1/terminal/locations/:id', (core, p, [id]) => {
    allowOnly(p, paramSet());
    return getLocation(core, id as string);
  }],
  ['POST', '/v1/terminal/locations/:id', updateLocation],
  ['DELETE', '/v1/terminal/locations/:id', (core, p, [id]) => {
    allowOnly(p, paramSet());
    const l = getLocation(core, id as string);
    core.state.locations.delete(l.id);
    return { deleted: true, id: l.id, object: 'terminal.location' };
  }],
  ['POST', '/v1/terminal/readers', createReader],
  ['GET', '/v1/terminal/readers', (core, p) => {
    allowOnly(p, paramSet('device_type', 'location', 'serial_number', 'status', ...PAGINATION));
    const location = str(p, 'location');
    const deviceType = str(p, 'device_type');
    const status = str(p, 'status');
    const serial = str(p, 'serial_number');
    return paginate(
      newestFirst(
        core.state.readers.values(),
        (r) =>
          (location === undefined || r.location === location) &&
          (deviceType === undefined || r.device_type === deviceType) &&
          (status === undefined || r.status === status) &&
          (serial === undefined || r.serial_number === serial),
      ),
      p,
      '/v1/terminal/readers',
    );
  }],
  ['GET', '/v1/terminal/readers/:id', (core, p, [id]) => {
    allowOnly(p, paramSet());
    return getReader(core, id as string);
  }],
  ['POST', '/v1/terminal/readers/:id', (core, p, [id]) => {
    allowOnly(p, paramSet('label', 'metadata'));
    const reader = getReader(core, id as string);
    const label = str(p, 'label');
    if (label) reader.label = label;
    const metadata = applyMetadata(reader.metadata, p);
    if (metadata) reader.metadata = metadata;
    return reader;
  }],
  ['DELETE', '/v1/terminal/readers/:id', (core, p, [id]) => {
    allowOnly(p, paramSet());
    const reader = getReader(core, id as string);
    core.state.readers.delete(reader.id);
    return { deleted: true, device_type: reader.device_type, id: reader.id, object: 'terminal.reader', serial_number: reader.serial_number };
  }],
  ['POST', '/v1/terminal/readers/:id/process_payment_intent', processPaymentIntent],
  ['POST', '/v1/terminal/readers/:id/cancel_action', cancelAction],
  ['POST', '/v1/terminal/readers/:id/set_reader_display', setReaderDisplay],
  ['POST', '/v1/test_helpers/terminal/readers/:id/present_payment_method', presentPaymentMethod],
  ['POST', '/v1/test_helpers/terminal/readers/:id/fail_action', failReaderAction],
];
