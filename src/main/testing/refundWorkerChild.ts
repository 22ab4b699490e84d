// Test-only child process for the kill test (refundsFaults.test.ts): a till that only runs the
// refund worker against the parent's emulator, until the parent kills it (or 30 s pass).
import { createBackend } from '../backend';
import { memoryLogger } from '../log';

const b = createBackend({
  dataDir: process.env.KD_DIR ?? '.',
  dbPath: process.env.KD_DB ?? ':memory:',
  version: 'test',
  transport: 'http',
  log: memoryLogger(),
  demoSeed: false,
  outbox: { perSecond: 100, backoff: { initialMs: 5_000, maxMs: 5_000, factor: 1 } },
});
b.refunds.connect({ apiKey: process.env.KD_EMU_KEY ?? '', host: '127.0.0.1', port: Number(process.env.KD_EMU_PORT), protocol: 'http' });
for (const j of b.refunds.jobs) void j.start((health, detail) => process.stdout.write(`job ${health} ${detail ?? ''}\n`));
setTimeout(() => process.exit(3), 30_000);
