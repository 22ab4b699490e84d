import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, postgresUnavailableReason, startTempPostgres, type TempPostgres } from '../testing/tempPostgres';
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

  it('wakes the other instance through LISTEN/NOTIFY for deliveries and revocations', async () => {
    const url = await freshUrl();
    const a = await openPostgresStore({ connectionString: url });
    const b = await openPostgresStore({ connectionString: url });
    try {
      await a.addInstall({ id: 'A', name: 'A', locationId: null, tokenHash: hashToken('A'), now: 1 });
      const seen: StoreChange[] = [];
      const unwatch = b.watch((c) => seen.push(c));
      await new Promise((r) => setTimeout(r, 150)); // LISTEN is set up asynchronously
      await a.ingest([incoming(makeEvent({ id: 'evt_n1', installId: 'A' }))], 1);
      await a.revokeInstall('A', 2);
      for (let i = 0; i < 50 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      expect(seen).toEqual([
        { kind: 'deliveries', installIds: ['A'] },
        { kind: 'revoked', installId: 'A' },
      ]);
      unwatch();
    } finally {
      await a.close();
      await b.close();
    }
  });
});
