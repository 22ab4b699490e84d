import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../backend';
import { memoryLogger } from '../log';
import { openDatabase } from './connection';
import { SchemaFromFutureError, assertOrdered, migrate, schemaVersion } from './migrate';
import type { Migration } from './migrate';
import { MIGRATIONS } from './migrations/index';

const latest = MIGRATIONS.at(-1)?.version ?? 0;

describe('migrations', () => {
  it('bring an empty database to the newest schema with the connection pragmas set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kd-mig-'));
    const db = openDatabase(join(dir, 'k.sqlite'));
    expect(schemaVersion(db)).toBe(0);
    expect(migrate(db, MIGRATIONS)).toEqual({ from: 0, to: latest });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['settings', 'audit_log']));
    // Running again is a no-op.
    expect(migrate(db, MIGRATIONS)).toEqual({ from: latest, to: latest });
    db.close();
  });

  it('refuse a database written by a newer Keydesk, with a clear message, and change nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kd-mig-'));
    const path = join(dir, 'k.sqlite');
    const db = openDatabase(path);
    migrate(db, MIGRATIONS);
    db.pragma(`user_version = ${latest + 10}`);
    db.close();

    const again = openDatabase(path);
    expect(() => migrate(again, MIGRATIONS)).toThrow(SchemaFromFutureError);
    expect(() => migrate(again, MIGRATIONS)).toThrow(/newer version of Keydesk.*nothing has been changed/);
    expect(schemaVersion(again)).toBe(latest + 10);
    again.close();
    expect(() => createBackend({ dataDir: dir, dbPath: path, version: '0.0.1', transport: 'http', log: memoryLogger() })).toThrow(/newer version of Keydesk/);
  });

  it('roll a failing migration back whole, keeping the earlier steps', () => {
    const db = openDatabase(':memory:');
    const steps: Migration[] = [
      { version: 10, name: 'one', up: (d) => d.exec('CREATE TABLE one (x INTEGER) STRICT') },
      {
        version: 20,
        name: 'two',
        up: (d) => {
          d.exec('CREATE TABLE two (x INTEGER) STRICT');
          d.exec('INSERT INTO nowhere VALUES (1)');
        },
      },
    ];
    expect(() => migrate(db, steps)).toThrow(/no such table: nowhere/);
    expect(schemaVersion(db)).toBe(10);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'two'").get()).toEqual({ n: 0 });
  });

  it('are numbered in increasing order', () => {
    expect(() => assertOrdered(MIGRATIONS)).not.toThrow();
    expect(() => assertOrdered([{ version: 20, name: 'b', up: () => {} }, { version: 10, name: 'a', up: () => {} }])).toThrow(/out of order/);
  });
});

describe('migration 0010 settings and audit log', () => {
  it('stores settings as JSON and keeps the audit log append-only', () => {
    const db = openDatabase(':memory:');
    migrate(db, MIGRATIONS, 10);
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('shopName', '\"A\"', 'now')").run();
    expect(() => db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('bad', 'not json', 'now')").run()).toThrow(/CHECK/);
    db.prepare(
      "INSERT INTO audit_log (id, at, install_id, action, entity_type, prev_hash, hash) VALUES ('a', 'now', 'i', 'x', 'settings', 'p', 'h')",
    ).run();
    expect(() => db.prepare("UPDATE audit_log SET action = 'y'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
  });
});
