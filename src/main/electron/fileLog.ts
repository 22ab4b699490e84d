import elog from 'electron-log/main';
import { join } from 'node:path';
import { redact } from '../../shared/redact';
import type { Logger } from '../log';

/**
 * The desktop app's log: electron-log writing `<dataDir>/logs/main.log`, rotated at 5 MB to
 * main.old.log. Every message is redacted by a hook first, including what electron-updater
 * logs, so keys, tokens and PINs never reach the file or the console.
 */
export function createFileLog(dataDir: string): Logger {
  elog.transports.file.resolvePathFn = () => join(dataDir, 'logs', 'main.log');
  elog.transports.file.maxSize = 5 * 1024 * 1024;
  elog.transports.console.level = 'warn';
  elog.hooks.push((message) => ({ ...message, data: message.data.map((d: unknown) => redact(d)) }));
  // Uncaught errors go through main's last resort (lastResort.ts) into this log; no crash reporter uploads anything.
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (event: string, data?: Record<string, unknown>) => elog[level](event, data ?? {});
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export { elog };
