export { createRefundsModule } from './refundsModule';
export type { RefundsApi, RefundsModuleDeps } from './refundsModule';
