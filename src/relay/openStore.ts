import { join } from 'node:path';
import type { RelayConfig } from './config';
import type { RelayLogger } from './log';
import { openPostgresStore } from './store/postgres';
import { openSqliteStore } from './store/sqlite';
import type { RelayStore } from './store/types';

/** PostgreSQL when RELAY_DATABASE_URL is set (several instances), else SQLite in the data folder. */
export async function openRelayStore(
  config: Pick<RelayConfig, 'databaseUrl' | 'dataDir'> & Partial<Pick<RelayConfig, 'pgNotifyGatherMs' | 'pgAwaitNotify'>>,
  logger?: RelayLogger,
): Promise<RelayStore> {
  if (config.databaseUrl)
    return openPostgresStore({
      connectionString: config.databaseUrl,
      ...(logger && { logger }),
      ...(config.pgNotifyGatherMs != null && { notifyGatherMs: config.pgNotifyGatherMs }),
      ...(config.pgAwaitNotify && { awaitNotify: true }),
    });
  return openSqliteStore({
    path: join(config.dataDir, 'relay.sqlite'),
    ...(logger && { onBackgroundError: (message: string) => logger.warn('relay.sqlite.background', { message }) }),
  });
}
