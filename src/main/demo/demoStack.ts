import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../../emulator/server';
import type { Emulator, EmulatorOptions } from '../../emulator/server';
import { startRelay } from '../../relay/server';
import type { RunningRelay } from '../../relay/server';
import { openSqliteStore } from '../../relay/store/sqlite';
import { hashToken, newToken } from '../../relay/tokens';
import type { Logger } from '../log';
import { createStripeClient } from '../stripe/gateway';
import type { StripeEndpoint } from '../stripe/gateway';
import { freePort } from './freePort';

export type DemoStack = {
  stripe: StripeEndpoint;
  relayUrl: string;
  relayToken: string;
  emulator: Emulator;
  relay: RunningRelay;
  close(): Promise<void>;
};

/**
 * Demo mode's whole chain on loopback, offline: the Stripe emulator (state kept in the data
 * folder, so demo payments survive a restart), and an embedded relay that the emulator sends
 * signed webhooks to and this till streams from — the same code paths as an office install.
 */
/** Tests inject a failing disk for the emulator's state file and shorten its retries. */
export type DemoEmulatorTuning = Pick<EmulatorOptions, 'stateIo' | 'saveRetryDelaysMs'>;

export async function startDemoStack(opts: { dataDir: string; installId: string; log: Logger; emulator?: DemoEmulatorTuning }): Promise<DemoStack> {
  const dir = join(opts.dataDir, 'demo');
  // The relay token and the demo payments live here: this user only (narrowed if made wider before).
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  // KEYDESK_DEMO_EMULATOR_PORT pins the port so screen tests can switch the emulator's faults (network down) on and off.
  const pinned = Number(process.env.KEYDESK_DEMO_EMULATOR_PORT ?? 0);
  const emulator = await startEmulator({ statePath: join(dir, 'stripe-emulator.json'), port: Number.isInteger(pinned) && pinned > 0 ? pinned : undefined, ...opts.emulator });
  const stripe: StripeEndpoint = { apiKey: emulator.apiKey, ...emulator.stripeOptions };
  try {
    // The relay's address must be known before the webhook endpoint that points at it.
    const port = await freePort();
    const client = createStripeClient(stripe, { maxNetworkRetries: 0 });
    for (const old of (await client.webhookEndpoints.list({ limit: 100 })).data) await client.webhookEndpoints.del(old.id);
    const endpoint = await client.webhookEndpoints.create({ url: `http://127.0.0.1:${port}/stripe/webhook`, enabled_events: ['*'] });
    if (!endpoint.secret) throw new Error('the emulator gave no webhook secret');

    // The token is kept beside the relay's database: the relay stores only its hash.
    const tokenFile = join(dir, 'relay-token');
    const dbPath = join(dir, 'relay.sqlite');
    if (!existsSync(tokenFile)) for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) rmSync(f, { force: true });
    const store = openSqliteStore({ path: dbPath });
    let token = existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : '';
    if (!token || !(await store.getInstall(opts.installId))) {
      token = newToken('install');
      await store.addInstall({ id: opts.installId, name: 'This counter (demo)', locationId: null, tokenHash: hashToken(token), now: Date.now() });
      writeFileSync(tokenFile, token, { mode: 0o600 });
    }
    const relay = await startRelay({ store, webhookSecrets: [endpoint.secret], port, closeStore: true, backfill: { stripe: client, everyMs: 60_000 } });
    opts.log.info('demo.stack_started', { emulator: emulator.url, relay: relay.url });
    return {
      stripe,
      relayUrl: relay.url,
      relayToken: token,
      emulator,
      relay,
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
