import type { RefundState } from '../../../../shared/contract/refunds';

export const STATE_LABEL: Record<RefundState, string> = {
  queued: 'Queued',
  sending: 'Sending',
  pending: 'Pending at Stripe',
  succeeded: 'Refunded',
  failed: 'Failed',
  canceled: 'Cancelled',
};

export const METHOD_LABEL = { card: 'To the card', cash: 'Cash from the drawer', release: 'Hold released' } as const;
