import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, postgresUnavailableReason, startTempPostgres, type TempPostgres } from '../../../test/support/tempPostgres';
import { waitFor } from '../../../test/support/waitFor';
import { makeEvent } from '../testing/webhooks';
import { hashToken } from '../tokens';
import { openPostgresStore } from './postgres';
import { incoming, storeContract } from './storeContract';
import type { RelayStore, StoreChange } from './types';

const skipReason = postgresUnavailableReason();
if (skipReason) console.warn(`[relay] PostgreSQL store tests skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)('PostgreSQL store', () => {
  let pg: TempPostgres;
  let n = 0;
  const freshUrl = () => createDatabase(pg.url, `relay_store_${process.pid}_${++n}`);

  beforeAll(async () => {
    pg = await startTempPostgres();
  }, 60_000);
  afterAll(async () => {
    await pg?.stop();
  });

  describe('contract', () => {
    storeContract(async () => openPostgresStore({ connectionString: await freshUrl() }));
  });

  it('two instances migrating and storing overlapping batches at once: every event once, seqs gapless', async () => {
    const url = await freshUrl();
    const [a, b] = await Promise.all([openPostgresStore({ connectionString: url }), openPostgresStore({ connectionString: url })]);
    try {
      for (const id of ['A', 'B', 'C']) await a.addInstall({ id, name: id, locationId: null, tokenHash: hashToken(id), now: 1 });
      const events = Array.from({ length: 300 }, (_, i) => incoming(makeEvent({ id: `evt_${String(i).padStart(4, '0')}`, installId: ['A', 'B', 'C'][i % 3]! })));
      const batches = (store: RelayStore, order: number) =>
        Array.from({ length: 10 }, (_, k) => {
          const slice = events.slice(k * 30, k * 30 + 45); // overlaps the next batch
          return store.ingest(order ? [...slice].reverse() : slice, 1);
        });
      const outcomes = await Promise.all([...batches(a, 0), ...batches(b, 1)]);
      const stored = outcomes.flatMap((o) => o.results.filter((r) => !r.duplicate).map((r) => r.eventId));
      expect(stored.length).toBe(300);
      expect(new Set(stored).size).toBe(300);
      for (const id of ['A', 'B', 'C']) {
        const rows = await a.readAfter(id, 0, 1000);
        expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('takes no cluster-wide lock: a batch for one till commits while another till’s row is locked', async () => {
    const url = await freshUrl();
    const store = await openPostgresStore({ connectionString: url });
    const { default: pgLib } = await import('pg');
    const blocker = new pgLib.Client({ connectionString: url });
    await blocker.connect();
    try {
      for (const id of ['A', 'B']) await store.addInstall({ id, name: id, locationId: null, tokenHash: hashToken(id), now: 1 });
      // Another instance is in the middle of a batch for A (it holds A's row).
      await blocker.query('BEGIN');
      await blocker.query("SELECT 1 FROM installs WHERE id = 'A' FOR UPDATE");
      const forA = store.ingest([incoming(makeEvent({ id: 'evt_lock_a', installId: 'A' }))], 1);
      let aDone = false;
      void forA.then(() => (aDone = true));
      // B's batch goes through meanwhile (under the old advisory lock every batch took turns).
      const forB = await store.ingest([incoming(makeEvent({ id: 'evt_lock_b', installId: 'B' }))], 1);
      expect(forB.deliveries.map((d) => [d.installId, d.seq])).toEqual([['B', 1]]);
      // A's batch is really waiting on the row lock (seen in pg_stat_activity, not guessed from time).
      await waitFor(
        async () =>
          (await blocker.query("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'WITH ins AS%'")).rowCount === 1,
        5000,
        "A's batch waiting on A's row",
      );
      expect(aDone).toBe(false);
      await blocker.query('COMMIT');
      expect((await forA).deliveries.map((d) => [d.installId, d.seq])).toEqual([['A', 1]]);
    } finally {
      await blocker.end();
      await store.close();
    }
  });

  it('wakes the other instance through LISTEN/NOTIFY for deliveries and revocations', async () => {
    const url = await freshUrl();
    const a = await openPostgresStore({ connectionString: url });
    const b = await openPostgresStore({ connectionString: url });
    try {
      await a.addInstall({ id: 'A', name: 'A', locationId: null, tokenHash: hashToken('A'), now: 1 });
      const seen: StoreChange[] = [];
      const seenByA: StoreChange[] = [];
      const unwatch = b.watch((c) => seen.push(c));
      const unwatchA = a.watch((c) => seenByA.push(c));
      await waitFor(() => b.listening() && a.listening(), 5000, 'LISTEN in place');
      await a.ingest([incoming(makeEvent({ id: 'evt_n1', installId: 'A' }))], 1);
      await a.revokeInstall('A', 2);
      await waitFor(() => seen.length >= 2, 5000, 'both notifications');
      expect(seen).toEqual([
        { kind: 'deliveries', installIds: ['A'] },
        { kind: 'revoked', installId: 'A' },
      ]);
      // The storing instance does not hear its own deliveries notice back (its streams were pushed
      // the events already): the revocation, sent after it on the same channel, arrives alone.
      await waitFor(() => seenByA.length >= 1, 5000, "A's own revocation notice");
      expect(seenByA).toEqual([{ kind: 'revoked', installId: 'A' }]);
      unwatchA();
      unwatch();
    } finally {
      await a.close();
      await b.close();
    }
  });
});
