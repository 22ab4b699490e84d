import type { PartialHandlerTable } from '../../core/handlers';
import type { CustomerRecords } from './customerRecords';
import type { CustomersService } from './customersService';

export function customersHandlers(customers: CustomersService, records: CustomerRecords): PartialHandlerTable {
  return {
    'customers.search': (input) => ({ customers: customers.search(input.query, input.limit) }),
    'customers.upsert': (input, ctx) => customers.upsert(input, ctx),
    'customers.merge': (input, ctx) => records.merge(input, ctx),
    'customers.erase': (input, ctx) => records.erase(input, ctx),
  };
}
