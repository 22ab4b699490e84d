import type { Job, ModuleWithApi } from '../../core/module';
import { createCustomerRecords } from './customerRecords';
import type { CustomerRecordsDeps } from './customerRecords';
import { customersHandlers } from './customersHandlers';
import { createCustomersService } from './customersService';
import type { CustomersDeps, CustomersService } from './customersService';

export type { CustomersService } from './customersService';
// Bookings and the demo seed read customer rows; narrow to an api when customers grows.
export { createCustomersRepo } from './customersRepo';
export type { CustomerRow } from './customersRepo';
export { toCustomer } from './customerView';

/** Customers: their details, licences and search; merging and erasing records. */
export function createCustomersModule(deps: CustomersDeps & Omit<CustomerRecordsDeps, keyof CustomersDeps>): ModuleWithApi<CustomersService> {
  const customers = createCustomersService(deps);
  const records = createCustomerRecords(deps);
  // At start: finishes what an erasure interrupted by a crash left outside the database.
  const erasureJob: Job = {
    name: 'customers.erasure',
    start(report) {
      void records.finishErasures().then(
        ({ left }) => report(left > 0 ? 'degraded' : 'ok', left > 0 ? `${left} file(s) or backup(s) of erased customers could not be cleared yet; Keydesk retries at the next erasure and start.` : undefined),
        () => report('degraded', 'Clearing files of erased customers failed; Keydesk retries at the next erasure and start.'),
      );
    },
    stop() {},
  };
  return { name: 'customers', handlers: customersHandlers(customers, records), jobs: [erasureJob], api: customers };
}
