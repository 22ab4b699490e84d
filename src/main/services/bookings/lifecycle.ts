/** The end of a booking: cancel, no-show, close. */
import type { BookingDetail } from '../../../shared/contract/bookings';
import { PosError } from '../../../shared/errors';
import type { CurrencyCode } from '../../../shared/money';
import { formatMoney } from '../../../shared/money';
import { staleVersion } from '../../core/errors';
import type { BookingRow } from './bookingsRepo';
import type { BookingContext, Ctx } from './bookingContext';

export function createLifecycle(k: BookingContext, get: (id: string) => BookingDetail) {
  const { db, now, repo, shop, fmt, load, requireStatus, audit, saveUpdate } = k;

  function endReservation(kind: 'cancel' | 'no_show', input: { id: string; expectedVersion?: number | undefined; reason: string }, ctx: Ctx): BookingDetail {
    const at = now();
    const before = load(input.id);
    staleVersion(before.ref, input.expectedVersion, before.version);
    requireStatus(before, ['reserved'], kind === 'cancel' ? 'cancelled' : 'marked a no-show');
    if (kind === 'no_show' && at.toISOString() < before.pickup_at) {
      throw new PosError('conflict', `${before.ref} is due at ${fmt(before.pickup_at)}; it can be marked a no-show only after its pickup time.`);
    }
    const next: BookingRow = {
      ...before,
      status: kind === 'cancel' ? 'cancelled' : 'no_show',
      cancelled_at: at.toISOString(),
      cancelled_by: ctx.staffId,
      cancel_reason: input.reason,
      updated_at: at.toISOString(),
    };
    db.transaction(() => {
      saveUpdate(next);
      audit(kind === 'cancel' ? 'booking.cancel' : 'booking.no_show', ctx, next, { status: before.status }, { status: next.status, reason: input.reason }, at);
    })();
    return get(before.id);
  }

  function close(input: { id: string; expectedVersion?: number | undefined }, ctx: Ctx): BookingDetail {
    const at = now();
    const before = load(input.id);
    staleVersion(before.ref, input.expectedVersion, before.version);
    requireStatus(before, ['returned'], 'closed');
    const { paid, refunded } = repo.money(before.id);
    const due = before.total - paid + refunded;
    if (due > 0) {
      const owed = formatMoney({ amount: due, currency: before.currency as CurrencyCode }, shop().locale);
      throw new PosError('conflict', `${owed} is still due on ${before.ref}. Take the payment before closing it.`);
    }
    const next: BookingRow = { ...before, status: 'closed', closed_at: at.toISOString(), updated_at: at.toISOString() };
    db.transaction(() => {
      saveUpdate(next);
      audit('booking.close', ctx, next, { status: before.status }, { status: next.status }, at);
    })();
    return get(before.id);
  }

  return { endReservation, close };
}
