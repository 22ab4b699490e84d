import { create } from 'zustand';
import type { QueueStatus, RefundView } from '../../../../shared/contract/refunds';
import { call, on } from '../../rpc/client';

export type RefundFilter = 'open' | 'attention' | 'all';

type RefundsState = {
  queue: QueueStatus | null;
  refunds: RefundView[];
  filter: RefundFilter;
  error: string | null;
  /** Bumped on every change main announces, so a booking's refund list reloads too. */
  changes: number;
  load(filter?: RefundFilter): Promise<void>;
  subscribe(): () => void;
};

let listeners = 0;
let off: (() => void) | null = null;

/** The refund queue as main reports it: online or not, how many wait, and the refunds list. */
export const useRefunds = create<RefundsState>((set, get) => ({
  queue: null,
  refunds: [],
  filter: 'all',
  error: null,
  changes: 0,
  async load(filter = get().filter) {
    set({ filter });
    const res = await call('refunds.list', { filter, limit: 200 });
    if (res.ok) set({ refunds: res.value.refunds, queue: res.value.queue, error: null });
    else set({ error: res.error.message });
  },
  subscribe() {
    listeners++;
    if (!off) {
      off = on('refunds.changed', (p) => {
        // Only the queue figures here; open lists reload on `changes` (the title bar must stay cheap).
        set((s) => ({ queue: p.queue, changes: s.changes + 1 }));
      });
      void call('refunds.queueStatus', {}).then((r) => r.ok && set({ queue: r.value }));
    }
    return () => {
      listeners--;
      if (listeners === 0 && off) {
        off();
        off = null;
      }
    };
  },
}));
