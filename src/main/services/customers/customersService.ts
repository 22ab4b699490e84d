import { newId } from '../../core/ids';
import type { Customer, CustomerUpsert } from '../../../shared/contract/customers';
import type { customerUpsertSchema } from '../../../shared/contract/customers';
import type { z } from 'zod';
import type { Db } from '../../db/connection';
import type { CallContext } from '../../core/handlers';
import { appendAudit } from '../../core/audit';
import { badInput, notFound, staleVersion } from '../../core/errors';
import { localDate } from '../../core/shopTime';
import { buildFtsQuery } from '../search/index';
import { toCustomer } from './customerView';
import { createCustomersRepo } from './customersRepo';
import type { CustomerRow } from './customersRepo';

export type ParsedCustomerUpsert = z.output<typeof customerUpsertSchema>;

export type CustomersService = {
  search(query: string, limit: number): Customer[];
  get(id: string): Customer;
  upsert(input: ParsedCustomerUpsert | CustomerUpsert, ctx: Pick<CallContext, 'staffId' | 'role'>): Customer;
};

export type CustomersDeps = { db: Db; installId: string; now: () => Date; timeZone: () => string };

export function createCustomersService(deps: CustomersDeps): CustomersService {
  const { db, installId, now } = deps;
  const repo = createCustomersRepo(db);

  function search(query: string, limit: number): Customer[] {
    const match = buildFtsQuery(query, { refColumn: false });
    if (match === null) return repo.recent(limit).map(toCustomer);
    return repo.search(match, limit).map(toCustomer);
  }

  function get(id: string): Customer {
    const row = repo.get(id);
    if (!row) throw notFound('That customer');
    return toCustomer(row);
  }

  function upsert(raw: ParsedCustomerUpsert | CustomerUpsert, ctx: Pick<CallContext, 'staffId' | 'role'>): Customer {
    const input = raw as ParsedCustomerUpsert;
    const today = localDate(now().getTime(), deps.timeZone());
    if (input.dateOfBirth >= today) throw badInput('dateOfBirth', 'Date of birth must be in the past');
    if (input.dateOfBirth < '1900-01-01') throw badInput('dateOfBirth', 'Date of birth is too long ago; check the year');
    return db.transaction(() => {
      const at = now().toISOString();
      const fields = {
        first_name: input.firstName,
        last_name: input.lastName,
        email: input.email ?? '',
        phone: input.phone,
        licence_number: input.licenceNumber.toUpperCase(),
        licence_expiry: input.licenceExpiry,
        date_of_birth: input.dateOfBirth,
        notes: input.notes ?? '',
      };
      if (input.id === undefined) {
        const row: CustomerRow = { id: newId(), ...fields, install_id: installId, version: 1, created_at: at, updated_at: at };
        repo.insert(row);
        // The details are personal data: kept beside the audit chain, so an erasure can forget them.
        appendAudit(db, installId, { actorId: ctx.staffId, actorRole: ctx.role, action: 'customer.create', entityType: 'customer', entityId: row.id, personal: [{ subjectId: row.id, after: fields }] });
        return toCustomer(repo.get(row.id) as CustomerRow);
      }
      const before = repo.get(input.id);
      if (!before) throw badInput('id', 'No customer with this id; it may have been removed');
      if (before.erased_at || before.merged_into) throw badInput('id', before.erased_at ? 'This customer was erased on request; add a new record if they come back' : 'This record was merged into another; edit that one');
      staleVersion(`${before.first_name} ${before.last_name}`, input.expectedVersion, before.version);
      const changed = (Object.keys(fields) as (keyof typeof fields)[]).filter((k) => before[k] !== fields[k]);
      if (changed.length === 0) return toCustomer(before);
      repo.update({ ...before, ...fields, updated_at: at });
      appendAudit(db, installId, {
        actorId: ctx.staffId,
        actorRole: ctx.role,
        action: 'customer.update',
        entityType: 'customer',
        entityId: before.id,
        after: { changed },
        personal: [{ subjectId: before.id, before: Object.fromEntries(changed.map((k) => [k, before[k]])), after: Object.fromEntries(changed.map((k) => [k, fields[k]])) }],
      });
      return toCustomer(repo.get(before.id) as CustomerRow);
      // Write-locking from the start: an erasure at another counter commits first or waits, never in between the read and the write.
    }).immediate();
  }

  return { search, get, upsert };
}
