import type { Customer } from '../../../shared/contract/customers';
import { PosError } from '../../../shared/errors';
import type { Db } from '../../db/connection';
import { appendAudit } from '../../core/audit';
import type { CallContext } from '../../core/handlers';
import { badInput } from '../../core/errors';
import { toCustomer } from './customerView';
import { createCustomersRepo } from './customersRepo';
import type { CustomerRow } from './customersRepo';

/**
 * Merging duplicate customers and erasing one on request (issue 15). Both run in one transaction
 * with their audit row. Erasure replaces personal data in place: bookings, quotes and payments
 * keep their rows and amounts (money records are append-only), and now name "Erased customer".
 */
export type CustomerRecords = {
  merge(input: { keepId: string; mergeId: string }, ctx: Actor): { customer: Customer; bookingsMoved: number };
  erase(input: { id: string; reason: string }, ctx: Actor): { customer: Customer; bookingsKept: number };
};

type Actor = Pick<CallContext, 'staffId' | 'role'>;

/** What an erased record holds: fixed values, so nothing about the person can be read back. */
const ERASED = {
  first_name: 'Erased',
  last_name: 'customer',
  email: '',
  phone: '000000',
  licence_number: 'ERASED',
  licence_expiry: '1900-01-01',
  date_of_birth: '1900-01-01',
  notes: '',
};

export function createCustomerRecords(deps: { db: Db; installId: string; now: () => Date }): CustomerRecords {
  const { db, installId, now } = deps;
  const repo = createCustomersRepo(db);
  const moveBookings = db.prepare<{ from: string; to: string; at: string }>(
    'UPDATE bookings SET customer_id = @to, version = version + 1, updated_at = @at WHERE customer_id = @from',
  );
  const markMerged = db.prepare<{ id: string; into: string; at: string }>(
    'UPDATE customers SET merged_into = @into, version = version + 1, updated_at = @at WHERE id = @id',
  );
  const openBookings = db.prepare<[string], { ref: string; status: string }>(
    "SELECT ref, status FROM bookings WHERE customer_id = ? AND status IN ('reserved', 'checked_out') ORDER BY pickup_at",
  );
  const bookingCount = db.prepare<[string], number>('SELECT count(*) FROM bookings WHERE customer_id = ?');
  const erase = db.prepare(
    `UPDATE customers SET first_name = @first_name, last_name = @last_name, email = @email, phone = @phone, licence_number = @licence_number,
       licence_expiry = @licence_expiry, date_of_birth = @date_of_birth, notes = @notes, erased_at = @at, version = version + 1, updated_at = @at
     WHERE id = @id`,
  );
  // Free text on the customer's bookings and their extra drivers may name them too.
  const clearBookingNotes = db.prepare<{ id: string; at: string }>(
    "UPDATE bookings SET notes = '', version = version + 1, updated_at = @at WHERE customer_id = @id AND notes != ''",
  );
  const eraseDrivers = db.prepare<{ id: string; at: string }>(
    `UPDATE booking_drivers SET name = 'Erased driver', licence_number = 'ERASED', licence_expiry = '1900-01-01', date_of_birth = '1900-01-01',
       version = version + 1, updated_at = @at
     WHERE booking_id IN (SELECT id FROM bookings WHERE customer_id = @id)`,
  );

  function live(id: string, field: string): CustomerRow {
    const c = repo.get(id);
    if (!c) throw badInput(field, 'No customer with this id; they may have been removed. Search again.');
    if (c.merged_into) throw badInput(field, `${c.first_name} ${c.last_name} was already merged into another record`);
    if (c.erased_at) throw badInput(field, 'This customer was erased on request');
    return c;
  }

  return {
    merge(input, ctx) {
      return db.transaction(() => {
        const keep = live(input.keepId, 'keepId');
        const gone = live(input.mergeId, 'mergeId');
        const at = now().toISOString();
        const moved = moveBookings.run({ from: gone.id, to: keep.id, at }).changes;
        markMerged.run({ id: gone.id, into: keep.id, at });
        appendAudit(db, installId, {
          actorId: ctx.staffId, actorRole: ctx.role, action: 'customer.merge', entityType: 'customer', entityId: keep.id,
          after: { mergedId: gone.id, bookingsMoved: moved },
        });
        return { customer: toCustomer(repo.get(keep.id) as CustomerRow), bookingsMoved: moved };
      })();
    },

    erase(input, ctx) {
      return db.transaction(() => {
        const c = live(input.id, 'id');
        const open = openBookings.all(c.id);
        const out = open.filter((b) => b.status === 'checked_out');
        if (out.length > 0) {
          throw new PosError('conflict', `${c.first_name} ${c.last_name} has a vehicle out on ${out.map((b) => b.ref).join(', ')}; check it in and settle it before erasing their data.`, {
            fields: { id: 'Has an open rental' },
          });
        }
        if (open.length > 0) {
          throw new PosError('conflict', `${c.first_name} ${c.last_name} has ${open.length} reservation(s) ahead (${open.map((b) => b.ref).join(', ')}); cancel them before erasing their data.`, {
            fields: { id: 'Has reservations ahead' },
          });
        }
        const at = now().toISOString();
        erase.run({ id: c.id, at, ...ERASED });
        clearBookingNotes.run({ id: c.id, at });
        eraseDrivers.run({ id: c.id, at });
        // The audit row records that and why, never what was erased.
        appendAudit(db, installId, { actorId: ctx.staffId, actorRole: ctx.role, action: 'customer.erase', entityType: 'customer', entityId: c.id, after: { reason: input.reason } });
        return { customer: toCustomer(repo.get(c.id) as CustomerRow), bookingsKept: bookingCount.pluck().get(c.id) ?? 0 };
      })();
    },
  };
}
