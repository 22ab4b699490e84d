// Test-only child process for depositKill.test.ts: settles one booking's deposit against the
// parent's emulator and SIGKILLs itself right after the step named in KILL_AT. Never imported by the app.
import { childEnv, killAtStep, openKillChild } from '../../testing/killChildKit';
import type { SettleStep } from './context';

const { b, clerk } = openKillChild({ deposits: { onStep: killAtStep<SettleStep>() } });
void (async () => {
  const out = await b.call(clerk, 'deposits.settle', { bookingId: childEnv('BOOKING_ID') });
  process.exit(out.ok ? 6 : 4);
})();
