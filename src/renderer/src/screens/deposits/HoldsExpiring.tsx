import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { expiringHoldSchema } from '../../../../shared/contract/deposits';
import { showMoney } from '../../format/money';
import { showDateTime } from '../../format/time';
import { useShop } from '../../lib/useShop';
import { call, on } from '../../rpc/client';
import { useApp } from '../../stores/appStore';

type Expiring = z.infer<typeof expiringHoldSchema>;

/** For managers: deposit holds that lapse before their vehicle is due back, or that Stripe already let go. */
export function HoldsExpiring({ onOpen }: { onOpen: (bookingId: string) => void }) {
  const shop = useShop();
  const manager = useApp((s) => s.session?.role === 'manager');
  const [rows, setRows] = useState<Expiring[] | null>(null);
  useEffect(() => {
    if (!manager) return;
    const load = () => void call('deposits.expiring', {}).then((r) => r.ok && setRows(r.value));
    load();
    return on('payments.changed', load);
  }, [manager]);
  if (!manager || !rows || rows.length === 0) return null;
  const when = (at: string) => showDateTime(at, shop.timeZone, shop.locale);
  return (
    <section aria-labelledby="holds-expiring" className="holds-expiring">
      <h2 id="holds-expiring">Deposit holds expiring before return</h2>
      <table>
        <thead>
          <tr><th scope="col">Booking</th><th scope="col">Customer</th><th scope="col">Hold</th><th scope="col">Hold ends</th><th scope="col">Due back</th><th scope="col"><span className="visually-hidden">Open</span></th></tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.hold.paymentId}>
              <td>{r.bookingRef} · {r.plate}</td>
              <td>{r.customerName}</td>
              <td>{showMoney(r.hold.authorized, shop.locale)}</td>
              <td>{r.hold.state === 'expired' ? <strong>Expired</strong> : r.hold.captureBefore ? when(r.hold.captureBefore) : '—'}</td>
              <td>{when(r.returnAt)}</td>
              <td><button type="button" onClick={() => onOpen(r.bookingId)}>Open {r.bookingRef}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
