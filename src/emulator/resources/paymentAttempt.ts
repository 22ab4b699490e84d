import type { Core } from '../core';
import { ApiError, docUrl, resourceMissing, unexpectedState } from '../errors';
import { snapshot } from '../snapshot';
import { cardForNumber, type Decline } from '../testCards';
import type { PaymentIntent, PaymentMethod } from '../types';
import { captureCharge, createCharge, type ReaderContext } from './charges';
import { attachPaymentMethod } from './paymentMethods';

/** One payment attempt on a PaymentIntent, whatever started it: confirm, a reader tap, a Checkout page. */

export function getPaymentIntent(core: Core, id: string, param = 'intent'): PaymentIntent {
  const pi = core.state.paymentIntents.get(id);
  if (!pi) throw resourceMissing('payment_intent', id, param);
  return pi;
}

export function missingPaymentMethod(pi: PaymentIntent): ApiError {
  return unexpectedState(
    "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
    snapshot(pi),
  );
}

function cardError(pi: PaymentIntent, chargeId: string, pm: PaymentMethod, decline: Decline): ApiError {
  return new ApiError(402, {
    type: 'card_error',
    code: decline.code,
    decline_code: decline.decline_code,
    message: decline.message,
    charge: chargeId,
    payment_intent: snapshot(pi),
    payment_method: snapshot(pm),
  });
}

/**
 * Runs one payment attempt with the PaymentIntent's PaymentMethod and applies the outcome.
 * Returns the card error on a decline (the PaymentIntent is back in requires_payment_method
 * with last_payment_error); the caller decides whether to throw it (API) or report it (reader).
 */
export function attemptPayment(core: Core, pi: PaymentIntent, pm: PaymentMethod, via: ReaderContext | null, opts: { errorOnRequiresAction?: boolean } = {}): ApiError | null {
  const number = core.state.cardNumbers.get(pm.id) ?? '';
  const outcome = cardForNumber(number)?.outcome ?? { kind: 'approve' as const };
  pi.payment_method = pm.id;
  if (outcome.kind === 'authenticate' && pm.type === 'card') {
    if (opts.errorOnRequiresAction) {
      return decline(core, pi, pm, { code: 'authentication_required', decline_code: 'authentication_required', message: 'Your card was declined. This transaction requires authentication.' }, via);
    }
    const url = `${core.baseUrl}/_emulator/3ds/${pi.id}`;
    const returnUrl = core.state.returnUrls.get(pi.id);
    pi.status = 'requires_action';
    pi.next_action = returnUrl
      ? { type: 'redirect_to_url', redirect_to_url: { return_url: returnUrl, url } }
      : { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: url, source: pm.id } };
    core.events.record('payment_intent.requires_action', pi);
    return null;
  }
  if (outcome.kind === 'decline') return decline(core, pi, pm, outcome.decline, via);
  succeed(core, pi, pm, via);
  return null;
}

function decline(core: Core, pi: PaymentIntent, pm: PaymentMethod, d: Decline, via: ReaderContext | null): ApiError {
  const charge = createCharge(core, pi, pm, d, via);
  pi.latest_charge = charge.id;
  pi.status = 'requires_payment_method';
  pi.payment_method = null;
  pi.next_action = null;
  pi.last_payment_error = {
    charge: charge.id,
    code: d.code,
    decline_code: d.decline_code,
    doc_url: docUrl(d.code),
    message: d.message,
    payment_method: snapshot(pm),
    type: 'card_error',
  };
  core.events.record('charge.failed', charge);
  core.events.record('payment_intent.payment_failed', pi);
  return cardError(pi, charge.id, pm, d);
}

export function succeed(core: Core, pi: PaymentIntent, pm: PaymentMethod, via: ReaderContext | null): void {
  const charge = createCharge(core, pi, pm, null, via);
  pi.latest_charge = charge.id;
  pi.last_payment_error = null;
  pi.next_action = null;
  if (pi.setup_future_usage && pi.customer && pm.type === 'card') attachPaymentMethod(core, pm, pi.customer);
  core.events.record('charge.succeeded', charge);
  if (pi.capture_method === 'manual') {
    pi.status = 'requires_capture';
    pi.amount_capturable = pi.amount;
    core.events.record('payment_intent.amount_capturable_updated', pi);
    return;
  }
  captureCharge(core, charge, pi.amount);
  pi.status = 'succeeded';
  pi.amount_received = pi.amount;
  pi.amount_capturable = 0;
  core.events.record('payment_intent.succeeded', pi);
}
