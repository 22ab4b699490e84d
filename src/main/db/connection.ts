import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

export type Db = Database.Database;

/** Where the platform has POSIX modes: the data folder is the owner's only, and so is every file in it. */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
const POSIX = process.platform !== 'win32';

/** Creates (or tightens) a folder only its owner may enter. Windows keeps the user profile's ACL. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (POSIX) chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Tightens an existing file to owner-only; a missing file is left alone. */
export function makePrivate(file: string): void {
  if (POSIX && existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
}

export type OpenOptions = {
  /**
   * FULL (the default) fsyncs the WAL at every commit, so a booking or payment the clerk was
   * told was saved survives a power cut. NORMAL is only for benches that measure the difference.
   */
  synchronous?: 'FULL' | 'NORMAL';
  /** ON (the default) zeroes deleted content; OFF only for the bench that measures what it costs. */
  secureDelete?: 'ON' | 'OFF';
};

/**
 * Opens the till's database with the pragmas every connection needs. WAL lets reads run while
 * a write commits; busy_timeout rides out a short lock instead of failing a sale; secure_delete
 * zeroes what is deleted (measured: bench/secureDelete.bench.ts). The file is
 * created 0600 before SQLite sees it, and SQLite gives its -wal and -shm files the same mode.
 */
export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  if (path !== ':memory:') {
    ensurePrivateDir(dirname(path));
    if (!existsSync(path)) closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
    makePrivate(path);
  }
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma(`synchronous = ${opts.synchronous ?? 'FULL'}`);
  // Deleted and overwritten rows are zeroed, not left in free space: an erased customer's old
  // details (and every earlier edit of them) must not be readable from the file (issue 15).
  db.pragma(`secure_delete = ${opts.secureDelete ?? 'ON'}`);
  if (path !== ':memory:') for (const suffix of ['-wal', '-shm']) makePrivate(path + suffix);
  return db;
}
