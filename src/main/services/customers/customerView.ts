import type { Customer } from '../../../shared/contract/customers';
import type { CustomerRow } from './customersRepo';

export function toCustomer(r: CustomerRow): Customer {
  return {
    id: r.id,
    firstName: r.first_name,
    lastName: r.last_name,
    name: `${r.first_name} ${r.last_name}`,
    email: r.email,
    phone: r.phone,
    licenceNumber: r.licence_number,
    licenceExpiry: r.licence_expiry,
    dateOfBirth: r.date_of_birth,
    notes: r.notes,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
