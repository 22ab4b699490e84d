import type { Db } from './connection';

export type Migration = {
  /** Numbered in steps of 10, leaving room for a hotfix between two releases. */
  readonly version: number;
  readonly name: string;
  readonly up: (db: Db) => void;
};

/**
 * The database was written by a newer Keydesk (or carries a version no Keydesk writes, such as
 * -1); opening it here could corrupt it.
 */
export class SchemaFromFutureError extends Error {
  constructor(
    readonly databaseVersion: number,
    readonly appVersion: number,
  ) {
    super(
      `This database was last used by a newer version of Keydesk (schema ${databaseVersion}; this app knows up to ${appVersion}). ` +
        'Install the newer Keydesk again; nothing has been changed.',
    );
    this.name = 'SchemaFromFutureError';
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Versions this app can open: 0 (empty) up to its newest migration. */
export function knownVersion(version: number, latest: number): boolean {
  return Number.isInteger(version) && version >= 0 && version <= latest;
}

export function assertOrdered(migrations: readonly Migration[]): void {
  let last = 0;
  for (const m of migrations) {
    if (!Number.isInteger(m.version) || m.version <= last) {
      throw new Error(`Migrations out of order: ${m.version} (${m.name}) after ${last}`);
    }
    last = m.version;
  }
}

/**
 * Brings the database up to the newest migration (or `upTo`), one transaction per migration,
 * recording each step in `PRAGMA user_version` inside the same transaction.
 */
export function migrate(db: Db, migrations: readonly Migration[], upTo = Infinity): { from: number; to: number } {
  assertOrdered(migrations);
  const latest = migrations.at(-1)?.version ?? 0;
  const from = schemaVersion(db);
  if (!knownVersion(from, latest)) throw new SchemaFromFutureError(from, latest);
  for (const m of migrations) {
    if (m.version <= from || m.version > upTo) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return { from, to: schemaVersion(db) };
}
