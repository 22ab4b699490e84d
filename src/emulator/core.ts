import type { Clock } from './clock';
import type { EventLog } from './events';
import { createState, type State } from './state';

export type CoreConfig = {
  /** Seconds (emulator time) a refund on the refund_fail test card stays pending before failing. */
  refundFailureDelaySeconds: number;
};

/** What every resource handler works on: the state, the clock and the event log. */
export class Core {
  state: State = createState();
  baseUrl = 'http://127.0.0.1';
  /** Earliest unix time at which a hold, a session or a pending refund is due; Infinity if none. */
  nextDeadline = Infinity;
  onDeadline: (() => void) | null = null;

  constructor(
    readonly clock: Clock,
    readonly events: EventLog,
    readonly config: CoreConfig,
  ) {}

  now(): number {
    return this.clock.nowSec();
  }

  noteDeadline(at: number): void {
    if (at < this.nextDeadline) {
      this.nextDeadline = at;
      this.onDeadline?.();
    }
  }
}
