/**
 * The one polling helper for tests (main, relay, emulator, bench): polls until `pred` holds and
 * fails with `what` after `ms`. Bounded, like every test loop; `ms` is a ceiling for a loaded
 * machine, never a measurement.
 */
export async function waitFor(pred: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await pred()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}
