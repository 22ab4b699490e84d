import { redact } from '../shared/redact';

export type RelayLogLevel = 'debug' | 'info' | 'warn' | 'error';
export type RelayLogger = Record<RelayLogLevel, (event: string, data?: Record<string, unknown>) => void>;

const ORDER: Record<RelayLogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export { redact };

/** JSON lines on stdout (info and below) and stderr (warnings and errors), redacted. */
export function createRelayLogger(level: RelayLogLevel = 'info', sink?: (line: string, level: RelayLogLevel) => void): RelayLogger {
  const min = ORDER[level];
  const write = (lvl: RelayLogLevel, event: string, data?: Record<string, unknown>) => {
    if (ORDER[lvl] < min) return;
    const line = JSON.stringify({ t: new Date().toISOString(), level: lvl, event, ...(redact(data ?? {}) as object) });
    if (sink) sink(line, lvl);
    else (ORDER[lvl] >= ORDER.warn ? process.stderr : process.stdout).write(line + '\n');
  };
  return {
    debug: (e, d) => write('debug', e, d),
    info: (e, d) => write('info', e, d),
    warn: (e, d) => write('warn', e, d),
    error: (e, d) => write('error', e, d),
  };
}

export type LogRecord = { level: RelayLogLevel; event: string; data: Record<string, unknown> };

/** For tests: keeps redacted records in memory so a test can assert what was logged. */
export function memoryRelayLogger(): RelayLogger & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  const at = (level: RelayLogLevel) => (event: string, data?: Record<string, unknown>) => {
    records.push({ level, event, data: redact(data ?? {}) as Record<string, unknown> });
  };
  return { records, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A silent logger for benchmarks and tests that do not look at logs. */
export const silentRelayLogger: RelayLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
