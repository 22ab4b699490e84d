import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Backend } from './backend';
import { startAppHost } from './appHost';
import type { AppHost } from './appHost';
import { plainFileSecretStore } from './secrets/secretStore';
import { installLastResort } from './lastResort';
import { createMainErrorTally } from './mainErrors';
import type { Job } from './core/module';
import { startHttpTransport } from './rpc/httpTransport';
import type { HttpTransport } from './rpc/httpTransport';
import { APP_VERSION } from './version';

export type Harness = { app: AppHost; backend: Backend; http: HttpTransport; close(): Promise<void> };

export type HarnessOptions = {
  dataDir: string;
  rendererDir?: string;
  port?: number;
  token?: string;
  argv?: readonly string[];
  /** Open setup on a first run, as the desktop app does (`KEYDESK_SETUP_ON_FIRST_RUN=1`). */
  offerSetupOnFirstRun?: boolean;
  /** Test harness only (`KEYDESK_HARNESS_STRIPE_URL`, loopback only): test mode's Stripe calls go to the emulator. */
  stripeOverride?: { host: string; port: number; protocol: 'http' };
  /** Host jobs shown in app.status (main.errors). */
  extraJobs?: readonly Job[];
};

/**
 * The emulator address for test mode, from the environment; honoured only by this HTTP harness
 * and only on loopback, so it can never send a real key anywhere but this computer.
 */
export function harnessStripeOverride(raw: string | undefined): HarnessOptions['stripeOverride'] {
  if (!raw) return undefined;
  const u = new URL(raw);
  if (u.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) throw new Error('KEYDESK_HARNESS_STRIPE_URL must be a loopback http address (the emulator).');
  return { host: u.hostname, port: Number(u.port), protocol: 'http' };
}

/** Main's services served over loopback HTTP: what `npm start` falls back to without Electron. */
export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  // No Electron, so no OS keychain: keys live in a file only this user can read (setup says so).
  const app = await startAppHost({
    dataDir: opts.dataDir,
    version: APP_VERSION,
    transport: 'http',
    argv: opts.argv,
    openSecrets: async () => plainFileSecretStore(join(opts.dataDir, 'secrets.json')),
    stripeOverride: opts.stripeOverride,
    offerSetupOnFirstRun: opts.offerSetupOnFirstRun ?? false,
    extraJobs: opts.extraJobs,
  });
  const { backend } = app;
  let http: HttpTransport;
  try {
    http = await startHttpTransport({ backend, rendererDir: opts.rendererDir, port: opts.port, token: opts.token });
  } catch (err) {
    await app.close();
    throw err;
  }
  return {
    app,
    backend,
    http,
    async close() {
      await http.close();
      await app.close();
    },
  };
}

function defaultRendererDir(): string {
  // Built layout: out/main/harness.js beside out/renderer/.
  return resolve(dirname(fileURLToPath(import.meta.url)), '../renderer');
}

async function main(): Promise<void> {
  const dataDir = resolve(process.env.KEYDESK_DATA_DIR ?? join(process.cwd(), '.data', 'demo'));
  const rendererDir = process.env.KEYDESK_RENDERER_DIR ?? defaultRendererDir();
  if (!existsSync(join(rendererDir, 'index.html'))) {
    process.stderr.write(`Keydesk: no built screens in ${rendererDir}. Run "npm run build" first.\n`);
    process.exit(1);
  }
  const port = process.env.KEYDESK_PORT ? Number(process.env.KEYDESK_PORT) : 0;
  let harness: Harness;
  const mainErrors = createMainErrorTally();
  try {
    harness = await startHarness({ extraJobs: [mainErrors.job], dataDir, rendererDir, port, argv: process.env.KEYDESK_MANAGED_CONFIG ? [...process.argv, `--managed-config=${process.env.KEYDESK_MANAGED_CONFIG}`] : process.argv, offerSetupOnFirstRun: process.env.KEYDESK_SETUP_ON_FIRST_RUN === '1', stripeOverride: harnessStripeOverride(process.env.KEYDESK_HARNESS_STRIPE_URL) });
  } catch (err) {
    process.stderr.write(`Keydesk could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  // A background write that fails (full disk) is logged; the counter keeps serving.
  installLastResort(process, harness.backend.log, mainErrors.record);
  const info = harness.backend.info();
  process.stdout.write(`Keydesk ${info.version} (${info.mode} mode) is running.\n`);
  process.stdout.write(`Open: ${harness.http.launchUrl}\n`);
  process.stdout.write(`Data: ${info.dbPath}\n`);
  process.stdout.write('Press Ctrl+C to stop.\n');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\nStopping Keydesk (${signal})…\n`);
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    harness.close().then(
      () => {
        process.stdout.write('Keydesk stopped.\n');
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void main();
