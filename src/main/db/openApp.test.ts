import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../backend';
import { createLogger, memoryLogger } from '../log';
import { BACKUP_KEEP, DAY_MS, backupsDirFor, dailyBackupJob, listBackups, takeBackup } from './backups';
import { openDatabase } from './connection';
import { DatabaseOpenError } from './inspect';
import { SchemaFromFutureError, migrate } from './migrate';
import { MIGRATIONS } from './migrations/index';
import { prepareDatabase } from './openApp';

const latest = MIGRATIONS.at(-1)?.version ?? 0;
const posix = process.platform !== 'win32';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'kd-open-'));
}

function open(dir: string, dbPath = join(dir, 'keydesk.sqlite')) {
  return createBackend({ dataDir: dir, dbPath, version: 'test', transport: 'http', log: memoryLogger(), demoSeed: { full: true } });
}

/** A real shop database (the full demo seed), closed cleanly, with one good backup beside it. */
async function realShop(): Promise<{ dir: string; path: string; backup: string }> {
  const dir = tempDir();
  const b = open(dir);
  const backup = await takeBackup(b.db, backupsDirFor(b.info().dbPath), 'daily');
  b.close();
  return { dir, path: join(dir, 'keydesk.sqlite'), backup };
}

function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}

describe('a damaged database', () => {
  it('is refused at start with a sentence naming the last good backup, and not written to', async () => {
    const { dir, path, backup } = await realShop();
    const size = statSync(path).size;
    expect(size).toBeGreaterThan(64 * 1024);
    // Overwrite 8 KiB in the middle of the file, as a failing disk would.
    const fd = openSync(path, 'r+');
    const junk = Buffer.alloc(8192);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919 + 13) & 0xff;
    writeSync(fd, junk, 0, junk.length, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);
    const before = readFileSync(path);

    let err: unknown;
    try {
      open(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DatabaseOpenError);
    const e = err as DatabaseOpenError;
    expect(e.kind).toBe('damaged');
    expect(e.message).toContain(`The Keydesk database ${path} is damaged`);
    expect(e.message).toContain(`The last good backup is ${backup}`);
    expect(readFileSync(path).equals(before)).toBe(true);
    // A WAL-mode file read through a read-only handle may get an empty -wal beside it; nothing is in it.
    expect(existsSync(path + '-wal') ? statSync(path + '-wal').size : 0).toBe(0);
  });

  it('files that are not databases each get a sentence, never SQLite\'s own message', async () => {
    const { dir, path } = await realShop();
    const cases: [string, (p: string) => void, DatabaseOpenError['kind'], RegExp][] = [
      ['text', (p) => writeFileSync(p, 'hello, this is a shopping list\n'.repeat(200)), 'not_sqlite', /is not a Keydesk database/],
      [
        'bad header',
        (p) => {
          const bytes = readFileSync(path);
          bytes.writeUInt16BE(1000, 16); // page size not a power of two
          writeFileSync(p, bytes);
        },
        'damaged',
        /is damaged \(its header is not valid\)/,
      ],
      [
        'truncated',
        (p) => {
          writeFileSync(p, readFileSync(path));
          truncateSync(p, Math.floor(statSync(path).size / 2 / 4096) * 4096);
        },
        'truncated',
        /is cut short/,
      ],
      ['a folder', (p) => mkdirSync(p), 'folder', /is a folder, not a database file/],
      ['too short for a header', (p) => writeFileSync(p, 'SQLite format 3\0abc'), 'truncated', /is cut short/],
    ];
    for (const [label, make, kind, sentence] of cases) {
      const p = join(dir, `${label.replace(/ /g, '-')}.sqlite`);
      make(p);
      let err: unknown;
      try {
        open(dir, p);
      } catch (e) {
        err = e;
      }
      expect(err, label).toBeInstanceOf(DatabaseOpenError);
      expect((err as DatabaseOpenError).kind, label).toBe(kind);
      expect((err as Error).message, label).toMatch(sentence);
      expect((err as Error).message, label).not.toMatch(/file is not a database|SQLITE_/);
    }
  });
});

describe('a database from a newer or unknown Keydesk', () => {
  for (const version of [latest + 10, -1]) {
    it(`(user_version ${version}) is refused before anything writes to it: byte for byte unchanged, no WAL`, () => {
      const dir = tempDir();
      const path = join(dir, 'keydesk.sqlite');
      const db = new Database(path);
      db.pragma('journal_mode = DELETE');
      migrate(db, MIGRATIONS);
      db.pragma(`user_version = ${version}`);
      db.close();
      const before = readFileSync(path);
      expect(before.readUInt8(18)).toBe(1); // rollback journal, not WAL

      expect(() => open(dir)).toThrow(SchemaFromFutureError);
      expect(() => open(dir)).toThrow(/newer version of Keydesk.*nothing has been changed/);
      expect(readFileSync(path).equals(before)).toBe(true);
      expect(readdirSync(dir).sort()).toEqual(['keydesk.sqlite']);
    });
  }
});

describe('backups', () => {
  it('are taken before a pending migration, with the old schema inside', async () => {
    const dir = tempDir();
    const path = join(dir, 'keydesk.sqlite');
    const db = openDatabase(path);
    migrate(db, MIGRATIONS, 50);
    db.close();
    const log = memoryLogger();
    await prepareDatabase(path, MIGRATIONS, log);
    const [b] = listBackups(backupsDirFor(path));
    expect(b?.reason).toBe('pre-migration');
    const copy = new Database(b?.path ?? '', { readonly: true });
    expect(copy.pragma('user_version', { simple: true })).toBe(50);
    copy.close();
    // Up to date: no second backup.
    const again = openDatabase(path);
    migrate(again, MIGRATIONS);
    again.close();
    await prepareDatabase(path, MIGRATIONS, log);
    expect(listBackups(backupsDirFor(path))).toHaveLength(1);
  });

  it('are never taken of a damaged file: the pre-migration step refuses it first', async () => {
    const { path } = await realShop();
    const raw = new Database(path);
    raw.pragma('user_version = 50'); // a migration is pending
    raw.close();
    const size = statSync(path).size;
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(8192, 0xa5), 0, 8192, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);
    const before = listBackups(backupsDirFor(path)).map((b) => b.path);
    await expect(prepareDatabase(path, MIGRATIONS, memoryLogger())).rejects.toMatchObject({ kind: 'damaged' });
    expect(listBackups(backupsDirFor(path)).map((b) => b.path)).toEqual(before);
  });

  it('run daily, keep the newest few, and are private to the owner', async () => {
    const dir = tempDir();
    const b = open(dir);
    const clock = { now: new Date('2025-06-02T06:00:00Z') };
    const job = dailyBackupJob({ db: b.db, dbPath: b.info().dbPath, log: memoryLogger(), now: () => clock.now });
    expect(await job.runOnce()).toMatch(/daily\.sqlite$/);
    expect(await job.runOnce()).toBeNull(); // not a day yet
    for (let i = 0; i < BACKUP_KEEP + 3; i++) {
      clock.now = new Date(clock.now.getTime() + DAY_MS);
      expect(await job.runOnce()).not.toBeNull();
    }
    const files = listBackups(backupsDirFor(b.info().dbPath));
    expect(files).toHaveLength(BACKUP_KEEP);
    expect(files[0]?.at).toEqual(clock.now);
    await job.stop();
    if (posix) for (const f of files) expect(modeOf(f.path)).toBe(0o600);
    b.close();
  });
});

describe('the data folder', () => {
  it.skipIf(!posix)('is 0700 and the database, WAL, SHM and log files are 0600', () => {
    const parent = tempDir();
    const dir = join(parent, 'data');
    const log = createLogger({ file: join(dir, 'logs', 'main.log'), console: false });
    const b = createBackend({ dataDir: dir, version: 'test', transport: 'http', log, demoSeed: { full: false } });
    log.info('test.line');
    const path = b.info().dbPath;
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(join(dir, 'logs'))).toBe(0o700);
    for (const f of [path, path + '-wal', path + '-shm', join(dir, 'logs', 'main.log')]) expect(modeOf(f), f).toBe(0o600);
    expect(b.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    b.close();
  });
});

describe('database.check (Settings)', () => {
  it('runs the full integrity check for a manager only', async () => {
    const dir = tempDir();
    const b = open(dir);
    const manager = { role: 'manager' as const, staffId: null, transport: 'internal' as const };
    const res = await b.call(manager, 'database.check', {});
    expect(res).toMatchObject({ ok: true, value: { ok: true, problems: [], dbPath: b.info().dbPath, lastGoodBackup: null } });
    expect(await b.call({ ...manager, role: 'clerk' }, 'database.check', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    b.close();
  });
});
