import Stripe from 'stripe';
import { startEmulator, type Emulator, type EmulatorOptions } from './server';

/** For tests: an emulator on a free loopback port and a real stripe client pointed at it. */
export type EmulatorHarness = { emulator: Emulator; stripe: Stripe; close(): Promise<void> };

export async function startHarness(opts: EmulatorOptions = {}, client: Partial<Stripe.StripeConfig> = {}): Promise<EmulatorHarness> {
  const emulator = await startEmulator(opts);
  const stripe = new Stripe(emulator.apiKey, { ...emulator.stripeOptions, maxNetworkRetries: 0, telemetry: false, ...client });
  return { emulator, stripe, close: () => emulator.close() };
}

/** Awaits a promise expected to reject with a Stripe error and returns that error. */
export async function stripeError(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof Stripe.errors.StripeError) return err;
    throw err;
  }
  throw new Error('Expected the call to fail with a Stripe error, but it succeeded');
}
