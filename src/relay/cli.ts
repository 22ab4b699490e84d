import { pathToFileURL } from 'node:url';
import { ADMIN_USAGE, runAdminCommand } from './admin';
import { createBackfillClient, type BackfillClient } from './backfill';
import { loadRelayConfig, RelayConfigError } from './config';
import { createRelayLogger } from './log';
import { openRelayStore } from './openStore';
import { startRelay } from './server';

/** Starts the relay and keeps it running until SIGTERM/SIGINT. */
async function serve(env: NodeJS.ProcessEnv): Promise<number | null> {
  const config = loadRelayConfig(env);
  const logger = createRelayLogger(config.logLevel);
  const store = await openRelayStore(config, logger);
  let stripe: BackfillClient | null = null;
  if (config.stripe) {
    if (/^sk_/.test(config.stripe.key)) logger.warn('relay.config.unrestricted_key', { hint: 'use a restricted key (rk_…) with read access to Events only' });
    stripe = createBackfillClient(config.stripe);
  }
  const relay = await startRelay({
    store,
    closeStore: true,
    webhookSecrets: config.webhookSecrets,
    host: config.host,
    port: config.port,
    bodyLimit: config.bodyLimit,
    heartbeatMs: config.heartbeatMs,
    maxUnacked: config.maxUnacked,
    retentionMs: config.retentionDays * 86_400_000,
    backfill: stripe ? { stripe, everyMs: config.backfillEverySec * 1000 } : null,
    logger,
    adminHosts: config.adminHosts,
    limits: { perAddress: config.maxConnectionsPerAddress, bodiesPerAddress: config.maxBodiesPerAddress },
    ...(config.ingestInFlight !== null && { ingestInFlight: config.ingestInFlight }),
    ...(config.ingestWaitMs !== null && { ingestWaitMs: config.ingestWaitMs }),
    ...(config.ingestConcurrentAt !== null && { ingestConcurrentAt: config.ingestConcurrentAt }),
  });
  // One line on stdout that scripts and tests can wait for.
  process.stdout.write(`relay listening on ${relay.url} (${store.kind})\n`);
  if (stripe) void relay.backfillNow().catch(() => {}); // catch up at once after a restart; failures are logged and retried by the timer
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1); // a second signal: the operator wants out now
    stopping = true;
    logger.info('relay.stopping', { signal });
    relay.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return null;
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number | null> {
  const [cmd] = argv;
  try {
    if (cmd === undefined || cmd === 'serve') return await serve(env);
    if (cmd === 'help' || cmd === '--help' || cmd === '-h') {
      process.stdout.write(ADMIN_USAGE + '\n');
      return 0;
    }
    const config = loadRelayConfig(env, { requireSecrets: false });
    const store = await openRelayStore(config);
    try {
      return await runAdminCommand(store, argv, { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') });
    } finally {
      await store.close();
    }
  } catch (err) {
    if (err instanceof RelayConfigError) {
      process.stderr.write(err.message + '\n');
      return 2;
    }
    process.stderr.write(`relay: ${(err as Error).message}\n`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main(process.argv.slice(2), process.env).then((code) => {
    if (code !== null) process.exit(code);
  });
}
