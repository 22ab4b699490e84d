import { nodeSnapshotIo, writeSnapshot, type Snapshot, type SnapshotIo } from './persist';

/** What the app shows in `app.status` about the emulator's state file. */
export type StateFileHealth = {
  path: string | null;
  /** False while the last write failed (the previous good file is still in place). */
  ok: boolean;
  /** Unix ms of the last successful write, or null. */
  lastSavedAt: number | null;
  /** Failures in a row since the last success. */
  failures: number;
  lastError: { code: string; message: string; at: number } | null;
  /** Unix ms when the next attempt is due, or null when nothing is waiting. */
  nextAttemptAt: number | null;
};

export type StateSaverOptions = {
  debounceMs: number;
  /** Waits between attempts after failures; the last one repeats. */
  retryDelaysMs: readonly number[];
  io?: SnapshotIo;
  log?: (line: string) => void;
};

/**
 * Saves the snapshot shortly after changes, from a timer. A background write must never take the
 * process down: a full disk or an I/O error is caught, logged, kept in `health()`, and retried
 * later with backoff; changes made meanwhile are in the next attempt.
 */
export class StateSaver {
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly status: StateFileHealth;

  constructor(
    private readonly path: string | null,
    private readonly build: () => Snapshot,
    private readonly opts: StateSaverOptions,
  ) {
    this.status = { path, ok: true, lastSavedAt: null, failures: 0, lastError: null, nextAttemptAt: null };
  }

  /** A change happened: save soon (a pending attempt, debounce or retry, already covers it). */
  changed(): void {
    if (!this.path || this.timer || this.closed) return;
    this.arm(this.opts.debounceMs);
  }

  /** Writes now; true when the file on disk now holds the current state. Never throws. */
  saveNow(): boolean {
    this.disarm();
    if (!this.path) return true;
    try {
      writeSnapshot(this.path, this.build(), this.opts.io ?? nodeSnapshotIo);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const code = typeof e.code === 'string' ? e.code : e instanceof Error ? e.name : 'Error';
      const message = e instanceof Error ? e.message : String(err);
      this.status.ok = false;
      this.status.failures++;
      this.status.lastError = { code, message, at: Date.now() };
      const delays = this.opts.retryDelaysMs;
      const wait = delays[Math.min(this.status.failures - 1, delays.length - 1)] ?? 60_000;
      (this.opts.log ?? defaultLog)(
        `[emulator] state file ${this.path} not saved (${code}: ${message}); the previous file is kept; next attempt in ${Math.round(wait / 1000)} s`,
      );
      if (!this.closed) this.arm(wait);
      return false;
    }
    this.status.ok = true;
    this.status.failures = 0;
    this.status.lastSavedAt = Date.now();
    return true;
  }

  health(): StateFileHealth {
    return { ...this.status, lastError: this.status.lastError ? { ...this.status.lastError } : null };
  }

  /** One last attempt (its failure is reported, not thrown), then no more timers. */
  close(): boolean {
    if (this.closed) return this.status.ok;
    this.closed = true;
    return this.saveNow();
  }

  private arm(ms: number): void {
    this.status.nextAttemptAt = Date.now() + ms;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.saveNow();
    }, ms);
    this.timer.unref();
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.status.nextAttemptAt = null;
  }
}

function defaultLog(line: string): void {
  process.stderr.write(`${line}\n`);
}
