import type { Core } from '../core';
import { invalidRequest, resourceMissing } from '../errors';
import { allowOnly, applyMetadata, int, oneOf, PAGINATION, paramSet, str, type Params } from '../form';
import { newId } from '../ids';
import { newestFirst, paginate, rangeFilter } from '../pagination';
import type { RouteDef } from '../router';
import { previousAttributes, snapshot } from '../snapshot';
import { cardForNumber } from '../testCards';
import type { Charge, Refund } from '../types';
import { createBalanceTransaction } from './balanceTransactions';
import { formatAmount } from './common';

const CREATE = paramSet(
  'amount', 'charge', 'currency', 'customer', 'instructions_email', 'metadata', 'origin', 'payment_intent', 'reason',
  'refund_application_fee', 'reverse_transfer',
);
const LIST = paramSet('charge', 'created', 'payment_intent', ...PAGINATION);
const REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;

/**
 * Adds a refund to a charge. `moneyMoves: false` is the release of an uncaptured authorization
 * (cancel, expiry, the uncaptured rest of a partial capture): Stripe records those as refunds
 * too, but no balance transaction moves money.
 */
export function addRefund(
  core: Core,
  charge: Charge,
  amount: number,
  opts: { moneyMoves: boolean; status: Refund['status']; reason?: string | null; metadata?: Record<string, string> },
): Refund {
  const refund: Refund = {
    id: newId('re'),
    object: 'refund',
    amount,
    balance_transaction: null,
    charge: charge.id,
    created: core.now(),
    currency: charge.currency,
    customer: charge.customer,
    customer_account: null,
    destination_details: {
      card: { reference: null, reference_status: 'pending', reference_type: 'acquirer_reference_number', type: opts.moneyMoves ? 'refund' : 'reversal' },
      type: 'card',
    },
    metadata: opts.metadata ?? {},
    payment_intent: charge.payment_intent,
    payment_method: charge.payment_method,
    reason: opts.reason ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: opts.status,
    transfer_reversal: null,
  };
  if (opts.moneyMoves) {
    refund.balance_transaction = createBalanceTransaction(core, {
      amount: -amount,
      fee: 0,
      currency: charge.currency,
      source: refund.id,
      type: 'refund',
      description: 'REFUND FOR CHARGE',
    }).id;
  }
  core.state.refunds.set(refund.id, refund);
  charge.refunds.data.unshift(refund);
  charge.refunds.total_count = charge.refunds.data.length;
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded >= charge.amount;
  return refund;
}

/** What the charge's test card makes of a refund: fail later, succeed later, or succeed at once. */
function refundOutcome(core: Core, charge: Charge): 'refund_fail' | 'refund_pending' | null {
  const number = core.state.cardNumbers.get(charge.payment_method);
  const kind = number === undefined ? undefined : cardForNumber(number)?.outcome.kind;
  return kind === 'refund_fail' || kind === 'refund_pending' ? kind : null;
}

export function getRefund(core: Core, id: string): Refund {
  const r = core.state.refunds.get(id);
  if (!r) throw resourceMissing('refund', id);
  return r;
}

function chargeToRefund(core: Core, p: Params): Charge {
  const chargeId = str(p, 'charge');
  const piId = str(p, 'payment_intent');
  if (!chargeId && !piId) {
    throw invalidRequest('One of the following params should be provided for this request: charge or payment_intent.', { code: 'parameter_missing', cacheable: false });
  }
  if (piId) {
    const pi = core.state.paymentIntents.get(piId);
    if (!pi) throw resourceMissing('payment_intent', piId, 'payment_intent');
    const charge = pi.latest_charge ? core.state.charges.get(pi.latest_charge) : undefined;
    if (pi.status !== 'succeeded' || !charge || !charge.captured) {
      throw invalidRequest(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, { param: 'payment_intent' });
    }
    if (chargeId && chargeId !== charge.id) {
      throw invalidRequest(`Charge ${chargeId} does not belong to PaymentIntent ${pi.id}.`, { param: 'charge', cacheable: false });
    }
    return charge;
  }
  const charge = core.state.charges.get(chargeId as string);
  if (!charge) throw resourceMissing('charge', chargeId as string, 'charge');
  if (charge.status !== 'succeeded') throw invalidRequest(`Charge ${charge.id} has failed and cannot be refunded.`, { param: 'charge' });
  if (!charge.captured) {
    throw invalidRequest(`Charge ${charge.id} has not been captured, so there is nothing to refund; cancel its PaymentIntent to release the authorization.`, { param: 'charge' });
  }
  return charge;
}

export function createRefund(core: Core, p: Params): Refund {
  allowOnly(p, CREATE);
  const reason = oneOf(p, 'reason', REASONS);
  const metadata = applyMetadata({}, p) ?? {};
  const requested = int(p, 'amount', { min: 1 });
  const charge = chargeToRefund(core, p);
  const refundable = charge.amount - charge.amount_refunded;
  if (refundable <= 0) {
    throw invalidRequest(`Charge ${charge.id} has already been refunded.`, { code: 'charge_already_refunded' });
  }
  const amount = requested ?? refundable;
  if (amount > refundable) {
    throw invalidRequest(
      `Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(refundable, charge.currency)})`,
      { param: 'amount', code: 'amount_too_large' },
    );
  }
  const before = snapshot(charge);
  const later = refundOutcome(core, charge);
  const refund = addRefund(core, charge, amount, { moneyMoves: true, status: later ? 'pending' : 'succeeded', reason: reason ?? null, metadata });
  if (later) {
    const at = core.now() + core.config.refundFailureDelaySeconds;
    (later === 'refund_fail' ? core.state.refundFailAt : core.state.refundSucceedAt).set(refund.id, at);
    core.noteDeadline(at);
  }
  core.events.record('refund.created', refund);
  core.events.record('charge.refunded', charge, previousAttributes(before, charge));
  return refund;
}

/** The refund_fail card: the pending refund fails and the money goes back to the balance. */
export function failRefund(core: Core, refund: Refund): void {
  core.state.refundFailAt.delete(refund.id);
  if (refund.status !== 'pending') return;
  const charge = core.state.charges.get(refund.charge);
  const before = snapshot(refund);
  refund.status = 'failed';
  refund.failure_reason = 'expired_or_canceled_card';
  refund.failure_balance_transaction = createBalanceTransaction(core, {
    amount: refund.amount,
    fee: 0,
    currency: refund.currency,
    source: refund.id,
    type: 'refund_failure',
    description: 'REFUND FAILURE',
  }).id;
  if (charge) {
    charge.amount_refunded -= refund.amount;
    charge.refunded = charge.amount_refunded >= charge.amount;
  }
  const prev = previousAttributes(before, refund);
  core.events.record('refund.updated', refund, prev);
  core.events.record('refund.failed', refund, prev);
  core.events.record('charge.refund.updated', refund, prev);
}

/** The pendingRefund card: the pending refund goes through (`refund.updated`, `charge.refund.updated`). */
export function succeedRefund(core: Core, refund: Refund): void {
  core.state.refundSucceedAt.delete(refund.id);
  if (refund.status !== 'pending') return;
  const before = snapshot(refund);
  refund.status = 'succeeded';
  const prev = previousAttributes(before, refund);
  core.events.record('refund.updated', refund, prev);
  core.events.record('charge.refund.updated', refund, prev);
}

function update(core: Core, p: Params, [id]: string[]): Refund {
  allowOnly(p, paramSet('metadata'));
  const refund = getRefund(core, id as string);
  const before = snapshot(refund);
  const metadata = applyMetadata(refund.metadata, p);
  if (metadata) refund.metadata = metadata;
  const prev = previousAttributes(before, refund);
  if (Object.keys(prev).length > 0) {
    core.events.record('refund.updated', refund, prev);
    core.events.record('charge.refund.updated', refund, prev);
  }
  return refund;
}

function cancel(core: Core, p: Params, [id]: string[]): Refund {
  allowOnly(p, paramSet());
  const refund = getRefund(core, id as string);
  // Stripe cancels only refunds waiting on the customer (requires_action); card refunds never are.
  if (refund.status !== 'requires_action') {
    throw invalidRequest(`Refund ${refund.id} cannot be canceled because it has a status of ${refund.status}. Only a refund with a status of requires_action can be canceled.`, {
      param: 'refund',
    });
  }
  const before = snapshot(refund);
  refund.status = 'canceled';
  const charge = core.state.charges.get(refund.charge);
  if (charge) {
    charge.amount_refunded -= refund.amount;
    charge.refunded = false;
  }
  core.events.record('refund.updated', refund, previousAttributes(before, refund));
  return refund;
}

function list(core: Core, p: Params, chargeId?: string): unknown {
  allowOnly(p, LIST);
  const charge = chargeId ?? str(p, 'charge');
  const pi = str(p, 'payment_intent');
  const created = rangeFilter(p, 'created');
  return paginate(
    newestFirst(
      core.state.refunds.values(),
      (r) => (charge === undefined || r.charge === charge) && (pi === undefined || r.payment_intent === pi) && (created === null || created(r.created)),
    ),
    p,
    chargeId ? `/v1/charges/${chargeId}/refunds` : '/v1/refunds',
  );
}

export const refundRoutes: RouteDef[] = [
  ['POST', '/v1/refunds', createRefund],
  ['GET', '/v1/refunds', (core, p) => list(core, p)],
  ['GET', '/v1/refunds/:id', (core, p, [id]) => {
    allowOnly(p, paramSet());
    return getRefund(core, id as string);
  }],
  ['POST', '/v1/refunds/:id', update],
  ['POST', '/v1/refunds/:id/cancel', cancel],
  ['GET', '/v1/charges/:id/refunds', (core, p, [id]) => {
    if (!core.state.charges.has(id as string)) throw resourceMissing('charge', id as string);
    return list(core, p, id);
  }],
  ['POST', '/v1/charges/:id/refunds', (core, p, [id]) => createRefund(core, { ...p, charge: id as string })],
];
