import type { z } from 'zod';
import { appEvents, appMethods } from './contract/app';
import { bookingsEvents, bookingsMethods } from './contract/bookings';
import { counterMethods } from './contract/counter';
import { customerMethods } from './contract/customers';
import { discountMethods } from './contract/discounts';
import { databaseMethods } from './contract/database';
import { depositMethods } from './contract/deposits';
import { fleetMethods } from './contract/fleet';
import { locationAdminMethods } from './contract/locations';
import { paymentEvents, paymentMethods } from './contract/payments';
import { photosMethods } from './contract/photos';
import { pricingMethods } from './contract/pricing';
import { rateCardAdminMethods } from './contract/rateCardAdmin';
import { refundsEvents, refundsMethods } from './contract/refunds';
import { searchMethods } from './contract/search';
import { settingsEvents, settingsMethods } from './contract/settings';
import { setupMethods } from './contract/setup';
import { staffMethods } from './contract/staff';
import { staffAdminMethods } from './contract/staffAdmin';

/**
 * The one contract between renderer and main. Each capability keeps its methods in
 * `contract/<capability>.ts`; this table joins them. Anything not listed here is rejected.
 */
export const contract = {
  ...appMethods,
  ...settingsMethods,
  ...staffMethods,
  ...staffAdminMethods,
  ...fleetMethods,
  ...locationAdminMethods,
  ...customerMethods,
  ...pricingMethods,
  ...rateCardAdminMethods,
  ...counterMethods,
  ...searchMethods,
  ...bookingsMethods,
  ...discountMethods,
  ...databaseMethods,
  ...paymentMethods,
  ...refundsMethods,
  ...depositMethods,
  ...setupMethods,
  ...photosMethods,
} as const;

/** Events main pushes to the renderer (`pos.on`). */
export const events = {
  ...appEvents,
  ...settingsEvents,
  ...bookingsEvents,
  ...paymentEvents,
  ...refundsEvents,
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type Input<M extends MethodName> = z.input<Contract[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type Output<M extends MethodName> = z.output<Contract[M]['output']>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
