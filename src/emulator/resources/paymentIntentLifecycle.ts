import type { Core } from '../core';
import { docUrl, invalidRequest, unexpectedState } from '../errors';
import { allowOnly, applyMetadata, int, nullableStr, oneOf, paramSet, reqInt, type Params } from '../form';
import { previousAttributes, snapshot } from '../snapshot';
import type { PaymentIntent, PaymentIntentStatus } from '../types';
import { captureCharge, getCharge, incrementalSupported, releaseCharge } from './charges';
import { formatAmount, MAX_AMOUNT } from './common';
import { getPaymentIntent, missingPaymentMethod, succeed } from './paymentAttempt';

/** What happens to a PaymentIntent after confirmation: 3-D Secure, capture, cancel, expiry, increments. */

const CAPTURE = paramSet(
  'amount_details', 'amount_to_capture', 'application_fee_amount', 'final_capture', 'hooks', 'metadata', 'payment_details',
  'statement_descriptor', 'statement_descriptor_suffix', 'transfer_data',
);
const INCREMENT = paramSet('amount', 'amount_details', 'application_fee_amount', 'description', 'hooks', 'metadata', 'payment_details', 'statement_descriptor', 'transfer_data');
const CANCELABLE: PaymentIntentStatus[] = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'];
export const CANCELLATION_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'] as const;
const MAX_INCREMENTS = 10;

/** Test helper (emulator path): the customer passes or fails 3-D Secure. */
export function authenticate(core: Core, p: Params, [id]: string[]): PaymentIntent {
  allowOnly(p, paramSet('outcome'));
  const pi = getPaymentIntent(core, id as string);
  if (pi.status !== 'requires_action') {
    throw unexpectedState(`This PaymentIntent has a status of ${pi.status}; only a PaymentIntent that requires_action can be authenticated.`, snapshot(pi));
  }
  const pm = core.state.paymentMethods.get(pi.payment_method ?? '');
  if (!pm) throw missingPaymentMethod(pi);
  if ((oneOf(p, 'outcome', ['complete', 'fail'] as const) ?? 'complete') === 'fail') {
    pi.status = 'requires_payment_method';
    pi.payment_method = null;
    pi.next_action = null;
    pi.last_payment_error = {
      code: 'payment_intent_authentication_failure',
      doc_url: docUrl('payment_intent_authentication_failure'),
      message: 'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
      payment_method: snapshot(pm),
      type: 'invalid_request_error',
    };
    core.events.record('payment_intent.payment_failed', pi);
    return pi;
  }
  succeed(core, pi, pm, null);
  return pi;
}

export function capture(core: Core, pi: PaymentIntent, p: Params): PaymentIntent {
  if (pi.status !== 'requires_capture') {
    throw unexpectedState(
      `This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
      snapshot(pi),
    );
  }
  const amount = int(p, 'amount_to_capture', { min: 1 }) ?? pi.amount_capturable;
  if (amount > pi.amount_capturable) {
    throw invalidRequest(
      `The amount_to_capture (${formatAmount(amount, pi.currency)}) is greater than the amount_capturable (${formatAmount(pi.amount_capturable, pi.currency)}) on this PaymentIntent.`,
      { param: 'amount_to_capture', code: 'amount_too_large' },
    );
  }
  const metadata = applyMetadata(pi.metadata, p);
  if (metadata) pi.metadata = metadata;
  for (const key of ['statement_descriptor', 'statement_descriptor_suffix'] as const) {
    const v = nullableStr(p, key);
    if (v !== undefined) pi[key] = v;
  }
  const charge = getCharge(core, pi.latest_charge as string);
  const before = snapshot(charge);
  captureCharge(core, charge, amount);
  core.state.holds.delete(pi.id);
  pi.status = 'succeeded';
  pi.amount_received = amount;
  pi.amount_capturable = 0;
  core.events.record('charge.captured', charge, previousAttributes(before, charge));
  core.events.record('payment_intent.succeeded', pi);
  return pi;
}

/** Cancels; an uncaptured authorization is released. `automatic` is for holds that expired. */
export function cancelIntent(core: Core, pi: PaymentIntent, reason: string | null): PaymentIntent {
  if (!CANCELABLE.includes(pi.status)) {
    throw unexpectedState(
      `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`,
      snapshot(pi),
    );
  }
  if (pi.status === 'requires_capture' && pi.latest_charge) {
    const charge = getCharge(core, pi.latest_charge);
    const before = snapshot(charge);
    releaseCharge(core, charge);
    core.events.record(reason === 'automatic' ? 'charge.expired' : 'charge.refunded', charge, previousAttributes(before, charge));
  }
  core.state.holds.delete(pi.id);
  pi.status = 'canceled';
  pi.canceled_at = core.now();
  pi.cancellation_reason = reason;
  pi.amount_capturable = 0;
  pi.next_action = null;
  core.events.record('payment_intent.canceled', pi);
  return pi;
}

/** Clock sweep: an authorization not captured by capture_before is cancelled (reason automatic). */
export function expireHold(core: Core, piId: string): void {
  core.state.holds.delete(piId);
  const pi = core.state.paymentIntents.get(piId);
  if (pi && pi.status === 'requires_capture') cancelIntent(core, pi, 'automatic');
}

export function incrementAuthorization(core: Core, p: Params, [id]: string[]): PaymentIntent {
  const pi = getPaymentIntent(core, id as string);
  if (pi.status !== 'requires_capture') {
    throw unexpectedState(
      `This PaymentIntent could not be incremented because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be incremented: requires_capture.`,
      snapshot(pi),
    );
  }
  const amount = reqInt(p, 'amount', { max: MAX_AMOUNT });
  const charge = getCharge(core, pi.latest_charge as string);
  const pm = core.state.paymentMethods.get(charge.payment_method);
  if (!pm || !incrementalSupported(pi, pm)) {
    throw invalidRequest('This PaymentIntent does not support incremental authorization: request it on creation and use an eligible card.', { param: 'amount' });
  }
  if (amount <= pi.amount) {
    throw invalidRequest(`The new amount must be greater than the PaymentIntent's current amount (${formatAmount(pi.amount, pi.currency)}).`, { param: 'amount', cacheable: false });
  }
  const attempts = (core.state.incrementAttempts.get(pi.id) ?? 0) + 1;
  if (attempts > MAX_INCREMENTS) {
    throw invalidRequest(`This PaymentIntent has reached the limit of ${MAX_INCREMENTS} incremental authorization attempts.`, { param: 'amount' });
  }
  core.state.incrementAttempts.set(pi.id, attempts);
  const before = snapshot(charge);
  pi.amount = amount;
  pi.amount_capturable = amount;
  const description = nullableStr(p, 'description');
  if (description !== undefined) pi.description = description;
  const metadata = applyMetadata(pi.metadata, p);
  if (metadata) pi.metadata = metadata;
  charge.amount = amount;
  const details = charge.payment_method_details.card_present ?? charge.payment_method_details.card;
  if (details) details.amount_authorized = amount;
  core.events.record('charge.updated', charge, previousAttributes(before, charge));
  core.events.record('payment_intent.amount_capturable_updated', pi);
  return pi;
}


export function captureRoute(core: Core, p: Params, [id]: string[]): PaymentIntent {
  allowOnly(p, CAPTURE);
  return capture(core, getPaymentIntent(core, id as string), p);
}

export function incrementRoute(core: Core, p: Params, ids: string[]): PaymentIntent {
  allowOnly(p, INCREMENT);
  return incrementAuthorization(core, p, ids);
}
