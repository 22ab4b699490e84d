import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Backend } from './backend';
import { installLastResort } from './lastResort';
import { startMainApp } from './startApp';
import type { MainApp } from './startApp';
import { startHttpTransport } from './rpc/httpTransport';
import type { HttpTransport } from './rpc/httpTransport';
import { APP_VERSION } from './version';

export type Harness = { app: MainApp; backend: Backend; http: HttpTransport; close(): Promise<void> };

export type HarnessOptions = {
  dataDir: string;
  rendererDir?: string;
  port?: number;
  token?: string;
};

/** Main's services served over loopback HTTP: what `npm start` falls back to without Electron. */
export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  const app = await startMainApp({ dataDir: opts.dataDir, version: APP_VERSION, transport: 'http' });
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
  try {
    harness = await startHarness({ dataDir, rendererDir, port });
  } catch (err) {
    process.stderr.write(`Keydesk could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  // A background write that fails (full disk) is logged; the counter keeps serving.
  installLastResort(process, harness.backend.log);
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
