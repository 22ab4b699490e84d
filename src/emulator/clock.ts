/**
 * Emulator time: the base clock (real time unless a test injects one) plus an offset that
 * only ever grows, so holds, session expiry and idempotency-key expiry can be tested without
 * waiting. Stripe timestamps are unix seconds.
 */
export class Clock {
  private offsetMs = 0;

  constructor(private readonly base: () => number = Date.now) {}

  nowMs(): number {
    return this.base() + this.offsetMs;
  }

  nowSec(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  get offsetSeconds(): number {
    return this.offsetMs / 1000;
  }

  advance(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError('The clock only moves forward: seconds must be a finite number >= 0');
    this.offsetMs += Math.round(seconds * 1000);
  }

  restore(offsetSeconds: number): void {
    this.offsetMs = Math.max(0, Math.round(offsetSeconds * 1000));
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
