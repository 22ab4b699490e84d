import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../emulator/server';
import type { Emulator } from '../../emulator/server';
import { startRelay } from '../../relay/server';
import type { RunningRelay } from '../../relay/server';
import { openSqliteStore } from '../../relay/store/sqlite';
import { hashToken, newToken } from '../../relay/tokens';
import { createStripeClient } from '../stripe/gateway';

/**
 * What an office install talks to, for tests: the emulator standing in for Stripe (test mode)
 * and an office relay with one install token issued, as `npm run relay -- install add` would.
 */
export type OfficeStack = {
  emulator: Emulator;
  /** Test mode's Stripe calls go here instead of api.stripe.com (the harness-only override). */
  stripeOverride: { host: string; port: number; protocol: 'http' };
  apiKey: string;
  /** A stripe client on the emulator, as the office's dashboard would be. */
  stripe(): ReturnType<typeof createStripeClient>;
  relay: RunningRelay;
  relayUrl: string;
  relayToken: string;
  /** Issues a token for another install, as `npm run relay -- install add` does. */
  addInstall(id: string): Promise<string>;
  close(): Promise<void>;
};

export async function startOfficeStack(): Promise<OfficeStack> {
  const emulator = await startEmulator({});
  const stripeOverride = { host: emulator.stripeOptions.host, port: emulator.stripeOptions.port, protocol: 'http' as const };
  try {
    const client = createStripeClient({ apiKey: emulator.apiKey, ...stripeOverride }, { maxNetworkRetries: 0 });
    // Webhooks need the relay's address, so the relay's port is taken first.
    const store = openSqliteStore({ path: join(mkdtempSync(join(tmpdir(), 'kd-office-')), 'relay.sqlite') });
    const relayToken = newToken('install');
    await store.addInstall({ id: 'office-counter-1', name: 'Counter 1', locationId: null, tokenHash: hashToken(relayToken), now: Date.now() });
    const endpoint = await client.webhookEndpoints.create({ url: 'http://127.0.0.1:9/stripe/webhook', enabled_events: ['*'] });
    const relay = await startRelay({ store, webhookSecrets: [endpoint.secret ?? ''], port: 0, closeStore: true });
    await client.webhookEndpoints.update(endpoint.id, { url: `${relay.url}/stripe/webhook` });
    return {
      emulator,
      stripeOverride,
      apiKey: emulator.apiKey,
      stripe: () => client,
      relay,
      relayUrl: relay.url,
      relayToken,
      async addInstall(id) {
        const token = newToken('install');
        await store.addInstall({ id, name: id, locationId: null, tokenHash: hashToken(token), now: Date.now() });
        return token;
      },
      async close() {
        await relay.close();
        await emulator.close();
      },
    };
  } catch (err) {
    await emulator.close();
    throw err;
  }
}
