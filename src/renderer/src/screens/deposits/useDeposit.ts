import { useCallback, useEffect, useState } from 'react';
import type { DepositView } from '../../../../shared/contract/deposits';
import { call, on } from '../../rpc/client';

/** A booking's deposit from main, reloaded whenever its payments change (holds and links are payments). */
export function useDeposit(bookingId: string, bookingVersion = 0): { data: DepositView | null; error: string | null; reload: () => Promise<void>; set: (v: DepositView) => void } {
  const [data, setData] = useState<DepositView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    const r = await call('deposits.forBooking', { bookingId });
    if (r.ok) {
      setData(r.value);
      setError(null);
    } else setError(r.error.message);
  }, [bookingId]);
  useEffect(() => {
    const off1 = on('payments.changed', (p) => {
      if (p.bookingId === bookingId) void reload();
    });
    const off2 = on('bookings.changed', ({ ids }) => {
      if (ids.includes(bookingId)) void reload();
    });
    return () => {
      off1();
      off2();
    };
  }, [bookingId, reload]);
  useEffect(() => {
    void reload();
  }, [bookingVersion, reload]);
  return { data, error, reload, set: setData };
}
