import Stripe from 'stripe';

export type StripeEndpoint = {
  apiKey: string;
  /** Set only for the emulator (demo mode, tests): the real client is pointed at loopback. */
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
};

/**
 * The only `new Stripe(...)` in main. Explicit retries and timeout: a counter must not hang for
 * stripe-node's 80 s default while a customer waits.
 */
export function createStripeClient(endpoint: StripeEndpoint, opts: { timeoutMs?: number; maxNetworkRetries?: number } = {}): Stripe {
  return new Stripe(endpoint.apiKey, {
    host: endpoint.host,
    port: endpoint.port,
    protocol: endpoint.protocol,
    timeout: opts.timeoutMs ?? 15_000,
    maxNetworkRetries: opts.maxNetworkRetries ?? 2,
    telemetry: false,
  });
}

/** A cheap authenticated call: true when Stripe (or the emulator) answers with this key. */
export async function pingStripe(client: Stripe): Promise<boolean> {
  try {
    await client.events.list({ limit: 1 }, { maxNetworkRetries: 0, timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}
