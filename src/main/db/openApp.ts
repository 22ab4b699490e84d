import type { Logger } from '../log';
import { backupBeforeMigration, backupsDirFor, lastGoodBackup } from './backups';
import { openDatabase } from './connection';
import type { Db } from './connection';
import { inspectDatabase, translateOpenError } from './inspect';
import { migrate } from './migrate';
import type { Migration } from './migrate';

function latestOf(migrations: readonly Migration[]): number {
  return migrations.at(-1)?.version ?? 0;
}

/**
 * Opens the app's database safely: the file is inspected first (header, then version and
 * `quick_check` on a read-only handle), so a damaged, foreign or newer file is refused with a
 * sentence before WAL or a migration changes a byte of it. Then it is opened and migrated.
 */
export function openAppDatabase(dbPath: string, migrations: readonly Migration[], log: Logger): Db {
  const findBackup = () => lastGoodBackup(backupsDirFor(dbPath));
  inspectDatabase(dbPath, latestOf(migrations), findBackup);
  let db: Db;
  try {
    db = openDatabase(dbPath);
  } catch (err) {
    throw translateOpenError(dbPath, err, findBackup);
  }
  try {
    const { from, to } = migrate(db, migrations);
    if (from !== to) log.info('db.migrated', { from, to, dbPath });
  } catch (err) {
    db.close();
    throw translateOpenError(dbPath, err, findBackup);
  }
  return db;
}

/**
 * What the app's entries run before `createBackend`: the same inspection, then, when a
 * migration is pending on an existing database, a backup of it through SQLite's backup API.
 */
export async function prepareDatabase(dbPath: string, migrations: readonly Migration[], log: Logger): Promise<void> {
  const latest = latestOf(migrations);
  const findBackup = () => lastGoodBackup(backupsDirFor(dbPath));
  // quick_check reads every page (about a second per 50 MB): run it here only when a backup is
  // due, so that a damaged file is never copied over a good backup; createBackend checks anyway.
  const { version } = inspectDatabase(dbPath, latest, findBackup, { quickCheck: false });
  if (version === 0 || version >= latest) return;
  inspectDatabase(dbPath, latest, findBackup);
  await backupBeforeMigration(dbPath, version, latest, log);
}

export type IntegrityReport = { ok: boolean; problems: string[] };

/** The full `PRAGMA integrity_check` (slower than quick_check; run on demand from Settings). */
export function checkIntegrity(db: Db, maxProblems = 20): IntegrityReport {
  const rows = db.pragma(`integrity_check(${maxProblems})`, { simple: false }) as { integrity_check: string }[];
  const problems = rows.map((r) => r.integrity_check).filter((p) => p !== 'ok');
  const fk = db.pragma('foreign_key_check', { simple: false }) as { table: string; parent: string }[];
  for (const v of fk.slice(0, maxProblems)) problems.push(`A row in ${v.table} points at a missing ${v.parent} row`);
  return { ok: problems.length === 0, problems };
}
