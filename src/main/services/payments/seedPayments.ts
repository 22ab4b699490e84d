import type { Db } from '../../db/connection';
import { idempotencyKey } from '../../stripe/stripeGateway';

/**
 * The demo seed's prepaid bookings: real payment rows (cash taken at pickup, before this till
 * existed), written by the payments capability's SQL so the seed holds none of its own.
 * No shift and no cash movement: the money predates the till's first shift.
 */
export function createSeedPaymentWriter(db: Db, installId: string) {
  const insert = db.prepare(
    `INSERT INTO payments (id, booking_id, kind, method, status, amount, amount_captured, currency, idempotency_key, created_by, install_id, version, created_at, updated_at)
     VALUES (@id, @bookingId, 'charge', 'cash', 'succeeded', @amount, @amount, @currency, @key, NULL, @installId, 1, @at, @at)`,
  );
  return (p: { id: string; bookingId: string; amount: number; currency: string; at: string }): void => {
    if (p.amount <= 0) return;
    insert.run({ ...p, key: idempotencyKey(p.id, 'seed'), installId });
  };
}
