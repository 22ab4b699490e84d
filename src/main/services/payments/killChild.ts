// Test-only child process for checkoutKill.test.ts: runs one card checkout against the parent's
// emulator and SIGKILLs itself right after the step named in KILL_AT. Never imported by the app.
import { childEnv, killAtStep, openKillChild } from '../../testing/killChildKit';
import type { CheckoutStep } from './context';

const { b, clerk } = openKillChild({ payments: { readerPollMs: 10, readerTimeoutMs: 20_000, onStep: killAtStep<CheckoutStep>() } });
void (async () => {
  const started = await b.call(clerk, 'payments.startCard', { bookingId: childEnv('BOOKING_ID') });
  if (!started.ok) process.exit(4);
  const sim = await b.call(clerk, 'readers.simulate', { readerId: childEnv('READER_ID'), outcome: 'approve' });
  if (!sim.ok) process.exit(5);
  await new Promise((r) => setTimeout(r, 15_000));
  process.exit(6);
})();
