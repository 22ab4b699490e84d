import type { HoldState } from '../../../../shared/contract/deposits';

/** What a clerk reads for each state of a deposit hold. */
export const HOLD_LABEL: Record<HoldState, string> = {
  pending: 'Waiting for the card',
  held: 'Held',
  capturing: 'Capturing…',
  releasing: 'Releasing…',
  captured: 'Captured',
  released: 'Released',
  expired: 'Expired',
  failed: 'Declined',
  canceled: 'Cancelled',
};
