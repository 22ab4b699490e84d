import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Job } from '../core/module';
import type { Logger } from '../log';
import type { Db } from './connection';
import { PRIVATE_FILE_MODE, ensurePrivateDir, makePrivate } from './connection';

/** How many backups of each kind (daily, pre-migration, manual) are kept. */
export const BACKUP_KEEP = 7;
export const DAY_MS = 24 * 60 * 60 * 1000;

export type BackupReason = 'daily' | 'pre-migration' | 'manual';
export type BackupFile = { path: string; reason: BackupReason; at: Date };

const NAME = /^keydesk-(\d{8}T\d{9}Z)-(daily|pre-migration|manual)\.sqlite$/;

export function backupsDirFor(dbPath: string): string {
  return join(dirname(dbPath), 'backups');
}

function stamp(at: Date): string {
  return at.toISOString().replace(/[-:.]/g, '');
}

function parseStamp(s: string): Date {
  const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}.${s.slice(15, 18)}Z`;
  return new Date(iso);
}

/** Backups in the folder, newest first. */
export function listBackups(dir: string): BackupFile[] {
  if (!existsSync(dir)) return [];
  const out: BackupFile[] = [];
  for (const name of readdirSync(dir)) {
    const m = NAME.exec(name);
    if (m) out.push({ path: join(dir, name), reason: m[2] as BackupReason, at: parseStamp(m[1] ?? '') });
  }
  return out.sort((a, b) => b.at.getTime() - a.at.getTime());
}

/** The newest backup that opens and passes `quick_check`, or null. */
export function lastGoodBackup(dir: string): string | null {
  for (const b of listBackups(dir)) {
    let db: Database.Database | null = null;
    try {
      db = new Database(b.path, { readonly: true, fileMustExist: true });
      const rows = db.pragma('quick_check(1)', { simple: false }) as { quick_check: string }[];
      if (rows[0]?.quick_check === 'ok') return b.path;
    } catch {
      // unreadable: try the next one
    } finally {
      db?.close();
    }
  }
  return null;
}

/**
 * Copies the live database with SQLite's online backup API (consistent even while the app
 * writes), into a 0600 file renamed into place only when complete, then keeps the newest
 * BACKUP_KEEP of that kind.
 */
export async function takeBackup(source: Db, dir: string, reason: BackupReason, at = new Date(), keep = BACKUP_KEEP): Promise<string> {
  ensurePrivateDir(dir);
  const final = join(dir, `keydesk-${stamp(at)}-${reason}.sqlite`);
  const tmp = `${final}.partial`;
  closeSync(openSync(tmp, 'w', PRIVATE_FILE_MODE));
  try {
    await source.backup(tmp);
    makePrivate(tmp);
    renameSync(tmp, final);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  for (const old of listBackups(dir).filter((b) => b.reason === reason).slice(keep)) rmSync(old.path, { force: true });
  return final;
}

/**
 * Before a migration touches an existing database: a backup taken through a read-only handle.
 * Call after `inspectDatabase` passed (a damaged file is never copied over a good backup).
 */
export async function backupBeforeMigration(dbPath: string, fromVersion: number, latest: number, log: Logger): Promise<string | null> {
  if (dbPath === ':memory:' || !existsSync(dbPath) || fromVersion === 0 || fromVersion >= latest) return null;
  const ro = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const path = await takeBackup(ro, backupsDirFor(dbPath), 'pre-migration');
    log.info('db.backup', { reason: 'pre-migration', path, fromVersion, toVersion: latest });
    return path;
  } finally {
    ro.close();
  }
}

/**
 * A daily backup of the live database: at start when the newest daily one is a day old (or
 * missing), then checked every hour. A failure (full disk) is logged and reported, never thrown.
 */
export function dailyBackupJob(deps: { db: Db; dbPath: string; log: Logger; now?: () => Date; checkEveryMs?: number }): Job & { runOnce(): Promise<string | null> } {
  const now = deps.now ?? (() => new Date());
  const dir = backupsDirFor(deps.dbPath);
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<string | null> | null = null;
  let stopped = false;

  async function due(): Promise<string | null> {
    const newest = listBackups(dir).find((b) => b.reason === 'daily');
    if (newest && now().getTime() - newest.at.getTime() < DAY_MS) return null;
    return takeBackup(deps.db, dir, 'daily', now());
  }

  function runOnce(): Promise<string | null> {
    if (stopped || deps.dbPath === ':memory:') return Promise.resolve(null);
    running ??= due().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    name: 'db.backup',
    runOnce,
    start(report) {
      const tick = () =>
        runOnce().then(
          (path) => {
            if (path) deps.log.info('db.backup', { reason: 'daily', path });
            report('ok');
          },
          (err: unknown) => {
            deps.log.error('db.backup_failed', { error: err instanceof Error ? err.message : String(err) });
            report('degraded', 'The daily database backup failed (is the disk full?). Keydesk will try again within the hour.');
          },
        );
      void tick();
      timer = setInterval(() => void tick(), deps.checkEveryMs ?? 60 * 60 * 1000);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running?.catch(() => null);
    },
  };
}
