import type { Logger } from './log';

type ProcessLike = {
  on(event: 'uncaughtException', listener: (err: Error, origin: string) => void): unknown;
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  off(event: 'uncaughtException', listener: (err: Error, origin: string) => void): unknown;
  off(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
};

/** At most this many full records a minute; beyond that only a count, so a hot loop cannot fill the disk. */
const LOG_PER_MINUTE = 20;

/**
 * Main's last resort: an error that escaped every handler (a background write on a full disk,
 * a timer that threw) is logged and the till keeps serving. Every rpc call already answers
 * through dispatch, and every SQLite write is a transaction that either committed or rolled
 * back, so an escaped error leaves nothing half-saved for the next call to trip over.
 * `onError` lets the caller show it (e.g. in app.status). Returns the uninstaller.
 */
export function installLastResort(proc: ProcessLike, log: Logger, onError?: (summary: string) => void): () => void {
  let windowStart = 0;
  let inWindow = 0;
  let suppressed = 0;

  function record(kind: 'uncaught_exception' | 'unhandled_rejection', err: unknown, origin?: string): void {
    try {
      const now = Date.now();
      if (now - windowStart > 60_000) {
        if (suppressed > 0) log.error('main.errors_suppressed', { count: suppressed });
        windowStart = now;
        inWindow = 0;
        suppressed = 0;
      }
      inWindow++;
      const message = err instanceof Error ? err.message : String(err);
      if (inWindow <= LOG_PER_MINUTE) {
        log.error(`main.${kind}`, { origin, code: (err as { code?: unknown } | null)?.code, error: err instanceof Error ? (err.stack ?? message) : message });
      } else suppressed++;
      onError?.(message);
    } catch {
      // The logger itself failed (disk gone): there is nothing safer left to do than carry on.
    }
  }

  const onException = (err: Error, origin: string) => record('uncaught_exception', err, origin);
  const onRejection = (reason: unknown) => record('unhandled_rejection', reason);
  proc.on('uncaughtException', onException);
  proc.on('unhandledRejection', onRejection);
  return () => {
    proc.off('uncaughtException', onException);
    proc.off('unhandledRejection', onRejection);
  };
}
