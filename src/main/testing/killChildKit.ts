// Test-only: what the kill tests' child processes share (checkoutKill, depositKill). The child
// opens the parent's database and emulator from its environment, SIGKILLs itself right after the
// step named in KILL_AT, and exits by itself if that step never comes. Never imported by the app.
import { createBackend } from '../backend';
import type { BackendOptions } from '../backend';
import { memoryLogger } from '../log';
import { createStripeAccess } from '../stripe/stripeGateway';

export const childEnv = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

/** A step hook that kills this process right after the step named in KILL_AT. */
export function killAtStep<S extends string>(): (step: S) => void {
  const killAt = childEnv('KILL_AT');
  return (step) => {
    if (step === killAt) process.kill(process.pid, 'SIGKILL');
  };
}

/** The child's backend on the parent's files and emulator, and a clerk to call it as. */
export function openKillChild(extra: Pick<BackendOptions, 'payments' | 'deposits'>) {
  const access = createStripeAccess();
  access.set({ apiKey: childEnv('EMU_KEY'), host: '127.0.0.1', port: Number(childEnv('EMU_PORT')), protocol: 'http' }, { backoff: { initialMs: 5, maxMs: 40, factor: 2 } });
  const b = createBackend({
    dataDir: childEnv('DATA_DIR'),
    dbPath: childEnv('DB_PATH'),
    version: 'kill-test',
    transport: 'http',
    log: memoryLogger(),
    demoSeed: { full: false },
    stripe: access,
    ...extra,
  });
  const clerk = { role: 'clerk' as const, staffId: childEnv('STAFF_ID'), transport: 'internal' as const };
  // Bounded: a step that never comes must not leave a process behind.
  setTimeout(() => process.exit(3), 20_000).unref();
  return { b, clerk };
}
