import { join } from 'node:path';
import { createBackend } from './backend';
import { MIGRATIONS } from './db/migrations/index';
import { prepareDatabase } from './db/openApp';
import { createLogger } from './log';
import type { Backend, BackendOptions } from './backend';
import { startDemoStack } from './demo/demoStack';
import type { DemoEmulatorTuning, DemoStack } from './demo/demoStack';
import { demoEmulatorJob } from './demo/emulatorJob';
import type { Links } from './core/links';

export type MainApp = {
  backend: Backend;
  demo: DemoStack | null;
  close(): Promise<void>;
};

/**
 * Starts main for either transport: the backend, in demo mode the embedded emulator and relay
 * (linked in as this counter's Stripe and relay), then every module's background jobs. In test
 * and live mode the same jobs run; those without a configured link report why they are stopped.
 */
export async function startMainApp(opts: BackendOptions & { officeLinks?: Partial<Links>; demoEmulator?: DemoEmulatorTuning; demoJobEveryMs?: number }): Promise<MainApp> {
  // Inspect the file and back it up before a migration may change it (createBackend migrates).
  const dbPath = opts.dbPath ?? join(opts.dataDir, 'keydesk.sqlite');
  const log = opts.log ?? createLogger({ file: join(opts.dataDir, 'logs', 'main.log') });
  await prepareDatabase(dbPath, MIGRATIONS, log);
  let demo: DemoStack | null = null;
  // Demo mode reports its emulator's state file in app.status (the stack starts below, before the jobs).
  const demoJobs = (opts.mode ?? 'demo') === 'demo' ? [demoEmulatorJob({ stack: () => demo, log, everyMs: opts.demoJobEveryMs })] : [];
  const backend = createBackend({ ...opts, log, extraJobs: [...(opts.extraJobs ?? []), ...demoJobs] });
  const { links, jobs } = backend;

  if (backend.info().mode === 'demo') {
    try {
      demo = await startDemoStack({ dataDir: opts.dataDir, installId: backend.info().installId, log, emulator: opts.demoEmulator });
      links.set({ stripe: { ok: true, value: demo.stripe }, relay: { ok: true, value: { url: demo.relayUrl, token: demo.relayToken } } });
    } catch (err) {
      log.error('demo.stack_failed', { error: err instanceof Error ? err.message : String(err) });
      const why = 'The built-in demo Stripe could not start; see the log.';
      links.set({ stripe: { ok: false, why, failed: true }, relay: { ok: false, why, failed: true } });
    }
  }

  // Test and live mode: the Stripe key and relay token setup stored (read by the host from the secret store).
  if (backend.info().mode !== 'demo' && opts.officeLinks) links.set(opts.officeLinks);

  await jobs.start();

  return {
    backend,
    demo,
    async close() {
      await jobs.stop();
      await demo?.close();
      backend.close();
    },
  };
}
