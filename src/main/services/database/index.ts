import type { Module } from '../../core/module';
import type { Db } from '../../db/connection';
import { backupsDirFor, dailyBackupJob, lastGoodBackup } from '../../db/backups';
import { checkIntegrity } from '../../db/openApp';
import type { Logger } from '../../log';

/** Settings → Database: the full integrity check a manager runs on demand. */
export function createDatabaseModule(deps: { db: Db; dbPath: string; log: Logger; now: () => Date }): Module {
  const handlers: Module['handlers'] = {
    'database.check': () => {
      const report = checkIntegrity(deps.db);
      const lastGood = deps.dbPath === ':memory:' ? null : lastGoodBackup(backupsDirFor(deps.dbPath));
      if (!report.ok) deps.log.error('db.integrity_failed', { problems: report.problems });
      const detail = report.ok
        ? 'The database passed the full check.'
        : `The database is damaged. Stop taking payments on this counter and call the office${lastGood ? `; the last good backup is ${lastGood}` : ''}.`;
      return { ...report, detail, checkedAt: deps.now().toISOString(), dbPath: deps.dbPath, lastGoodBackup: lastGood };
    },
  };
  // A database in memory (tests) has nothing to back up.
  const jobs = deps.dbPath === ':memory:' ? [] : [dailyBackupJob({ db: deps.db, dbPath: deps.dbPath, log: deps.log, now: deps.now })];
  return { name: 'database', handlers, jobs };
}
