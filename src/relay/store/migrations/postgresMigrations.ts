import type pg from 'pg';
import { postgres0010Initial } from './postgres/0010-initial';
import { postgres0020Signature } from './postgres/0020-signature';
import { assertOrdered, RelaySchemaFromFutureError } from './sqliteMigrations';

export type PostgresMigration = {
  /** Numbered in steps of 10, like the SQLite ones. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
};

/** Every relay PostgreSQL schema step, in order. Add new files at the end; never edit a released one. */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [postgres0010Initial, postgres0020Signature];

/** Arbitrary but fixed: every relay instance takes this lock before migrating. */
const MIGRATION_LOCK = 0x6b64_7231;

/**
 * Migrates under a session advisory lock, so relay instances starting together take turns;
 * each migration runs in its own transaction with its row in `relay_schema_migrations`.
 */
export async function migratePostgres(pool: pg.Pool, migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS): Promise<{ from: number; to: number }> {
  assertOrdered(migrations);
  const latest = migrations.at(-1)?.version ?? 0;
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query('CREATE TABLE IF NOT EXISTS relay_schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
      const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM relay_schema_migrations');
      const from = rows[0]?.v ?? 0;
      if (from > latest) throw new RelaySchemaFromFutureError(from, latest);
      let to = from;
      for (const m of migrations) {
        if (m.version <= from) continue;
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query('INSERT INTO relay_schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        }
        to = m.version;
      }
      return { from, to };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
