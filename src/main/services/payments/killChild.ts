// Test-only child process for checkoutKill.test.ts: runs one card checkout against the parent's
// emulator and SIGKILLs itself right after the step named in KILL_AT. Never imported by the app.
import { createBackend } from '../../backend';
import { memoryLogger } from '../../log';
import { createStripeAccess } from '../../stripe/stripeGateway';
import type { CheckoutStep } from './context';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const killAt = env('KILL_AT') as CheckoutStep;
const access = createStripeAccess();
access.set({ apiKey: env('EMU_KEY'), host: '127.0.0.1', port: Number(env('EMU_PORT')), protocol: 'http' }, { backoff: { initialMs: 5, maxMs: 40, factor: 2 } });
const b = createBackend({
  dataDir: env('DATA_DIR'),
  dbPath: env('DB_PATH'),
  version: 'kill-test',
  transport: 'http',
  log: memoryLogger(),
  demoSeed: { full: false },
  stripe: access,
  payments: {
    readerPollMs: 10,
    readerTimeoutMs: 20_000,
    onStep: (step) => {
      if (step === killAt) process.kill(process.pid, 'SIGKILL');
    },
  },
});
const clerk = { role: 'clerk' as const, staffId: env('STAFF_ID'), transport: 'internal' as const };
// Bounded: a step that never comes must not leave a process behind.
setTimeout(() => process.exit(3), 20_000).unref();
void (async () => {
  const started = await b.call(clerk, 'payments.startCard', { bookingId: env('BOOKING_ID') });
  if (!started.ok) process.exit(4);
  const sim = await b.call(clerk, 'readers.simulate', { readerId: env('READER_ID'), outcome: 'approve' });
  if (!sim.ok) process.exit(5);
  await new Promise((r) => setTimeout(r, 15_000));
  process.exit(6);
})();
