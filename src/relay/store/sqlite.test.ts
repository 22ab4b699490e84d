import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../testing/waitFor';
import { makeEvent } from '../testing/webhooks';
import { migrateSqlite, RelaySchemaFromFutureError, SQLITE_MIGRATIONS } from './migrations/sqliteMigrations';
import { openSqliteStore } from './sqlite';
import { incoming, storeContract } from './storeContract';
import type { StoreChange } from './types';

const dir = mkdtempSync(join(tmpdir(), 'relay-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite store', () => {
  let n = 0;
  storeContract(async () => openSqliteStore({ path: join(dir, `contract-${++n}.sqlite`) }));
});

describe('SQLite migrations', () => {
  it('migrates a new file to the latest version, and again is a no-op', () => {
    const db = new Database(':memory:');
    expect(migrateSqlite(db)).toEqual({ from: 0, to: SQLITE_MIGRATIONS.at(-1)!.version });
    expect(migrateSqlite(db)).toEqual({ from: SQLITE_MIGRATIONS.at(-1)!.version, to: SQLITE_MIGRATIONS.at(-1)!.version });
    db.close();
  });

  it('refuses a database written by a newer relay and leaves it untouched', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 990');
    expect(() => migrateSqlite(db)).toThrow(RelaySchemaFromFutureError);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'").pluck().get()).toBe(0);
    db.close();
  });

  it('refuses migrations listed out of order', () => {
    const db = new Database(':memory:');
    expect(() => migrateSqlite(db, [{ version: 20, name: 'b', up: () => {} }, { version: 10, name: 'a', up: () => {} }])).toThrow(/out of order/);
    db.close();
  });

  it('reads a stream page through the deliveries primary key', () => {
    const db = new Database(':memory:');
    migrateSqlite(db);
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT d.seq, e.id, e.payload FROM deliveries d JOIN events e ON e.no = d.event_no
         WHERE d.install_id = ? AND d.seq > ? AND d.seq <= ? ORDER BY d.seq LIMIT ?`,
      )
      .all('A', 0, 100, 10) as { detail: string }[];
    const text = plan.map((p) => p.detail).join(' | ');
    expect(text).toMatch(/SEARCH d USING PRIMARY KEY \(install_id=\? AND seq>\? AND seq<\?\)/);
    expect(text).toMatch(/SEARCH e USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    expect(text).not.toMatch(/TEMP B-TREE/);
    db.close();
  });
});

describe('SQLite store durability and change feed', () => {
  it('keeps committed events across a reopen', async () => {
    const path = join(dir, 'reopen.sqlite');
    const a = openSqliteStore({ path });
    await a.addInstall({ id: 'A', name: 'A', locationId: null, tokenHash: 'h', now: 1 });
    await a.ingest([incoming(makeEvent({ id: 'evt_keep', installId: 'A' }))], 1);
    await a.close();
    const b = openSqliteStore({ path });
    expect((await b.readAfter('A', 0, 10)).map((r) => r.eventId)).toEqual(['evt_keep']);
    await b.close();
  });

  it('notices commits by another process (the admin CLI) but not its own', async () => {
    const path = join(dir, 'watch.sqlite');
    let polls = 0;
    const store = openSqliteStore({ path, watchEveryMs: 20, onWatchPoll: () => (polls += 1) });
    const changes: StoreChange[] = [];
    const unwatch = store.watch((c) => changes.push(c));
    await store.setMeta('own', 'write');
    // Not a sleep: the watcher has looked three times since our own write, and said nothing.
    const seen = polls;
    await waitFor(() => polls >= seen + 3, 5000, 'three polls after our own write');
    expect(changes).toEqual([]);
    const other = openSqliteStore({ path });
    await other.revokeInstall('nobody', 1);
    await other.setMeta('cli', 'was here');
    await other.close();
    await waitFor(() => changes.length > 0, 5000, "the other process's commit");
    expect(changes).toContainEqual({ kind: 'unknown' });
    unwatch();
    await store.close();
  });
});
