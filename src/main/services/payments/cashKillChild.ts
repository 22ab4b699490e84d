// Test-only child process for cashKill.attack.test.ts: takes 1-cent cash payments on one booking
// as fast as it can, printing a line after each, until the parent SIGKILLs it. Never imported by the app.
import { createBackend } from '../../backend';
import { memoryLogger } from '../../log';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const b = createBackend({ dataDir: env('DATA_DIR'), dbPath: env('DB_PATH'), version: 'kill-test', transport: 'http', log: memoryLogger(), demoSeed: { full: false } });
const clerk = { role: 'clerk' as const, staffId: env('STAFF_ID'), transport: 'internal' as const };
// Bounded: the parent's kill never coming must not leave a process behind.
setTimeout(() => process.exit(3), 20_000).unref();
void (async () => {
  for (let i = 0; i < 5_000; i++) {
    const res = await b.call(clerk, 'payments.cash', { bookingId: env('BOOKING_ID'), amount: 1, tendered: 1 });
    if (!res.ok) process.exit(4);
    process.stdout.write(`${i}\n`);
  }
  process.exit(5);
})();
