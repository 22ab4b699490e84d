import { appendFileSync, chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { redact } from '../shared/redact';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Logger = Record<LogLevel, (event: string, data?: Record<string, unknown>) => void>;

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export { redact };

export type LoggerOptions = {
  /** JSON lines are appended here; omitted → no file. */
  file?: string;
  /** Also print warnings and errors to stderr (on by default). */
  console?: boolean;
  level?: LogLevel;
};

/** A small JSON-lines logger. Every record is redacted before it is written. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const min = ORDER[opts.level ?? 'info'];
  // Logs name customers and staff: the folder and file are the owner's only (where POSIX modes apply).
  if (opts.file) {
    mkdirSync(dirname(opts.file), { recursive: true, mode: 0o700 });
    if (process.platform !== 'win32') {
      chmodSync(dirname(opts.file), 0o700);
      if (existsSync(opts.file)) chmodSync(opts.file, 0o600);
    }
  }
  const write = (level: LogLevel, event: string, data?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    const line = JSON.stringify({ t: new Date().toISOString(), level, event, ...(redact(data ?? {}) as object) });
    if (opts.file) {
      try {
        appendFileSync(opts.file, line + '\n', { mode: 0o600 });
      } catch {
        // A full disk must not take the till down with it; stderr still gets warnings.
      }
    }
    if ((opts.console ?? true) && ORDER[level] >= ORDER.warn) process.stderr.write(line + '\n');
  };
  return {
    debug: (e, d) => write('debug', e, d),
    info: (e, d) => write('info', e, d),
    warn: (e, d) => write('warn', e, d),
    error: (e, d) => write('error', e, d),
  };
}

/** For tests: keeps records in memory so a test can assert what was logged. */
export function memoryLogger(): Logger & { records: { level: LogLevel; event: string; data: unknown }[] } {
  const records: { level: LogLevel; event: string; data: unknown }[] = [];
  const at = (level: LogLevel) => (event: string, data?: Record<string, unknown>) => {
    records.push({ level, event, data: redact(data ?? {}) });
  };
  return { records, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
