import type { Customer } from '../../../shared/contract/customers';
import { PosError } from '../../../shared/errors';
import type { Db } from '../../db/connection';
import { appendAudit, erasePersonalAudit } from '../../core/audit';
import type { Logger } from '../../log';
import type { CallContext } from '../../core/handlers';
import { badInput } from '../../core/errors';
import { toCustomer } from './customerView';
import { createCustomersRepo } from './customersRepo';
import type { CustomerRow } from './customersRepo';
import { createErasureFinisher, queueErasure, scrubLogs, scrubText, signatureRefsOf } from './erasureStorage';

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Merging duplicate customers and erasing one on request (issue 15). Both run in one
 * write-locking transaction with their audit row. Erasure replaces personal data in place (the
 * record and every record merged into it, their bookings' notes and extra drivers), forgets
 * their personal payloads in the audit (the chain still verifies, see core/audit.ts), and
 * merges the search indexes; bookings, quotes and payments keep their rows and amounts (money
 * records are append-only) and now name "Erased customer". Files and backups that hold the
 * person are cleared after the commit (erasureStorage.ts), retried until done.
 */
export type CustomerRecords = {
  merge(input: { keepId: string; mergeId: string }, ctx: Actor): { customer: Customer; bookingsMoved: number };
  erase(input: { id: string; reason: string }, ctx: Actor): Promise<{ customer: Customer; bookingsKept: number }>;
  /** Works off what earlier erasures left to do outside the database (files, backups, the WAL). */
  finishErasures(): Promise<{ left: number }>;
};

export type CustomerRecordsDeps = {
  db: Db;
  installId: string;
  now: () => Date;
  /** Where signatures, logs and (beside the database) backups live; null in some tests. */
  dataDir?: string | null;
  dbPath?: string;
  log?: Logger;
  /** Other capabilities' copies of the person on these bookings (Stripe's stored events), forgotten in the erase transaction. */
  forgetElsewhere?: (bookingIds: string[]) => number;
  /** Tests: fail between the erase transaction and the clean-up outside the database. */
  faults?: { afterEraseCommit?: () => void };
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

export function createCustomerRecords(deps: CustomerRecordsDeps): CustomerRecords {
  const { db, installId, now } = deps;
  const dataDir = deps.dataDir ?? null;
  const finisher = createErasureFinisher(db, { dataDir, dbPath: deps.dbPath ?? ':memory:', log: deps.log ?? silent, now });
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

  /** The customer and every record merged into them (the same person), for an erasure. */
  const mergedChain = db.prepare<[string], string>(
    'WITH RECURSIVE m(id) AS (SELECT ? UNION SELECT c.id FROM customers c JOIN m ON c.merged_into = m.id) SELECT id FROM m',
  );
  const subjectsOf = (id: string): string[] => mergedChain.pluck().all(id);
  const bookingsOf = db.prepare<[string], string>('SELECT id FROM bookings WHERE customer_id = ?').pluck();
  const driversOf = db.prepare<[string], { name: string; licence_number: string }>(
    'SELECT d.name, d.licence_number FROM booking_drivers d JOIN bookings b ON b.id = d.booking_id WHERE b.customer_id = ?',
  );

  /** What the logs may say about these people: names, contact details, licence numbers, also of their extra drivers. */
  function termsOf(ids: readonly string[]): string[] {
    return ids.flatMap((id) => {
      const c = repo.get(id);
      if (!c || c.erased_at) return [];
      const names = [`${c.first_name} ${c.last_name}`, c.first_name, c.last_name].filter((n) => n.length >= 4);
      return [...names, c.email, c.phone, c.licence_number, c.notes, ...driversOf.all(id).flatMap((d) => [d.name, d.licence_number])];
    });
  }

  function erasable(id: string): CustomerRow {
    const c = live(id, 'id');
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
      }).immediate();
    },

    async erase(input, ctx) {
      // Refusals first (a rental out, reservations ahead), before anything is touched.
      const first = erasable(input.id);
      // The log files are cleaned while it is still known what to look for (see erasureStorage).
      const terms = termsOf(subjectsOf(first.id));
      scrubLogs(dataDir, terms);
      let lateTerms: string[] = [];
      const done = db
        .transaction(() => {
          const c = erasable(input.id);
          const ids = subjectsOf(c.id);
          // Details changed at another counter since the logs were cleaned (kept in memory only).
          const now_ = termsOf(ids);
          lateTerms = now_.filter((t) => !terms.includes(t));
          // The reason stays in the chain for good: it must not name the person it erases.
          const reason = scrubText(input.reason, now_);
          const bookingIds = ids.flatMap((id) => bookingsOf.all(id));
          const refs = signatureRefsOf(db, dataDir, bookingIds);
          const at = now().toISOString();
          for (const id of ids) {
            erase.run({ id, at, ...ERASED });
            clearBookingNotes.run({ id, at });
            eraseDrivers.run({ id, at });
            queueErasure(db, c.id, 'backups', id, at);
          }
          for (const ref of refs) queueErasure(db, c.id, 'file', ref, at);
          const forgotten = erasePersonalAudit(db, ids);
          const stripeEvents = deps.forgetElsewhere?.(bookingIds) ?? 0;
          // Search indexes keep old terms in older segments until merged: merge them now.
          db.exec("INSERT INTO customers_fts (customers_fts) VALUES ('optimize'); INSERT INTO bookings_fts (bookings_fts) VALUES ('optimize');");
          // The audit row records that and why, never what was erased.
          appendAudit(db, installId, {
            actorId: ctx.staffId, actorRole: ctx.role, action: 'customer.erase', entityType: 'customer', entityId: c.id,
            after: { reason, records: ids.length, auditEntriesForgotten: forgotten, files: refs.length, stripeEvents },
          });
          return { customer: toCustomer(repo.get(c.id) as CustomerRow), bookingsKept: bookingCount.pluck().get(c.id) ?? 0 };
        })
        .immediate();
      if (lateTerms.length > 0) scrubLogs(dataDir, lateTerms);
      deps.faults?.afterEraseCommit?.();
      await finisher.finish();
      return done;
    },

    finishErasures: () => finisher.finish(),
  };
}
