import { join } from 'node:path';
import { platform } from 'node:os';
import { contract } from '../shared/contract';
import type { Input, MethodName, Output } from '../shared/contract';
import type { AppInfo, Mode } from '../shared/contract/app';
import type { Result } from '../shared/errors';
import { openDatabase } from './db/connection';
import type { Db } from './db/connection';
import { migrate, schemaVersion } from './db/migrate';
import { MIGRATIONS } from './db/migrations/index';
import { createEventBus } from './events';
import type { EventBus } from './events';
import { createLogger } from './log';
import type { Logger } from './log';
import { dispatch } from './rpc/dispatch';
import { joinHandlers } from './rpc/handlers';
import type { CallContext, HandlerTable } from './rpc/handlers';
import { appHandlers } from './services/app/appHandlers';
import { ensureInstallId } from './services/app/installId';
import { SIGNED_OUT, createSessionStore } from './services/app/sessionStore';
import type { SessionStore } from './services/app/sessionStore';
import { createStatusMonitor } from './services/app/statusMonitor';
import type { StatusMonitor } from './services/app/statusMonitor';
import { settingsHandlers } from './services/settings/settingsHandlers';
import { createSettingsService } from './services/settings/settingsService';

export type BackendOptions = {
  /** Folder for the database and logs. */
  dataDir: string;
  /** Defaults to `<dataDir>/keydesk.sqlite`; ':memory:' for tests. */
  dbPath?: string;
  version: string;
  transport: AppInfo['transport'];
  mode?: Mode;
  log?: Logger;
};

/** Main's services behind one dispatch, shared by the Electron and HTTP transports. */
export type Backend = {
  readonly db: Db;
  readonly log: Logger;
  readonly events: EventBus;
  readonly session: SessionStore;
  readonly status: StatusMonitor;
  readonly handlers: HandlerTable;
  info(): AppInfo;
  /** Typed for callers inside main and tests; transports pass whatever arrived (checked by dispatch). */
  call<M extends MethodName>(ctx: CallContext, method: M, input: Input<M>): Promise<Result<Output<M>>>;
  call(ctx: CallContext, method: unknown, input: unknown): Promise<Result<unknown>>;
  close(): void;
};

export function createBackend(opts: BackendOptions): Backend {
  const log = opts.log ?? createLogger({ file: join(opts.dataDir, 'logs', 'main.log') });
  const dbPath = opts.dbPath ?? join(opts.dataDir, 'keydesk.sqlite');
  const db = openDatabase(dbPath);
  try {
    const { from, to } = migrate(db, MIGRATIONS);
    if (from !== to) log.info('db.migrated', { from, to, dbPath });
  } catch (err) {
    db.close();
    throw err;
  }
  const mode = opts.mode ?? 'demo';
  const installId = ensureInstallId(db);
  const events = createEventBus(log);
  const startedAt = new Date().toISOString();

  const session = createSessionStore(
    mode === 'demo' ? { staffId: null, name: 'Demo manager', role: 'manager' } : SIGNED_OUT,
    (s) => events.emit('session.changed', s),
  );
  const status = createStatusMonitor(
    { online: null, sync: 'off', detail: 'No office relay is set up for this counter.', checkedAt: null },
    (s) => events.emit('status.changed', s),
  );
  const settings = createSettingsService(db, installId, (s) => events.emit('settings.changed', s));

  const info = (): AppInfo => ({
    name: 'Keydesk',
    version: opts.version,
    mode,
    transport: opts.transport,
    dbPath,
    schemaVersion: schemaVersion(db),
    installId,
    platform: platform(),
    startedAt,
  });

  const handlers = joinHandlers(
    [appHandlers({ info, status, session }), settingsHandlers(settings)],
    Object.keys(contract) as MethodName[],
  );

  return {
    db,
    log,
    events,
    session,
    status,
    handlers,
    info,
    call: ((ctx: CallContext, method: unknown, input: unknown) => dispatch(handlers, ctx, method, input, log)) as Backend['call'],
    close: () => db.close(),
  };
}
