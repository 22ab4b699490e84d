import type { PartialHandlerTable } from '../../core/handlers';
import type { CustomersService } from './customersService';

export function customersHandlers(customers: CustomersService): PartialHandlerTable {
  return {
    'customers.search': (input) => ({ customers: customers.search(input.query, input.limit) }),
    'customers.upsert': (input, ctx) => customers.upsert(input, ctx),
  };
}
