export type RelayLogLevel = 'debug' | 'info' | 'warn' | 'error';
export type RelayLogger = Record<RelayLogLevel, (event: string, data?: Record<string, unknown>) => void>;

const ORDER: Record<RelayLogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Keys whose values never reach a log, whatever their content. */
const SECRET_KEYS = /secret|token|api_?key|authorization|signature|password/i;
/** Stripe keys, webhook secrets, relay tokens and bearer headers that slip into free text. */
const SECRET_TEXT = /\b(sk|rk|pk)_(test|live)_[A-Za-z0-9]+|\bwhsec_[A-Za-z0-9]+|\bkd[ra]_[A-Za-z0-9_-]+|\bBearer\s+[A-Za-z0-9._~+/-]+=*|postgres(ql)?:\/\/[^\s@]*@/g;

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
