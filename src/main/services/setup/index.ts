import type { Module } from '../../core/module';
import { createSetupService } from './setupService';
import type { SetupDeps } from './setupService';

export type { ModePreparation, SetupDeps, SetupService } from './setupService';
export { RESTRICTED_KEY_PERMISSIONS, keyMode } from './setupChecks';

/** First-run setup and later mode changes: keys checked against Stripe, relay checked by streaming, a database per mode. */
export function createSetupModule(deps: SetupDeps): Module {
  const setup = createSetupService(deps);
  return {
    name: 'setup',
    handlers: {
      'setup.state': () => setup.state(),
      'setup.checkStripeKey': (input, ctx) => setup.checkStripeKey(input.mode, input.stripeKey, ctx),
      'setup.checkRelay': (input, ctx) => setup.checkRelay(input.relayUrl, input.relayToken, ctx),
      'setup.check': (input, ctx) => setup.check(input, ctx),
      'setup.complete': (input, ctx) => setup.complete(input, ctx),
      'setup.skipToDemo': (_input, ctx) => setup.skipToDemo(ctx),
    },
  };
}
