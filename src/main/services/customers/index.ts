import type { ModuleWithApi } from '../../core/module';
import { createCustomerRecords } from './customerRecords';
import { customersHandlers } from './customersHandlers';
import { createCustomersService } from './customersService';
import type { CustomersDeps, CustomersService } from './customersService';

export type { CustomersService } from './customersService';
// Bookings and the demo seed read customer rows; narrow to an api when customers grows.
export { createCustomersRepo } from './customersRepo';
export type { CustomerRow } from './customersRepo';
export { toCustomer } from './customerView';

/** Customers: their details, licences and search. */
export function createCustomersModule(deps: CustomersDeps): ModuleWithApi<CustomersService> {
  const customers = createCustomersService(deps);
  return { name: 'customers', handlers: customersHandlers(customers, createCustomerRecords(deps)), api: customers };
}
