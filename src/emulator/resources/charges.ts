import type { Core } from '../core';
import { resourceMissing } from '../errors';
import { allowOnly, applyMetadata, nullableStr, PAGINATION, paramSet, str, type Params } from '../form';
import { newId, randomToken } from '../ids';
import { newestFirst, paginate, rangeFilter } from '../pagination';
import type { RouteDef } from '../router';
import { previousAttributes, snapshot } from '../snapshot';
import { EXTENSIBLE_BRANDS, type Decline } from '../testCards';
import type { Charge, PaymentIntent, PaymentMethod } from '../types';
import { createBalanceTransaction } from './balanceTransactions';
import { processingFee } from './common';
import { addRefund } from './refunds';

const DAY = 24 * 3600;
/** Default validity of an uncaptured authorization: 7 days online, 2 days in person; 30 days extended. */
export const HOLD_SECONDS = { card: 7 * DAY, card_present: 2 * DAY, extended: 30 * DAY } as const;

export type ReaderContext = { reader: string; location: string | null };

export function getCharge(core: Core, id: string): Charge {
  const c = core.state.charges.get(id);
  if (!c) throw resourceMissing('charge', id);
  return c;
}

function holdSeconds(pi: PaymentIntent, pm: PaymentMethod): { seconds: number; extended: boolean } {
  const brand = (pm.card ?? pm.card_present)?.brand ?? '';
  if (pm.type === 'card_present') {
    const extended = pi.payment_method_options.card_present?.request_extended_authorization === true && EXTENSIBLE_BRANDS.has(brand);
    return { seconds: extended ? HOLD_SECONDS.extended : HOLD_SECONDS.card_present, extended };
  }
  const extended = pi.payment_method_options.card?.request_extended_authorization === 'if_available' && EXTENSIBLE_BRANDS.has(brand);
  return { seconds: extended ? HOLD_SECONDS.extended : HOLD_SECONDS.card, extended };
}

export function incrementalSupported(pi: PaymentIntent, pm: PaymentMethod): boolean {
  if (pi.capture_method !== 'manual') return false;
  if (pm.type === 'card_present') {
    return pi.payment_method_options.card_present?.request_incremental_authorization_support === true && EXTENSIBLE_BRANDS.has(pm.card_present?.brand ?? '');
  }
  return pi.payment_method_options.card?.request_incremental_authorization === 'if_available' && EXTENSIBLE_BRANDS.has(pm.card?.brand ?? '');
}

function paymentMethodDetails(pi: PaymentIntent, pm: PaymentMethod, captureBefore: number | null, extended: boolean, via: ReaderContext | null): Charge['payment_method_details'] {
  const authorizationCode = String(100000 + Math.floor(Math.random() * 900000));
  const networkTxn = randomToken(15);
  if (pm.type === 'card_present' && pm.card_present) {
    const c = pm.card_present;
    const details: Record<string, unknown> = {
      amount_authorized: pi.amount,
      brand: c.brand,
      brand_product: null,
      ...(captureBefore !== null ? { capture_before: captureBefore } : {}),
      cardholder_name: null,
      country: c.country,
      description: null,
      emv_auth_data: '8A023030',
      exp_month: c.exp_month,
      exp_year: c.exp_year,
      fingerprint: c.fingerprint,
      funding: c.funding,
      generated_card: null,
      incremental_authorization_supported: incrementalSupported(pi, pm),
      issuer: null,
      last4: c.last4,
      ...(via ? { reader: via.reader, ...(via.location ? { location: via.location } : {}) } : {}),
      network: c.brand,
      network_transaction_id: networkTxn,
      offline: null,
      overcapture_supported: false,
      preferred_locales: ['en'],
      read_method: 'contact_emv',
      receipt: {
        account_type: c.funding === 'debit' ? 'checking' : 'credit',
        application_cryptogram: randomToken(16).toUpperCase(),
        application_preferred_name: `${c.brand.toUpperCase()} ${c.funding.toUpperCase()}`,
        authorization_code: authorizationCode,
        authorization_response_code: '3030',
        cardholder_verification_method: 'approval',
        dedicated_file_name: 'A0000000031010',
        terminal_verification_results: '0000000000',
        transaction_status_information: '0000',
      },
    };
    if (extended) details.extended_authorization = { status: 'enabled' };
    return { card_present: details, type: 'card_present' };
  }
  const c = pm.card as NonNullable<PaymentMethod['card']>;
  return {
    card: {
      amount_authorized: pi.amount,
      authorization_code: authorizationCode,
      brand: c.brand,
      ...(captureBefore !== null ? { capture_before: captureBefore } : {}),
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
      country: c.country,
      exp_month: c.exp_month,
      exp_year: c.exp_year,
      extended_authorization: { status: extended ? 'enabled' : 'disabled' },
      fingerprint: c.fingerprint,
      funding: c.funding,
      incremental_authorization: { status: incrementalSupported(pi, pm) ? 'available' : 'unavailable' },
      installments: null,
      last4: c.last4,
      mandate: null,
      multicapture: { status: 'unavailable' },
      network: c.brand,
      network_token: { used: false },
      network_transaction_id: networkTxn,
      overcapture: { maximum_amount_capturable: pi.amount, status: 'unavailable' },
      regulated_status: 'unregulated',
      three_d_secure: null,
      transaction_link_id: null,
      wallet: null,
    },
    type: 'card',
  };
}

/** A Charge for one attempt on a PaymentIntent: succeeded (captured or not) or failed with a decline. */
export function createCharge(core: Core, pi: PaymentIntent, pm: PaymentMethod, decline: Decline | null, via: ReaderContext | null): Charge {
  const now = core.now();
  const manual = pi.capture_method === 'manual';
  const hold = holdSeconds(pi, pm);
  const captureBefore = decline === null && manual ? now + hold.seconds : null;
  const id = newId('ch');
  const charge: Charge = {
    id,
    object: 'charge',
    amount: pi.amount,
    amount_captured: 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: null,
    billing_details: snapshot(pm.billing_details),
    calculated_statement_descriptor: pi.statement_descriptor ?? 'KEYDESK EMULATOR',
    captured: false,
    created: now,
    currency: pi.currency,
    customer: pi.customer,
    description: pi.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: decline?.code ?? null,
    failure_message: decline?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: { ...pi.metadata },
    on_behalf_of: null,
    outcome: decline
      ? {
          advice_code: null,
          network_advice_code: null,
          network_decline_code: null,
          network_status: 'declined_by_network',
          reason: decline.decline_code,
          risk_level: 'normal',
          risk_score: 20,
          seller_message: 'The bank did not return any further details with this decline.',
          type: 'issuer_declined',
        }
      : {
          advice_code: null,
          network_advice_code: null,
          network_decline_code: null,
          network_status: 'approved_by_network',
          reason: null,
          risk_level: 'normal',
          risk_score: 20,
          seller_message: 'Payment complete.',
          type: 'authorized',
        },
    paid: decline === null,
    payment_intent: pi.id,
    payment_method: pm.id,
    payment_method_details: paymentMethodDetails(pi, pm, captureBefore, hold.extended, via),
    receipt_email: pi.receipt_email,
    receipt_number: null,
    receipt_url: `${core.baseUrl}/receipts/${id}`,
    refunded: false,
    refunds: { object: 'list', data: [], has_more: false, total_count: 0, url: `/v1/charges/${id}/refunds` },
    review: null,
    shipping: pi.shipping ?? null,
    source: null,
    source_transfer: null,
    statement_descriptor: pi.statement_descriptor,
    statement_descriptor_suffix: pi.statement_descriptor_suffix,
    status: decline ? 'failed' : 'succeeded',
    transfer_data: null,
    transfer_group: pi.transfer_group,
  };
  core.state.charges.set(id, charge);
  if (captureBefore !== null) {
    core.state.holds.set(pi.id, captureBefore);
    core.noteDeadline(captureBefore);
  }
  return charge;
}

/** Moves `amount` into the balance (fee and net on a balance transaction); any rest is released. */
export function captureCharge(core: Core, charge: Charge, amount: number): void {
  const type = charge.payment_method_details.type;
  const txn = createBalanceTransaction(core, {
    amount,
    fee: processingFee(amount, type),
    currency: charge.currency,
    source: charge.id,
    type: 'charge',
    description: charge.description,
  });
  charge.captured = true;
  charge.amount_captured = amount;
  charge.balance_transaction = txn.id;
  const rest = charge.amount - amount;
  if (rest > 0) addRefund(core, charge, rest, { moneyMoves: false, status: 'succeeded' });
}

/** Releases an uncaptured authorization in full (PaymentIntent cancelled or expired). */
export function releaseCharge(core: Core, charge: Charge): void {
  if (charge.captured || charge.status !== 'succeeded' || charge.refunded) return;
  addRefund(core, charge, charge.amount - charge.amount_refunded, { moneyMoves: false, status: 'succeeded' });
}

const UPDATE = paramSet('customer', 'description', 'fraud_details', 'metadata', 'receipt_email', 'shipping', 'transfer_group');
const LIST = paramSet('created', 'customer', 'payment_intent', 'transfer_group', ...PAGINATION);

function update(core: Core, p: Params, [id]: string[]): Charge {
  allowOnly(p, UPDATE);
  const charge = getCharge(core, id as string);
  const before = snapshot(charge);
  const metadata = applyMetadata(charge.metadata, p);
  if (metadata) charge.metadata = metadata;
  for (const key of ['description', 'receipt_email', 'transfer_group'] as const) {
    const v = nullableStr(p, key);
    if (v !== undefined) charge[key] = v;
  }
  const prev = previousAttributes(before, charge);
  if (Object.keys(prev).length > 0) core.events.record('charge.updated', charge, prev);
  return charge;
}

function list(core: Core, p: Params): unknown {
  allowOnly(p, LIST);
  const customer = str(p, 'customer');
  const pi = str(p, 'payment_intent');
  const created = rangeFilter(p, 'created');
  return paginate(
    newestFirst(
      core.state.charges.values(),
      (c) => (customer === undefined || c.customer === customer) && (pi === undefined || c.payment_intent === pi) && (created === null || created(c.created)),
    ),
    p,
    '/v1/charges',
  );
}

export const chargeRoutes: RouteDef[] = [
  ['GET', '/v1/charges', list],
  ['GET', '/v1/charges/:id', (core, p, [id]) => {
    allowOnly(p, paramSet());
    return getCharge(core, id as string);
  }],
  ['POST', '/v1/charges/:id', update],
];
