import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { SchemaFromFutureError, knownVersion } from './migrate';

/** Why a database file cannot be opened, in a sentence a clerk or the office can act on. */
export class DatabaseOpenError extends Error {
  constructor(
    readonly kind: 'folder' | 'not_sqlite' | 'truncated' | 'damaged' | 'unreadable',
    readonly path: string,
    message: string,
    readonly lastGoodBackup: string | null = null,
  ) {
    super(message);
    this.name = 'DatabaseOpenError';
  }
}

const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

function restoreAdvice(backup: string | null): string {
  return backup
    ? `The last good backup is ${backup}: close Keydesk, copy it in place of the damaged file, and start Keydesk again; or call the office.`
    : 'No good backup was found next to it: call the office before doing anything else with this file.';
}

export function damagedError(path: string, detail: string, backup: string | null): DatabaseOpenError {
  return new DatabaseOpenError(
    'damaged',
    path,
    `The Keydesk database ${path} is damaged (${detail}), so Keydesk will not open it and nothing more was written to it. ${restoreAdvice(backup)}`,
    backup,
  );
}

/** Reads the file's header without SQLite: a folder, a text file or a cut-off copy gets its own sentence. */
function checkHeader(path: string, findBackup: () => string | null): void {
  const st = statSync(path);
  if (st.isDirectory()) {
    throw new DatabaseOpenError('folder', path, `Keydesk's database path ${path} is a folder, not a database file. Move that folder away, or call the office.`);
  }
  if (st.size === 0) return; // a new, empty database
  const head = Buffer.alloc(100);
  const fd = openSync(path, 'r');
  let read: number;
  try {
    read = readSync(fd, head, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (read < MAGIC.length || !head.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new DatabaseOpenError(
      'not_sqlite',
      path,
      `The file ${path} is not a Keydesk database (it does not start like one). It may have been overwritten. ${restoreAdvice(findBackup())}`,
      findBackup(),
    );
  }
  if (read < 100) throw truncated(path, findBackup());
  const raw = head.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    throw damagedError(path, 'its header is not valid', findBackup());
  }
  // The page count in the header is trustworthy only when its "valid-for" counter matches, and
  // only without a -wal file (whose pages may not be in the main file yet).
  const headerValid = head.readUInt32BE(24) === head.readUInt32BE(92);
  const pages = head.readUInt32BE(28);
  if (st.size % pageSize !== 0 || (headerValid && pages > 0 && !existsSync(path + '-wal') && st.size < pages * pageSize)) {
    throw truncated(path, findBackup());
  }
}

function truncated(path: string, backup: string | null): DatabaseOpenError {
  return new DatabaseOpenError(
    'truncated',
    path,
    `The Keydesk database ${path} is cut short (part of the file is missing), so Keydesk will not open it. ${restoreAdvice(backup)}`,
    backup,
  );
}

/**
 * Looks at an existing database before anything may write to it: the header, then on a
 * READ-ONLY handle the schema version (an unknown one is refused before WAL or a migration
 * can touch the file) and `PRAGMA quick_check`. Throws DatabaseOpenError or SchemaFromFutureError.
 * A path that does not exist yet, or ':memory:', passes.
 */
export function inspectDatabase(path: string, latest: number, findBackup: () => string | null, opts: { quickCheck?: boolean } = {}): { version: number } {
  if (path === ':memory:' || !existsSync(path)) return { version: 0 };
  try {
    checkHeader(path, findBackup);
  } catch (err) {
    if (err instanceof DatabaseOpenError) throw err;
    throw unreadable(path); // EACCES, EIO…: the OS refused to let us read it
  }
  let ro: Database.Database | null = null;
  try {
    ro = new Database(path, { readonly: true, fileMustExist: true });
    const version = ro.pragma('user_version', { simple: true }) as number;
    if (!knownVersion(version, latest)) throw new SchemaFromFutureError(version, latest);
    if (opts.quickCheck ?? true) {
      const rows = ro.pragma('quick_check(5)', { simple: false }) as { quick_check: string }[];
      const problems = rows.map((r) => r.quick_check).filter((p) => p !== 'ok');
      if (problems.length > 0) throw damagedError(path, problems[0] ?? 'quick_check failed', findBackup());
    }
    return { version };
  } catch (err) {
    throw translateOpenError(path, err, findBackup);
  } finally {
    ro?.close();
  }
}

/** SQLite's own messages ("file is not a database") become sentences; ours pass through. */
export function translateOpenError(path: string, err: unknown, findBackup: () => string | null): unknown {
  if (err instanceof DatabaseOpenError || err instanceof SchemaFromFutureError) return err;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return err;
  if (code === 'SQLITE_NOTADB') {
    const b = findBackup();
    return new DatabaseOpenError('not_sqlite', path, `The file ${path} is not a Keydesk database, or it is damaged beyond reading. ${restoreAdvice(b)}`, b);
  }
  if (code.startsWith('SQLITE_CORRUPT')) return damagedError(path, 'SQLite found damaged pages', findBackup());
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_PERM') || code.startsWith('SQLITE_READONLY')) {
    return unreadable(path);
  }
  return err;
}

function unreadable(path: string): DatabaseOpenError {
  return new DatabaseOpenError(
    'unreadable',
    path,
    `Keydesk cannot read its database ${path}: the disk or the file's permissions refuse it. Check the disk and that this user owns the file, or call the office.`,
  );
}
