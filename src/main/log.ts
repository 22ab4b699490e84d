import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Logger = Record<LogLevel, (event: string, data?: Record<string, unknown>) => void>;

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Keys whose values never reach a log, whatever their content. */
const SECRET_KEYS = /pin|password|secret|token|api_?key|authorization|signature/i;
/** Stripe keys, webhook secrets and bearer tokens that slip into free text. */
const SECRET_TEXT = /\b(sk|rk|pk)_(test|live)_[A-Za-z0-9]+|\bwhsec_[A-Za-z0-9]+|\bBearer\s+[A-Za-z0-9._~+/-]+=*/g;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[deep]';
  if (typeof value === 'string') return value.replace(SECRET_TEXT, '[redacted]');
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : redact(v, depth + 1);
    return out;
  }
  return value;
}

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
  if (opts.file) mkdirSync(dirname(opts.file), { recursive: true });
  const write = (level: LogLevel, event: string, data?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    const line = JSON.stringify({ t: new Date().toISOString(), level, event, ...(redact(data ?? {}) as object) });
    if (opts.file) {
      try {
        appendFileSync(opts.file, line + '\n');
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
