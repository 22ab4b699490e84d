import type { Core } from '../core';
import { resourceMissing } from '../errors';
import { allowOnly, PAGINATION, paramSet, str, type Params } from '../form';
import { newId } from '../ids';
import { newestFirst, paginate, rangeFilter } from '../pagination';
import type { RouteDef } from '../router';
import type { BalanceTransaction } from '../types';

/** Funds become available two days after the transaction (Stripe's US standard schedule). */
const AVAILABLE_AFTER_SECONDS = 2 * 24 * 3600;

export function createBalanceTransaction(
  core: Core,
  input: { amount: number; fee: number; currency: string; source: string; type: BalanceTransaction['type']; description: string | null },
): BalanceTransaction {
  const now = core.now();
  const txn: BalanceTransaction = {
    id: newId('txn'),
    object: 'balance_transaction',
    amount: input.amount,
    available_on: now + AVAILABLE_AFTER_SECONDS,
    balance_type: 'payments',
    created: now,
    currency: input.currency,
    description: input.description,
    exchange_rate: null,
    fee: input.fee,
    fee_details: input.fee === 0 ? [] : [{ amount: input.fee, application: null, currency: input.currency, description: 'Stripe processing fees', type: 'stripe_fee' }],
    net: input.amount - input.fee,
    reporting_category: input.type,
    source: input.source,
    status: 'pending',
    type: input.type,
  };
  core.state.balanceTransactions.set(txn.id, txn);
  return txn;
}

/** Status follows the clock, so advancing it makes funds available. */
export function refreshBalanceTransaction(core: Core, txn: BalanceTransaction): BalanceTransaction {
  if (txn.status === 'pending' && core.now() >= txn.available_on) txn.status = 'available';
  return txn;
}

const LIST = paramSet('created', 'currency', 'payout', 'source', 'type', ...PAGINATION);

export const balanceTransactionRoutes: RouteDef[] = [
  ['GET', '/v1/balance_transactions', (core, p: Params) => {
    allowOnly(p, LIST);
    const created = rangeFilter(p, 'created');
    const type = str(p, 'type');
    const source = str(p, 'source');
    const currency = str(p, 'currency');
    const items = newestFirst(
      core.state.balanceTransactions.values(),
      (t) =>
        (created === null || created(t.created)) &&
        (type === undefined || t.type === type) &&
        (source === undefined || t.source === source) &&
        (currency === undefined || t.currency === currency),
    );
    for (const t of items) refreshBalanceTransaction(core, t);
    return paginate(items, p, '/v1/balance_transactions');
  }],
  ['GET', '/v1/balance_transactions/:id', (core, p, [id]) => {
    allowOnly(p, paramSet());
    const txn = core.state.balanceTransactions.get(id as string);
    if (!txn) throw resourceMissing('balance transaction', id as string);
    return refreshBalanceTransaction(core, txn);
  }],
];
