import type Database from 'better-sqlite3';
import { sqlite0010Initial } from './sqlite/0010-initial';
import { sqlite0020Signature } from './sqlite/0020-signature';

export type SqliteMigration = {
  /** Numbered in steps of 10, leaving room for a hotfix between two releases. */
  readonly version: number;
  readonly name: string;
  readonly up: (db: Database.Database) => void;
};

/** Every relay SQLite schema step, in order. Add new files at the end; never edit a released one. */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [sqlite0010Initial, sqlite0020Signature];

/** The data folder was written by a newer relay; running this one on it could corrupt it. */
export class RelaySchemaFromFutureError extends Error {
  constructor(
    readonly databaseVersion: number,
    readonly knownVersion: number,
  ) {
    super(`The relay database has schema ${databaseVersion}, this relay knows up to ${knownVersion}. Run the newer relay; nothing was changed.`);
    this.name = 'RelaySchemaFromFutureError';
  }
}

export function assertOrdered(migrations: readonly { version: number; name: string }[]): void {
  let last = 0;
  for (const m of migrations) {
    if (!Number.isInteger(m.version) || m.version <= last) throw new Error(`Migrations out of order: ${m.version} (${m.name}) after ${last}`);
    last = m.version;
  }
}

/** One transaction per migration, with `PRAGMA user_version` set inside it. */
export function migrateSqlite(db: Database.Database, migrations: readonly SqliteMigration[] = SQLITE_MIGRATIONS, upTo = Infinity): { from: number; to: number } {
  assertOrdered(migrations);
  const latest = migrations.at(-1)?.version ?? 0;
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > latest) throw new RelaySchemaFromFutureError(from, latest);
  for (const m of migrations) {
    if (m.version <= from || m.version > upTo) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return { from, to: db.pragma('user_version', { simple: true }) as number };
}
